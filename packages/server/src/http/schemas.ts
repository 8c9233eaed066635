import { Type } from '@fastify/type-provider-typebox';
import type { TSchema } from 'typebox';

export const ErrorResponse = Type.Object(
  {
    code: Type.String({ description: '错误码，见 docs/errors.md' }),
    message: Type.String(),
    details: Type.Optional(Type.Unknown()),
  },
  { $id: 'ErrorResponse' },
);

export const errorResponses = {
  400: Type.Ref('ErrorResponse'),
  401: Type.Ref('ErrorResponse'),
  403: Type.Ref('ErrorResponse'),
  404: Type.Ref('ErrorResponse'),
  409: Type.Ref('ErrorResponse'),
  422: Type.Ref('ErrorResponse'),
};

export const Uuid = Type.String({ format: 'uuid' });
export const IdParams = Type.Object({ id: Uuid });
export const DateTime = Type.String({ format: 'date-time' });
export const DistrictCode = Type.String({ pattern: '^50\\d{4}$' });
export const StreetCode = Type.String({ pattern: '^50\\d{7}$' });
export const UnitId = Type.String({ pattern: '^[a-z0-9][a-z0-9_.-]{1,63}$' });
export const Note = Type.String({ minLength: 1, maxLength: 2000 });

export const PageQuery = {
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
};

export function paged<T extends TSchema>(item: T) {
  return Type.Object({
    items: Type.Array(item),
    total: Type.Integer(),
    page: Type.Integer(),
    pageSize: Type.Integer(),
  });
}

/** A string enum with clean validation errors and a precise static type. */
export const enumOf = <T extends readonly string[]>(values: T, description?: string) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...(description ? { description } : {}) });
