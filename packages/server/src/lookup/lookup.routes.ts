import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { BUSINESS_SYSTEMS, LOOKUP_QUERIES } from '@liandong/domain';
import { enumOf, errorResponses, strict } from '../http/schemas.ts';
import type { LookupService } from './lookup.service.ts';

const Any = Type.Unknown();
const IdNumber = Type.String({ minLength: 1, maxLength: 18, description: '身份证号码（18 位）' });
const Name = Type.String({ minLength: 1, maxLength: 30 });

export const lookupRoutes =
  (lookups: LookupService): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/api/lookups/systems',
      {
        schema: {
          tags: ['lookups'],
          summary: '已对接的业务系统（社保、医保、住房公积金）及各自可查的项目',
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => lookups.systems(req.actor),
    );
    app.post(
      '/api/lookups/consents',
      {
        schema: {
          tags: ['lookups'],
          summary: '登记来电人对查询本人业务信息的同意（一个业务系统、一个人，60 分钟内有效）',
          body: strict({
            system: enumOf(BUSINESS_SYSTEMS, '业务系统'),
            idNumber: IdNumber,
            name: Name,
            how: Type.String({
              minLength: 1,
              maxLength: 200,
              description: '如何表示同意（如：口头同意，通话录音留存）',
            }),
            workOrderId: Type.Optional(Type.String({ format: 'uuid' })),
          }),
          response: { 201: Any, ...errorResponses },
        },
      },
      async (req, reply) => reply.code(201).send(await lookups.consent(req.actor, req.body)),
    );
    app.post(
      '/api/lookups',
      {
        schema: {
          tags: ['lookups'],
          summary: '在来电人同意后查询其本人的业务信息（余额、缴费记录、报销进度），结果脱敏显示，每次查询留痕',
          body: strict({
            consentId: Type.String({ format: 'uuid' }),
            query: enumOf(LOOKUP_QUERIES, '查询项目'),
            idNumber: IdNumber,
            name: Name,
          }),
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => lookups.lookup(req.actor, req.body),
    );
  };
