/**
 * For the desk's specialist seats and administrators (死信与拒收, permission bridge.outbox): the messages this desk could not deliver (dead letters, after a
 * permanent refusal by the peer or 24 h of failures) and the messages this desk refused (bridge-protocol.md,
 * Trust rules), with a retry of a dead letter once the cause is fixed. A retry and its audit entry commit together.
 */
import type { Actor } from '../auth/actor.ts';
import { requirePermission } from '../auth/permissions.ts';
import { audit } from '../admin/audit.repo.ts';
import { inTransaction, type Db } from '../db/pool.ts';
import { AppError } from '../errors.ts';
import { listDeadLetters, listRefusals, retryDeadLetter, type RefusalFilter } from './bridge.repo.ts';

export class BridgeAdminService {
  constructor(private readonly db: Db) {}

  async deadLetters(actor: Actor, window: { limit: number; offset: number }) {
    requirePermission(actor, 'bridge.outbox');
    return listDeadLetters(this.db, window);
  }

  async refusals(actor: Actor, filter: RefusalFilter) {
    requirePermission(actor, 'bridge.outbox');
    return listRefusals(this.db, filter);
  }

  /** Sends a dead letter again (its item's later messages follow it, in order); audited. */
  async retry(actor: Actor, id: string): Promise<{ id: string; status: 'pending' }> {
    requirePermission(actor, 'bridge.outbox');
    return inTransaction(this.db, async (tx) => {
      const row = await retryDeadLetter(tx, id);
      if (!row) throw new AppError('OUTBOX_MESSAGE_NOT_FOUND');
      await audit(tx, actor.id, 'bridge.dead_letter.retry', id, {
        itemId: row.itemId,
        type: row.type,
        peer: row.peer,
        lastError: row.lastError,
      });
      return { id, status: 'pending' as const };
    });
  }
}
