/** Administering connectors (对接联动单位: 119, 120, the utilities, 综治中心, 挪车): data, audited, picked up at once. */
import { randomBytes } from 'node:crypto';
import type { Actor } from '../auth/actor.ts';
import { requirePermission } from '../auth/permissions.ts';
import { audit } from '../admin/audit.repo.ts';
import { AppError } from '../errors.ts';
import { inTransaction, type Db } from '../db/pool.ts';
import { translatePgError } from '../db/pg-errors.ts';
import {
  connectorUses,
  deleteConnector,
  getConnector,
  insertConnector,
  listConnectors,
  patchConnector,
  replaceConnectorKey,
  upsertConnector,
  type ConnectorInput,
  type ConnectorPatch,
} from './connectors.repo.ts';
import type { PeerDirectory } from './peers.ts';

export type KeyDirection = 'inbound' | 'outbound';

export class ConnectorService {
  constructor(
    private readonly db: Db,
    private readonly peers: PeerDirectory,
  ) {}

  async list(actor: Actor) {
    requirePermission(actor, 'admin.connectors');
    return listConnectors(this.db);
  }

  /** The change and its audit entry commit together (secrets stay out of the audit); senders use the new route at once. */
  async set(actor: Actor, c: ConnectorInput) {
    requirePermission(actor, 'admin.connectors');
    const row = await inTransaction(this.db, async (tx) => {
      await audit(tx, actor.id, 'connector.set', c.id, {
        name: c.name,
        kind: c.kind,
        endpointUrl: c.endpointUrl,
        keyId: c.keyId,
        inboundKeyId: c.inboundKeyId,
        active: c.active ?? true,
      });
      return upsertConnector(tx, c);
    }).catch((e) => {
      throw translatePgError(e);
    });
    await this.peers.reload();
    return row;
  }

  /**
   * A new connector from the console's form: both secrets are generated here and returned this once, as a
   * key rotation does; an id or inbound key id already in use is refused (CONNECTOR_ID_TAKEN,
   * CONNECTOR_KEY_ID_TAKEN) and nothing is written.
   */
  async create(actor: Actor, c: Omit<ConnectorInput, 'key' | 'inboundKey'>) {
    requirePermission(actor, 'admin.connectors');
    const key = randomBytes(32).toString('base64url');
    const inboundKey = randomBytes(32).toString('base64url');
    const row = await inTransaction(this.db, async (tx) => {
      const created = await insertConnector(tx, { ...c, key, inboundKey });
      await audit(tx, actor.id, 'connector.create', c.id, {
        name: c.name,
        kind: c.kind,
        endpointUrl: c.endpointUrl,
        keyId: c.keyId,
        inboundKeyId: c.inboundKeyId,
        active: c.active ?? true,
      });
      return created;
    }).catch((e) => {
      throw translatePgError(e);
    });
    await this.peers.reload();
    return {
      connector: row,
      keys: { outbound: { keyId: c.keyId, key }, inbound: { keyId: c.inboundKeyId, key: inboundKey } },
    };
  }

  /** Edits settings in place (enable/disable included); the audit keeps each changed field's before and after. */
  async update(actor: Actor, id: string, patch: ConnectorPatch) {
    requirePermission(actor, 'admin.connectors');
    const row = await inTransaction(this.db, async (tx) => {
      const before = await getConnector(tx, id, true);
      if (!before) throw new AppError('CONNECTOR_NOT_FOUND');
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      for (const [k, v] of Object.entries(patch)) {
        if (v !== undefined && before[k] !== v) changes[k] = { from: before[k], to: v };
      }
      const after = await patchConnector(tx, id, patch);
      await audit(tx, actor.id, 'connector.update', id, { changes });
      return after;
    }).catch((e) => {
      throw e instanceof AppError ? e : translatePgError(e);
    });
    await this.peers.reload();
    return row;
  }

  /**
   * A new secret for one direction, generated here and returned this once (it is never read back); the old
   * one stops working as soon as the change commits. The audit names the direction and key id, not the secret.
   */
  async rotateKey(actor: Actor, id: string, direction: KeyDirection) {
    requirePermission(actor, 'admin.connectors');
    const secret = randomBytes(32).toString('base64url');
    const row = await inTransaction(this.db, async (tx) => {
      const before = await getConnector(tx, id, true);
      if (!before) throw new AppError('CONNECTOR_NOT_FOUND');
      const after = await replaceConnectorKey(tx, id, direction, secret);
      await audit(tx, actor.id, 'connector.rotate_key', id, {
        direction,
        keyId: direction === 'inbound' ? before.inboundKeyId : before.keyId,
      });
      return after!;
    }).catch((e) => {
      throw e instanceof AppError ? e : translatePgError(e);
    });
    await this.peers.reload();
    return {
      connector: row,
      direction,
      keyId: (direction === 'inbound' ? row.inboundKeyId : row.keyId) as string,
      key: secret,
    };
  }

  /**
   * A connector set up by mistake (a wrong id, a line never used) is deleted; one that is active must be
   * stopped first (CONNECTOR_ACTIVE), and one with linkage items or messages stays, stopped, so its history
   * keeps its name (CONNECTOR_IN_USE). Nothing changes on a refusal.
   */
  async remove(actor: Actor, id: string): Promise<void> {
    requirePermission(actor, 'admin.connectors');
    await inTransaction(this.db, async (tx) => {
      const before = await getConnector(tx, id, true);
      if (!before) throw new AppError('CONNECTOR_NOT_FOUND');
      if (before.active) throw new AppError('CONNECTOR_ACTIVE');
      const uses = Number(await connectorUses(tx, id));
      if (uses > 0)
        throw new AppError('CONNECTOR_IN_USE', `该联动单位已有 ${uses} 条联动事项或消息记录，只能停用，不能删除`, {
          uses,
        });
      await deleteConnector(tx, id);
      await audit(tx, actor.id, 'connector.delete', id, { name: before.name, kind: before.kind });
    });
    await this.peers.reload();
  }
}
