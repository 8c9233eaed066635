/**
 * Retention of personal data (docs/security.md, "Retention"): how long each kind of personal data is
 * kept once the matter it served is over, and the purge that erases it when that time has passed. The
 * records themselves stay (orders, incidents, call records and linkage items are the city's files and
 * every report counts them); what goes is who the person was: names, numbers, their keyed hashes and
 * sharing pseudonyms, the call-back numbers in linkage messages, and the words of texts sent to them.
 *
 * The purge works in batches of short transactions, so a desk keeps working while it runs; a batch that
 * fails leaves the rest for the next run. Each run that erased anything is written to the audit trail
 * with its counts. Nothing still open is touched: a caller with an open order or incident, a call still
 * waiting for its call-back, a text not yet handed to the gateway, a linkage item not closed.
 *
 * Not erased: a linkage item's events (linkage_events), which are append-only and sealed into the audit
 * chain, keep the call-back the messages carried; erasing it there needs the call-back sealed under a key
 * of its own when written, so that deleting the key erases it (docs/security.md, "Retention").
 */
import { audit } from '../admin/audit.repo.ts';
import { inTransaction, type Db, type Queryable } from '../db/pool.ts';
import { startPeriodic } from '../workers/periodic.ts';
import type { RetentionPolicy } from './retention-policy.ts';

/** Rows erased (or, in a dry run, that would be) per kind. */
export interface PurgeReport {
  callers: number;
  calls: number;
  callBacks: number;
  watchEntries: number;
  texts: number;
  linkageItems: number;
  outboxMessages: number;
  inboxMessages: number;
  lookupConsents: number;
}

/** Rows per transaction. */
export const PURGE_BATCH = 1000;

const DAY_MS = 86_400_000;

/**
 * One kind: the rows past their time (`select`, taking the cut-off as $1 and a limit as $2) and how to
 * erase them (`erase`, taking the ids as $1).
 */
interface Kind {
  key: keyof PurgeReport;
  days: (p: RetentionPolicy) => number;
  select: string;
  erase: string;
}

const HAS_CALLBACK = `? 'callback'`;

const KINDS: readonly Kind[] = [
  {
    key: 'callers',
    days: (p) => p.callerDays,
    // no request since the cut-off, and none still open on either desk's records
    select: `SELECT c.id FROM callers c
      WHERE (c.name_sealed IS NOT NULL OR c.phone_sealed IS NOT NULL OR c.phone_hash IS NOT NULL
             OR c.plain_name IS NOT NULL OR c.plain_phone IS NOT NULL OR c.caller_key IS NOT NULL)
        AND c.created_at < $1
        AND NOT EXISTS (
          SELECT 1 FROM requests r
           WHERE r.caller_id = c.id
             AND (r.received_at >= $1
                  OR EXISTS (SELECT 1 FROM work_orders w WHERE w.request_id = r.id
                              AND w.status NOT IN ('followed_up', 'archived', 'merged'))
                  OR EXISTS (SELECT 1 FROM incidents i WHERE i.request_id = r.id AND i.status <> 'closed')))
      LIMIT $2`,
    erase: `UPDATE callers SET name_sealed = NULL, phone_sealed = NULL, phone_hash = NULL, plain_name = NULL,
      plain_phone = NULL, caller_key = NULL WHERE id = ANY($1::uuid[])`,
  },
  {
    key: 'calls',
    days: (p) => p.callDays,
    select: `SELECT c.id FROM calls c
      WHERE (c.caller_sealed IS NOT NULL OR c.caller_name_sealed IS NOT NULL OR c.caller_hash IS NOT NULL
             OR c.plain_caller IS NOT NULL OR c.plain_caller_name IS NOT NULL)
        AND c.ended_at < $1
        AND NOT EXISTS (SELECT 1 FROM call_backs b WHERE b.call_id = c.id AND b.done_at IS NULL)
      LIMIT $2`,
    erase: `UPDATE calls SET caller_sealed = NULL, caller_name_sealed = NULL, caller_hash = NULL,
      plain_caller = NULL, plain_caller_name = NULL WHERE id = ANY($1::uuid[])`,
  },
  {
    key: 'callBacks',
    days: (p) => p.callDays,
    select: `SELECT call_id AS id FROM call_backs
      WHERE (caller_sealed IS NOT NULL OR plain_caller IS NOT NULL) AND done_at < $1 LIMIT $2`,
    erase: `UPDATE call_backs SET caller_sealed = NULL, plain_caller = NULL WHERE call_id = ANY($1::uuid[])`,
  },
  {
    key: 'watchEntries',
    days: (p) => p.callerDays,
    // a number taken off the harassment watch list (a mark still in force is not over)
    select: `SELECT id FROM harassment_watch
      WHERE (phone_sealed IS NOT NULL OR phone_hash IS NOT NULL OR plain_phone IS NOT NULL) AND removed_at < $1
      LIMIT $2`,
    erase: `UPDATE harassment_watch SET phone_sealed = NULL, phone_hash = NULL, plain_phone = NULL
      WHERE id = ANY($1::bigint[])`,
  },
  {
    key: 'texts',
    days: (p) => p.smsDays,
    // not while its delivery is still being tried
    select: `SELECT s.id FROM sms_messages s
      WHERE s.erased_at IS NULL AND s.created_at < $1
        AND NOT EXISTS (SELECT 1 FROM bridge_outbox o WHERE o.id = s.id::text AND o.status = 'pending')
      LIMIT $2`,
    erase: `UPDATE sms_messages SET phone_sealed = NULL, phone_hash = NULL, text_sealed = NULL, erased_at = now()
      WHERE id = ANY($1::uuid[])`,
  },
  {
    key: 'outboxMessages',
    days: (p) => p.linkageDays,
    // delivered or dead-lettered, of an item closed (a message still being tried keeps what it carries)
    select: `SELECT o.id FROM bridge_outbox o JOIN linkage_items i ON i.item_id = o.item_id
      WHERE o.status <> 'pending' AND o.envelope -> 'payload' ${HAS_CALLBACK} AND i.closed_at < $1 LIMIT $2`,
    erase: `UPDATE bridge_outbox SET envelope = envelope #- '{payload,callback}' WHERE id = ANY($1::text[])`,
  },
  {
    key: 'inboxMessages',
    days: (p) => p.linkageDays,
    select: `SELECT m.message_id AS id FROM bridge_inbox m JOIN linkage_items i ON i.item_id = m.item_id
      WHERE m.envelope -> 'payload' ${HAS_CALLBACK} AND i.closed_at < $1 LIMIT $2`,
    erase: `UPDATE bridge_inbox SET envelope = envelope #- '{payload,callback}' WHERE message_id = ANY($1::text[])`,
  },
  {
    // a 社保/医保/公积金 look-up consent's person (keyed hash, masked number and name), kept as long as the
    // call's number; the consent and its look-ups stay, as the record that they were made
    key: 'lookupConsents',
    days: (p) => p.callDays,
    select: `SELECT id FROM lookup_consents WHERE erased_at IS NULL AND expires_at < $1 LIMIT $2`,
    erase: `UPDATE lookup_consents SET subject_hash = NULL, id_number_masked = NULL, name_masked = NULL, erased_at = now()
      WHERE id = ANY($1::uuid[])`,
  },
  {
    // (its events keep theirs: linkage_events is append-only and hash-chained in the audit trail)
    key: 'linkageItems',
    days: (p) => p.linkageDays,
    select: `SELECT item_id AS id FROM linkage_items WHERE opening ${HAS_CALLBACK} AND closed_at < $1 LIMIT $2`,
    erase: `UPDATE linkage_items SET opening = opening - 'callback' WHERE item_id = ANY($1::text[])`,
  },
];

const emptyReport = (): PurgeReport => ({
  callers: 0,
  calls: 0,
  callBacks: 0,
  watchEntries: 0,
  texts: 0,
  linkageItems: 0,
  outboxMessages: 0,
  inboxMessages: 0,
  lookupConsents: 0,
});

/**
 * Erases what is past its time under `policy` (or, `dryRun`, counts it). Returns the rows per kind.
 * A run that erased anything is audited (`retention.purge`, with the counts and the policy).
 */
export async function purgeExpired(
  db: Db,
  policy: RetentionPolicy,
  opts: { now?: Date; dryRun?: boolean; batch?: number } = {},
): Promise<PurgeReport> {
  const now = opts.now ?? new Date();
  const batch = opts.batch ?? PURGE_BATCH;
  const report = emptyReport();
  for (const k of KINDS) {
    const cutoff = new Date(now.getTime() - k.days(policy) * DAY_MS);
    if (opts.dryRun) {
      const r = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${k.select}) x`, [cutoff, null]);
      report[k.key] = r.rows[0]!.n;
      continue;
    }
    for (;;) {
      const n = await inTransaction(db, async (tx) => eraseBatch(tx, k, cutoff, batch));
      report[k.key] += n;
      if (n < batch) break;
    }
  }
  if (!opts.dryRun && Object.values(report).some((n) => n > 0))
    await audit(db, null, 'retention.purge', 'personal-data', { erased: report, policy });
  return report;
}

async function eraseBatch(tx: Queryable, k: Kind, cutoff: Date, batch: number): Promise<number> {
  // the rows locked as they are chosen, so a purge running twice at once erases each once
  const ids = (await tx.query<{ id: string }>(`${k.select} FOR UPDATE SKIP LOCKED`, [cutoff, batch])).rows.map(
    (r) => r.id,
  );
  if (ids.length) await tx.query(k.erase, [ids]);
  return ids.length;
}

/** The purge every `everyMs` (RETENTION_PURGE_HOURS), on each desk's database. */
export function startRetentionWorker(
  db: Db,
  policy: RetentionPolicy,
  everyMs: number,
  log: { error(o: object, m: string): void; info(o: object, m: string): void },
): () => Promise<void> {
  return startPeriodic(
    async () => {
      const r = await purgeExpired(db, policy);
      if (Object.values(r).some((n) => n > 0)) log.info({ erased: r }, 'personal data past its retention erased');
    },
    everyMs,
    log,
    'retention purge failed',
  );
}
