/** Administering connectors (对接联动单位: 119, 120, the utilities, 综治中心, 挪车): data, audited, picked up at once. */
import type { Actor } from '../auth/actor.ts';
import { requirePermission } from '../auth/permissions.ts';
import { audit } from '../admin/audit.repo.ts';
import { inTransaction, type Db } from '../db/pool.ts';
import { translatePgError } from '../db/pg-errors.ts';
import { listConnectors, upsertConnector, type ConnectorInput } from './connectors.repo.ts';
import type { PeerDirectory } from './peers.ts';

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
}
