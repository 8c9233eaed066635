/**
 * Schema validation with strict types for bodies (issue 17): ajv's type coercion would read
 * `{"active": null}` as `false` (a disabled user), `{"urgent": null}` as `false`, `7` as `"7"` and
 * `["a"]` as `"a"`, turning bad input into meaning. A JSON body says what type it means, so a body is
 * validated without coercion and a wrong type is refused with the field named. A query string, path
 * parameters and headers are text by nature: there `"20"` must still be a number and `?a=x` an array
 * of one, so those parts keep coercion (`coerceTypes: 'array'`).
 */
import AjvCompiler from '@fastify/ajv-compiler';
import type { Options as AjvOptions } from 'ajv';

type Factory = ReturnType<typeof AjvCompiler>;

export function partAwareValidators(): Factory {
  const pool = AjvCompiler();
  return (externalSchemas, options) => {
    if (options?.mode === 'JTD') return pool(externalSchemas, options);
    const custom: AjvOptions = options?.customOptions ?? {};
    const coercing = pool(externalSchemas, { ...options, customOptions: { ...custom, coerceTypes: 'array' } });
    const strict = pool(externalSchemas, { ...options, customOptions: { ...custom, coerceTypes: false } });
    return (route) => (route.httpPart === 'body' ? strict(route) : coercing(route));
  };
}
