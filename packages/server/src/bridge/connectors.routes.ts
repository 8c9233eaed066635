import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ALL_CONNECTOR_KINDS } from '@liandong/domain';
import { enumOf, errorResponses, strict } from '../http/schemas.ts';
import type { ConnectorService } from './connectors.service.ts';

const Secret = Type.String({ minLength: 16, maxLength: 200 });
const ConnectorId = strict({ id: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,40}$' }) });
const KeyId = Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9._:-]+$' });

/** Connectors are administered here; secrets are write-only (never returned). */
export const connectorRoutes =
  (connectors: ConnectorService): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/api/admin/connectors',
      {
        schema: {
          tags: ['bridge'],
          summary: '应急联动单位接入（119、120、水电气、综治中心、挪车）',
          response: { 200: Type.Unknown(), ...errorResponses },
        },
      },
      async (req) => connectors.list(req.actor),
    );

    app.post(
      '/api/admin/connectors',
      {
        schema: {
          tags: ['bridge'],
          summary: '新增联动单位接入：双向密钥由平台生成，只在此次返回；编号或接收密钥编号已被使用时拒绝',
          body: strict({
            id: ConnectorId.properties.id,
            name: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' }),
            kind: enumOf(ALL_CONNECTOR_KINDS),
            endpointUrl: Type.String({ pattern: '^https?://[^\\s/]+', maxLength: 500 }),
            keyId: KeyId,
            inboundKeyId: KeyId,
            alg: Type.Optional(enumOf(['hmac-sha256', 'hmac-sm3'] as const)),
          }),
          response: { 201: Type.Unknown(), ...errorResponses },
        },
      },
      async (req, reply) =>
        reply.code(201).send(await connectors.create(req.actor, { ...req.body, name: req.body.name.trim() })),
    );

    app.put(
      '/api/admin/connectors/:id',
      {
        schema: {
          tags: ['bridge'],
          summary: '新增或修改联动单位接入',
          params: ConnectorId,
          body: strict({
            name: Type.String({ minLength: 1, maxLength: 100 }),
            kind: enumOf(ALL_CONNECTOR_KINDS),
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
      async (req) => connectors.set(req.actor, { id: req.params.id, ...req.body }),
    );

    app.patch(
      '/api/admin/connectors/:id',
      {
        schema: {
          tags: ['bridge'],
          summary: '修改联动单位接入的设置（含启用、停用；密钥须通过更换密钥）',
          params: ConnectorId,
          body: Type.Object(
            {
              name: Type.Optional(Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' })),
              kind: Type.Optional(enumOf(ALL_CONNECTOR_KINDS)),
              endpointUrl: Type.Optional(Type.String({ pattern: '^https?://[^\\s/]+', maxLength: 500 })),
              keyId: Type.Optional(KeyId),
              inboundKeyId: Type.Optional(KeyId),
              alg: Type.Optional(enumOf(['hmac-sha256', 'hmac-sm3'] as const)),
              active: Type.Optional(Type.Boolean()),
            },
            { additionalProperties: false, minProperties: 1 },
          ),
          response: { 200: Type.Unknown(), ...errorResponses },
        },
      },
      async (req) => connectors.update(req.actor, req.params.id, req.body),
    );

    app.delete(
      '/api/admin/connectors/:id',
      {
        schema: {
          tags: ['bridge'],
          summary: '删除误建的联动单位接入：须已停用，且无任何联动事项或消息记录（否则只能停用）',
          params: ConnectorId,
          response: { 204: Type.Null(), ...errorResponses },
        },
      },
      async (req, reply) => {
        await connectors.remove(req.actor, req.params.id);
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/api/admin/connectors/:id/rotate-key',
      {
        schema: {
          tags: ['bridge'],
          summary: '更换联动单位接入的密钥：新密钥只显示这一次，旧密钥立即失效',
          params: ConnectorId,
          body: strict({ direction: enumOf(['inbound', 'outbound'] as const) }),
          response: { 200: Type.Unknown(), ...errorResponses },
        },
      },
      async (req) => connectors.rotateKey(req.actor, req.params.id, req.body.direction),
    );
  };
