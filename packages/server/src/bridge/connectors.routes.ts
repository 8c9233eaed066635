import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { inTransaction, type Db } from '../db/pool.ts';
import { audit } from '../admin/audit.repo.ts';
import { translatePgError } from '../db/pg-errors.ts';
import { AppError } from '../errors.ts';
import { enumOf, errorResponses } from '../http/schemas.ts';
import type { PeerDirectory } from './peers.ts';

const strict = <T extends Parameters<typeof Type.Object>[0]>(props: T) => Type.Object(props, { additionalProperties: false });
const KINDS = ['fire', 'medical', 'water', 'power', 'gas', 'governance_center', 'vehicle_moving'] as const;
const Secret = Type.String({ minLength: 16, maxLength: 200 });

/** Connectors are administered here; secrets are write-only (never returned). */
export const connectorRoutes = (db: Db, peers: PeerDirectory): FastifyPluginAsyncTypebox => async (app) => {
  const admin = (role: string) => { if (role !== 'admin') throw new AppError('FORBIDDEN'); };
  const COLUMNS = `id, name, kind, endpoint_url AS "endpointUrl", key_id AS "keyId", inbound_key_id AS "inboundKeyId", alg, active, updated_at AS "updatedAt"`;

  app.get('/api/admin/connectors', { schema: { tags: ['bridge'], summary: '应急联动单位接入（119、120、水电气、综治中心、挪车）', response: { 200: Type.Unknown(), ...errorResponses } } }, async (req) => {
    admin(req.actor.role);
    return (await db.query(`SELECT ${COLUMNS} FROM connectors ORDER BY id`)).rows;
  });

  app.put('/api/admin/connectors/:id', {
    schema: {
      tags: ['bridge'], summary: '新增或修改联动单位接入', params: strict({ id: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,40}$' }) }),
      body: strict({
        name: Type.String({ minLength: 1, maxLength: 100 }), kind: enumOf(KINDS), endpointUrl: Type.String({ pattern: '^https?://', maxLength: 500 }),
        keyId: Type.String({ minLength: 1, maxLength: 100 }), key: Secret, inboundKeyId: Type.String({ minLength: 1, maxLength: 100 }), inboundKey: Secret,
        alg: Type.Optional(enumOf(['hmac-sha256', 'hmac-sm3'] as const)), active: Type.Optional(Type.Boolean()),
      }),
      response: { 200: Type.Unknown(), ...errorResponses },
    },
  }, async (req) => {
    admin(req.actor.role);
    const b = req.body;
    const r = await inTransaction(db, async (tx) => {
      await audit(tx, req.actor.id, 'connector.set', req.params.id, { name: b.name, kind: b.kind, endpointUrl: b.endpointUrl, keyId: b.keyId, inboundKeyId: b.inboundKeyId, active: b.active ?? true });
      return tx.query(`INSERT INTO connectors (id, name, kind, endpoint_url, key_id, key_secret, inbound_key_id, inbound_key_secret, alg, active)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
      ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind, endpoint_url = EXCLUDED.endpoint_url, key_id = EXCLUDED.key_id,
        key_secret = EXCLUDED.key_secret, inbound_key_id = EXCLUDED.inbound_key_id, inbound_key_secret = EXCLUDED.inbound_key_secret, alg = EXCLUDED.alg,
        active = EXCLUDED.active, updated_at = now()
      RETURNING ${COLUMNS}`, [req.params.id, b.name, b.kind, b.endpointUrl, b.keyId, b.key, b.inboundKeyId, b.inboundKey, b.alg ?? 'hmac-sha256', b.active ?? true]);
    }).catch((e) => { throw translatePgError(e); });
    await peers.reload();
    return r.rows[0];
  });
};
