/**
 * GeoReport v2 under /open311/v2/: every resource as .json and .xml, form-encoded POSTs, and the
 * spec's error bodies (a list of {code, description}; 404 for what does not exist, 403 for a wrong
 * or missing api_key, 400 for everything else).
 */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';
import { UnitId, errorResponses } from '../http/schemas.ts';
import { Open311Error, type Open311Service } from './open311.service.ts';
import { toXml } from './xml.ts';

type Format = 'json' | 'xml';

/** Parses a form body, keeping repeated keys (attribute[code][]=a&attribute[code][]=b) as lists. */
export function parseForm(body: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(body)) {
    const key = k.endsWith('[]') ? k.slice(0, -2) : k;
    const prev = out[key];
    if (k.endsWith('[]')) out[key] = [...(Array.isArray(prev) ? prev : prev ? [prev] : []), v];
    else out[key] = v;
  }
  return out;
}

function send(reply: FastifyReply, format: Format, root: string, value: unknown, status = 200) {
  reply.code(status);
  if (format === 'xml') return reply.type('text/xml; charset=utf-8').send(toXml(root, value));
  return reply.type('application/json; charset=utf-8').send(JSON.stringify(value));
}

const formatOf = (req: FastifyRequest): Format => (/\.xml(\?|$)/.test(req.url) ? 'xml' : 'json');

export const open311Routes =
  (service: Open311Service): FastifyPluginAsyncTypebox =>
  async (outer) => {
    // Administration of client applications (log-in, admin role).
    outer.get(
      '/api/admin/open311-clients',
      { schema: { tags: ['open311'], summary: 'Open311接入应用列表' } },
      async (req) => {
        if (req.actor.role !== 'admin') throw new AppError('FORBIDDEN');
        return service.listClients();
      },
    );
    outer.put(
      '/api/admin/open311-clients/:id',
      {
        schema: {
          tags: ['open311'],
          summary: '新增或修改Open311接入应用（issueKey 为 true 时签发新密钥，仅此次返回）',
          params: Type.Object({ id: UnitId }),
          body: Type.Object(
            {
              name: Type.String({ minLength: 1, maxLength: 100 }),
              unitId: Type.Optional(UnitId),
              batch: Type.Optional(Type.Boolean()),
              active: Type.Optional(Type.Boolean()),
              issueKey: Type.Optional(Type.Boolean()),
            },
            { additionalProperties: false },
          ),
          response: { ...errorResponses },
        },
      },
      async (req) => service.putClient(req.actor, req.params.id, req.body),
    );

    await outer.register(
      async (app) => {
        app.removeAllContentTypeParsers();
        app.addContentTypeParser(
          ['application/x-www-form-urlencoded', 'multipart/form-data'],
          { parseAs: 'string', bodyLimit: 256 * 1024 },
          (_req, body, done) => done(null, parseForm(body as string)),
        );
        app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
          try {
            done(null, JSON.parse(body as string));
          } catch {
            done(new Open311Error(400, '请求体不是合法的 JSON'), undefined);
          }
        });

        app.setErrorHandler((err: Error & { statusCode?: number }, req, reply) => {
          const format = formatOf(req);
          if (err instanceof Open311Error)
            return send(reply, format, 'errors', [{ code: err.status, description: err.description }], err.status);
          if (err instanceof AppError) {
            const status = err.status === 403 ? 403 : err.status === 404 ? 404 : 400;
            return send(reply, format, 'errors', [{ code: status, description: err.message }], status);
          }
          if (err.statusCode && err.statusCode < 500)
            return send(reply, format, 'errors', [{ code: 400, description: '请求不合法' }], 400);
          req.log.error({ err }, 'open311 failure');
          return send(reply, format, 'errors', [{ code: 400, description: 'Open311服务暂时无法处理该请求' }], 400);
        });
        app.setNotFoundHandler((req, reply) =>
          send(
            reply,
            formatOf(req),
            'errors',
            [{ code: 404, description: `资源不存在：${req.url.split('?')[0]}` }],
            404,
          ),
        );

        const fmt = (f: string): Format => {
          if (f !== 'json' && f !== 'xml') throw new Open311Error(404, `不支持的格式：${f}（可为 json、xml）`);
          return f;
        };
        const query = (req: FastifyRequest) => req.query as Record<string, string | undefined>;
        const body = (req: FastifyRequest) => (req.body ?? {}) as Record<string, string | string[]>;
        const tag = { tags: ['open311'] };

        app.get('/discovery.:format', { schema: { ...tag, summary: 'Service Discovery' } }, async (req, reply) => {
          const f = fmt((req.params as { format: string }).format);
          const base = `${req.protocol}://${req.headers.host ?? 'localhost'}`;
          return send(reply, f, 'discovery', service.discovery(base));
        });
        app.get('/services.:format', { schema: { ...tag, summary: 'GET Service List' } }, async (req, reply) => {
          const f = fmt((req.params as { format: string }).format);
          service.checkJurisdiction(query(req).jurisdiction_id);
          return send(reply, f, 'services', await service.services());
        });
        app.get(
          '/services/:code.:format',
          { schema: { ...tag, summary: 'GET Service Definition' } },
          async (req, reply) => {
            const p = req.params as { code: string; format: string };
            const f = fmt(p.format);
            service.checkJurisdiction(query(req).jurisdiction_id);
            return send(reply, f, 'service_definition', await service.definition(p.code));
          },
        );
        app.post('/requests.:format', { schema: { ...tag, summary: 'POST Service Request' } }, async (req, reply) => {
          const f = fmt((req.params as { format: string }).format);
          return send(
            reply,
            f,
            'service_requests',
            await service.create({ ...query(req), ...body(req) } as Record<string, string>),
          );
        });
        app.get('/requests.:format', { schema: { ...tag, summary: 'GET Service Requests' } }, async (req, reply) => {
          const f = fmt((req.params as { format: string }).format);
          return send(reply, f, 'service_requests', await service.list(query(req)));
        });
        app.get('/requests/:id.:format', { schema: { ...tag, summary: 'GET Service Request' } }, async (req, reply) => {
          const p = req.params as { id: string; format: string };
          const f = fmt(p.format);
          return send(reply, f, 'service_requests', await service.one(p.id, query(req).jurisdiction_id));
        });
        app.get(
          '/tokens/:token.:format',
          { schema: { ...tag, summary: 'GET service_request_id from a token' } },
          async (req, reply) => {
            const p = req.params as { token: string; format: string };
            const f = fmt(p.format);
            service.checkJurisdiction(query(req).jurisdiction_id);
            return send(reply, f, 'service_requests', await service.token(p.token));
          },
        );
        app.get(
          '/servicerequestupdates.:format',
          { schema: { ...tag, summary: 'GET Service Request Updates（mySociety 扩展）' } },
          async (req, reply) => {
            const f = fmt((req.params as { format: string }).format);
            return send(reply, f, 'service_request_updates', await service.updates(query(req)));
          },
        );
        app.post(
          '/servicerequestupdates.:format',
          { schema: { ...tag, summary: 'POST Service Request Update（mySociety 扩展，承办单位系统推送办理进度）' } },
          async (req, reply) => {
            const f = fmt((req.params as { format: string }).format);
            return send(
              reply,
              f,
              'service_request_updates',
              await service.pushUpdate({ ...query(req), ...body(req) } as Record<string, string>),
            );
          },
        );
      },
      { prefix: '/open311/v2' },
    );
  };
