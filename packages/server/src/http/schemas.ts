import { Type } from '@fastify/type-provider-typebox';
import type { TSchema, TProperties } from 'typebox';
import { DISTRICT_CODE_PATTERN, STREET_CODE_PATTERN } from '@liandong/domain';

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
export const DistrictCode = Type.String({ pattern: DISTRICT_CODE_PATTERN });
export const StreetCode = Type.String({ pattern: STREET_CODE_PATTERN });
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

/** An object that refuses fields it does not name (so a typo is a 400, not silently ignored). */
export const strict = <T extends TProperties>(props: T) => Type.Object(props, { additionalProperties: false });

/** The fields every intake shares, 12345's or 110's: who called, what about, where, when, the retry key. */
export const RequestFields = {
  caller: Type.Optional(
    strict({
      name: Type.Optional(Type.String({ maxLength: 50 })),
      phone: Type.Optional(Type.String({ pattern: '^[0-9+\\-() ]{3,20}$' })),
    }),
  ),
  content: Type.String({ minLength: 1, maxLength: 5000, description: '诉求内容' }),
  address: Type.Optional(Type.String({ maxLength: 200 })),
  districtCode: Type.Optional(DistrictCode),
  streetCode: Type.Optional(StreetCode),
  lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
  lng: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
  receivedAt: Type.Optional(DateTime),
  clientRef: Type.Optional(
    Type.String({ minLength: 1, maxLength: 100, description: '客户端生成的幂等键，重试时返回同一记录' }),
  ),
};

/** A page of a list: the query's page and size (defaults 1 and 20) and the rows to skip. */
export function pageWindow(q: { page?: number; pageSize?: number }) {
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? 20;
  return { page, pageSize, limit: pageSize, offset: (page - 1) * pageSize };
}

/** Why a reader who sees callers masked asks to see one (kept in the audit log). */
export const RevealBody = strict({ reason: Type.String({ minLength: 4, maxLength: 200, pattern: '\\S' }) });
