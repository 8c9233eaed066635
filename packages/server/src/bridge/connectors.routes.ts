import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { inTransaction, type Db } from '../db/pool.ts';
import { audit } from '../admin/audit.repo.ts';
import { translatePgError } from '../db/pg-errors.ts';
import { AppError } from '../errors.ts';
import { enumOf, errorResponses } from '../http/schemas.ts';
import type { PeerDirectory } from './peers.ts';
import { listConnectors, upsertConnector } from './connectors.repo.ts';

const strict = <T extends Parameters<typeof Type.Object>[0]>(props: T) =>
  Type.Object(props, { additionalProperties: false });
const KINDS = ['fire', 'medical', 'water', 'power', 'gas', 'governance_center', 'vehicle_moving'] as const;
const Secret = Type.String({ minLength: 16, maxLength: 200 });

/** Connectors are administered here; secrets are write-only (never returned). */
export const connectorRoutes =
  (db: Db, peers: PeerDirectory): FastifyPluginAsyncTypebox =>
  async (app) => {
    const admin = (role: string) => {
      if (role !== 'admin') throw new AppError('FORBIDDEN');
    };

    app.get(
      '/api/admin/connectors',
      {
        schema: {
          tags: ['bridge'],
          summary: '应急联动单位接入（119、120、水电气、综治中心、挪车）',
          response: { 200: Type.Unknown(), ...errorResponses },
        },
      },
      async (req) => {
        admin(req.actor.role);
        return listConnectors(db);
      },
    );

    app.put(
      '/api/admin/connectors/:id',
      {
        schema: {
          tags: ['bridge'],
          summary: '新增或修改联动单位接入',
          params: strict({ id: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,40}$' }) }),
          body: strict({
            name: Type.String({ minLength: 1, maxLength: 100 }),
            kind: enumOf(KINDS),
            endpointUrl: Type.String({ pattern: '^https?://', maxLength: 500 }),
            keyId: Type.String({ minLength: 1, maxLength: 100 }),
            key: Secret,
            inboundKeyId: Type.String({ minLength: 1, maxLength: 100 }),
            inboundKey: Secret,
            alg: Type.Optional(enumOf(['hmac-sha256', 'hmac-sm3'] as const)),
            active: Type.Optional(Type.Boolean()),
          }),
          response: { 200: Type.Unknown(), ...errorResponses },
        },
      },
      async (req) => {
        admin(req.actor.role);
        const b = req.body;
        // The change and its audit entry commit together (secrets stay out of the audit); senders pick up the new route at once.
        const row = await inTransaction(db, async (tx) => {
          await audit(tx, req.actor.id, 'connector.set', req.params.id, {
            name: b.name,
            kind: b.kind,
            endpointUrl: b.endpointUrl,
            keyId: b.keyId,
            inboundKeyId: b.inboundKeyId,
            active: b.active ?? true,
          });
          return upsertConnector(tx, { id: req.params.id, ...b });
        }).catch((e) => {
          throw translatePgError(e);
        });
        await peers.reload();
        return row;
      },
    );
  };
