/**
 * A JSON Schema validator outside Fastify's routes (an EIDO document, a peer desk's catalogue): ajv with
 * the standard formats, no type coercion (a document says what type it means).
 */
import AjvModule from 'ajv';
import addFormatsModule from 'ajv-formats';

// ajv and ajv-formats are CommonJS: the class and the plugin sit on `default` when loaded from ESM.
type AjvClass = typeof AjvModule;
const Ajv = ((AjvModule as unknown as { default?: AjvClass }).default ?? AjvModule) as AjvClass;
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  a: InstanceType<AjvClass>,
) => void;

/** `allErrors`: every problem of a document (for a report), or the first only (for a refusal). */
export function compileJsonSchema(schema: object, opts: { allErrors: boolean }) {
  const ajv = new Ajv({ allErrors: opts.allErrors, strict: false, coerceTypes: false });
  addFormats(ajv);
  return ajv.compile(schema);
}
