/**
 * The form of a jurisdiction catalogue's entries (职责清单), one schema for every door a catalogue comes in
 * by: the administrator's API (publish, drafts) and the other desk's `catalogue.publish` (bridge-protocol.md
 * 1.1), whose payload is checked here before the catalogue itself is compiled.
 */
import { Type } from '@fastify/type-provider-typebox';
import { ENTRY_KINDS, HARMS, MAX_RECORDS, ROUTES, URGENT_KINDS } from '@liandong/domain';
import { compileJsonSchema } from '../http/json-schema.ts';
import { enumOf, strict } from '../http/schemas.ts';

const RouteSchema = enumOf(ROUTES, '去向');
const Pattern = Type.String({ minLength: 1, maxLength: 2000 });
/** A word or phrase, or two parts in order within one clause ("政策…打架"). */
const Term = Type.String({ minLength: 1, maxLength: 40 });
const Terms = (max: number) => Type.Array(Term, { maxItems: max });
const common = {
  code: Type.String({ pattern: '^[A-Z][A-Z0-9-]{1,31}$' }),
  name: Type.String({ minLength: 1, maxLength: 100 }),
  kind: enumOf(ENTRY_KINDS),
  route: RouteSchema,
  category: Type.String({ minLength: 1, maxLength: 40 }),
  linked: Type.Optional(Type.Array(RouteSchema, { maxItems: 7 })),
  urgentKind: Type.Optional(enumOf(URGENT_KINDS)),
  needsConsultation: Type.Optional(Type.Boolean()),
  guidance: Type.Optional(Type.String({ maxLength: 1000 })),
  channelRoute: Type.Optional(Type.Record(Type.String(), RouteSchema)),
  linkedByChannel: Type.Optional(Type.Record(Type.String(), Type.Array(RouteSchema))),
  examples: Type.Optional(Type.Array(Type.String({ maxLength: 500 }), { maxItems: 20 })),
};
/** Catalogue format 1: regular expressions (still accepted; refused when they could backtrack catastrophically). */
const EntryV1 = strict({
  ...common,
  patterns: Type.Array(Pattern, { minItems: 1, maxItems: 20 }),
  context: Type.Optional(Type.Array(Pattern, { maxItems: 10 })),
  exclude: Type.Optional(Type.Array(Pattern, { maxItems: 10 })),
  linkedIf: Type.Optional(Type.Array(Type.Tuple([Pattern, RouteSchema]), { maxItems: 10 })),
  negatable: Type.Optional(Type.Boolean()),
  pastSensitive: Type.Optional(Type.Boolean()),
  urgentIf: Type.Optional(Pattern),
});
/** Catalogue format 2: words matched on word boundaries within a clause, read with the clause's time and modality. */
const EntryV2 = strict({
  ...common,
  terms: Type.Array(Term, { minItems: 1, maxItems: 400 }),
  cues: Type.Optional(Terms(200)),
  context: Type.Optional(Terms(200)),
  exclude: Type.Optional(Terms(200)),
  harm: Type.Optional(enumOf(HARMS)),
  calmIf: Type.Optional(Terms(100)),
  nowOnly: Type.Optional(Type.Boolean()),
  channels: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 20 }), { maxItems: 10 })),
  linkedIf: Type.Optional(Type.Array(Type.Tuple([Terms(200), RouteSchema]), { maxItems: 10 })),
  urgentIf: Type.Optional(Terms(100)),
  defers: Type.Optional(Type.Array(RouteSchema, { maxItems: 8 })),
  weight: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 5 })),
});
/** An entry of either format, as the admin API and the peer desk's `catalogue.publish` carry it. */
export const CatalogueEntry = Type.Union([EntryV2, EntryV1]);
export const CatalogueEntryCode = common.code;

/** A `catalogue.publish` payload: a version number, the date it takes effect, its source, its entries. */
export const PeerCatalogue = strict({
  version: Type.Integer({ minimum: 1 }),
  effectiveFrom: Type.String({ format: 'date' }),
  source: Type.String({ minLength: 1, maxLength: 500, pattern: '\\S' }),
  entries: Type.Array(CatalogueEntry, { minItems: 1, maxItems: MAX_RECORDS }),
});

const validatePeerCatalogue = compileJsonSchema(PeerCatalogue, { allErrors: false });

/** null when the payload has the catalogue's form; else where it does not (for the refusal's log line). */
export function peerCatalogueProblem(payload: unknown): string | null {
  if (validatePeerCatalogue(payload)) return null;
  const e = validatePeerCatalogue.errors?.[0];
  return e ? `payload${e.instancePath.replaceAll('/', '.')} ${e.message ?? 'is invalid'}` : 'payload is invalid';
}
