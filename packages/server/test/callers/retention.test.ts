/**
 * Retention of personal data (docs/security.md, "Retention"): the purge erases who a person was once
 * the matter is over and its time has passed — a caller, a call's number, a text's number and words, the
 * call-back in a linkage item and its messages (not its chained events) — and nothing still open or still young. The records stay
 * and the API reads them as before (without the person). A dry run counts and changes nothing; a run is
 * audited; a second run finds nothing; the CLI prints the counts and refuses bad usage.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RETENTION_DEFAULTS } from '../../src/crypto/retention-policy.ts';
import { purgeExpired } from '../../src/crypto/retention.ts';
import { insertSms } from '../../src/sms/sms.repo.ts';
import { insertCall, insertCallBack } from '../../src/telephony/telephony.repo.ts';
import { createTestApp, sampleOrder, type TestApp } from '../helpers.ts';

const run = promisify(execFile);
const BIN = path.resolve(import.meta.dirname, '../../bin/liandong.mjs');
const YEARS_AGO = (n: number) => new Date(Date.now() - n * 365.25 * 86_400_000);
const DAYS_AGO = (n: number) => new Date(Date.now() - n * 86_400_000);

let t: TestApp;
/** A work order filed through the API, then aged (and, `status`, moved on) in the database. */
async function order(phone: string, receivedAt: Date, status: string) {
  const r = await t.app.inject({
    method: 'POST',
    url: '/api/work-orders',
    headers: t.as('callTaker'),
    payload: sampleOrder({ caller: { name: '欧阳明', phone } }),
  });
  expect(r.statusCode, r.body).toBe(201);
  const o = r.json() as { id: string; requestId: string };
  await t.db.query(
    'UPDATE requests SET received_at = $2 WHERE id = (SELECT request_id FROM work_orders WHERE id = $1)',
    [o.id, receivedAt],
  );
  await t.db.query(
    `UPDATE callers SET created_at = $2, caller_key = 'k-' || id
      WHERE id = (SELECT r.caller_id FROM requests r JOIN work_orders w ON w.request_id = r.id WHERE w.id = $1)`,
    [o.id, receivedAt],
  );
  await t.db.query('UPDATE work_orders SET status = $2 WHERE id = $1', [o.id, status]);
  return o.id;
}
const callerOf = async (orderId: string) =>
  (
    await t.db.query(
      `SELECT c.* FROM callers c JOIN requests r ON r.caller_id = c.id JOIN work_orders w ON w.request_id = r.id
        WHERE w.id = $1`,
      [orderId],
    )
  ).rows[0];
async function call(caller: string, endedAt: Date, callBack: 'none' | 'open' | 'done') {
  const id = randomUUID();
  await insertCall(t.db, {
    id,
    callRef: `cq-12345:${id}`,
    line: '12345',
    queue: null,
    caller,
    callerName: '上官云',
    peerCallRef: null,
    offeredAt: endedAt,
  });
  await t.db.query('UPDATE calls SET ended_at = $2 WHERE id = $1', [id, endedAt]);
  if (callBack !== 'none') {
    await insertCallBack(t.db, id, caller, 'abandoned_in_queue');
    if (callBack === 'done')
      await t.db.query(`UPDATE call_backs SET done_at = $2, outcome = 'reached' WHERE call_id = $1`, [id, endedAt]);
  }
  return id;
}
async function text(orderId: string, createdAt: Date, pending: boolean) {
  const id = randomUUID();
  await insertSms(t.db, {
    id,
    workOrderId: orderId,
    purpose: 'reply',
    phone: '13900007777',
    text: '已办结。',
    gateway: 'cq-sms',
  });
  await t.db.query('UPDATE sms_messages SET created_at = $2 WHERE id = $1', [id, createdAt]);
  await t.db.query(
    `INSERT INTO bridge_outbox (id, item_id, seq, peer, type, envelope, status) VALUES ($1, $2, 1, 'cq-sms', 'sms.reply', $3, $4)`,
    [id, `sms:${id}`, JSON.stringify({ smsId: id }), pending ? 'pending' : 'delivered'],
  );
  return id;
}
const CALLBACK = { name: '慕容雪', phone: '13700008888' };
async function item(closedAt: Date | null) {
  const itemId = `cq-12345:LK-2022-${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
  const opening = { type: 'transfer.request', kind: 'transfer', reason: '转110', callback: CALLBACK };
  await t.db.query(
    `INSERT INTO linkage_items (item_id, kind, side, peer, status, opening, last_in_seq, closed_at)
     VALUES ($1, 'transfer', 'originator', 'cq-110', $2, $3, 0, $4)`,
    [itemId, closedAt ? 'closed' : 'accepted', JSON.stringify(opening), closedAt],
  );
  const envelope = { id: randomUUID(), itemId, seq: 1, type: 'transfer.request', payload: opening };
  await t.db.query(
    `INSERT INTO linkage_events (item_id, message_id, direction, type, payload) VALUES ($1, $2, 'sent', 'transfer.request', $3)`,
    [itemId, envelope.id, JSON.stringify(opening)],
  );
  await t.db.query(
    `INSERT INTO bridge_outbox (id, item_id, seq, peer, type, envelope, status) VALUES ($1, $2, 1, 'cq-110', 'transfer.request', $3, 'delivered')`,
    [envelope.id, itemId, JSON.stringify(envelope)],
  );
  const back = { ...envelope, id: randomUUID(), seq: 2 };
  await t.db.query(
    `INSERT INTO bridge_inbox (message_id, item_id, seq, type, sender, envelope, outcome) VALUES ($1, $2, 1, 'transfer.request', 'cq-110', $3, 'applied')`,
    [back.id, itemId, JSON.stringify(back)],
  );
  return itemId;
}
/** What the purge may touch, as text: a dry run must leave it exactly as it was. */
const snapshot = async () =>
  (
    await t.db.query<{ s: string }>(
      `SELECT (SELECT json_agg(c ORDER BY id)::text FROM callers c) || (SELECT json_agg(c ORDER BY id)::text FROM calls c)
          || (SELECT json_agg(s ORDER BY id)::text FROM sms_messages s)
          || (SELECT json_agg(i ORDER BY item_id)::text FROM linkage_items i)
          || (SELECT json_agg(o ORDER BY id)::text FROM bridge_outbox o)
          || (SELECT json_agg(l ORDER BY id)::text FROM lookup_consents l) AS s`,
    )
  ).rows[0]!.s;

const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  ids.oldDone = await order('13900001001', YEARS_AGO(4), 'archived');
  ids.oldOpen = await order('13900001002', YEARS_AGO(4), 'in_progress');
  ids.recentDone = await order('13900001003', YEARS_AGO(1), 'archived');
  ids.oldCall = await call('13900002001', DAYS_AGO(400), 'done');
  ids.oldCallWaiting = await call('13900002002', DAYS_AGO(400), 'open');
  ids.recentCall = await call('13900002003', DAYS_AGO(30), 'none');
  ids.oldText = await text(ids.recentDone, DAYS_AGO(200), false);
  ids.oldTextPending = await text(ids.recentDone, DAYS_AGO(200), true);
  ids.recentText = await text(ids.recentDone, DAYS_AGO(10), false);
  ids.oldItem = await item(DAYS_AGO(200));
  ids.openItem = await item(null);
  ids.recentItem = await item(DAYS_AGO(20));
  ids.oldConsent = await lookupConsent(DAYS_AGO(400));
  ids.recentConsent = await lookupConsent(DAYS_AGO(30));
});

/** A 社保 look-up consent given (and expired an hour later) that long ago. */
async function lookupConsent(givenAt: Date) {
  const id = randomUUID();
  await t.db.query(
    `INSERT INTO lookup_consents (id, system, subject_hash, id_number_masked, name_masked, how, given_to, given_at, expires_at)
     VALUES ($1::uuid, 'social_security', 'h-' || $1::text, '500***********1232', '陈**', '口头同意',
       (SELECT id FROM users WHERE username = 'ct1'), $2, $2::timestamptz + interval '1 hour')`,
    [id, givenAt],
  );
  return id;
}
afterAll(async () => {
  await t?.close();
});

describe('the retention purge', () => {
  const policy = RETENTION_DEFAULTS;

  it('a dry run counts what is past its time and changes nothing', async () => {
    const before = await snapshot();
    const audits = (await t.db.query(`SELECT count(*)::int AS n FROM admin_audit WHERE action = 'retention.purge'`))
      .rows[0].n;
    const r = await purgeExpired(t.db, policy, { dryRun: true });
    expect(r).toEqual({
      callers: 1,
      calls: 1,
      callBacks: 1,
      watchEntries: 0,
      texts: 1,
      linkageItems: 1,
      outboxMessages: 1,
      inboxMessages: 1,
      lookupConsents: 1,
    });
    expect(await snapshot()).toBe(before);
    expect(
      (await t.db.query(`SELECT count(*)::int AS n FROM admin_audit WHERE action = 'retention.purge'`)).rows[0].n,
    ).toBe(audits);
  });

  it('erases the person from what is over and old, keeps the records, and leaves the open and the young alone', async () => {
    const r = await purgeExpired(t.db, policy, { batch: 1 });
    expect(r).toMatchObject({
      callers: 1,
      calls: 1,
      callBacks: 1,
      texts: 1,
      linkageItems: 1,
      outboxMessages: 1,
      lookupConsents: 1,
    });
    // a look-up consent keeps that it was given, not whom it was about; a young one is left
    const consents = await t.db.query<{ id: string; subject_hash: string | null; erased_at: Date | null }>(
      'SELECT id, subject_hash, erased_at FROM lookup_consents WHERE id = ANY($1)',
      [[ids.oldConsent, ids.recentConsent]],
    );
    const consentById = Object.fromEntries(consents.rows.map((c) => [c.id, c]));
    expect(consentById[ids.oldConsent!]).toMatchObject({ subject_hash: null });
    expect(consentById[ids.oldConsent!]!.erased_at).not.toBeNull();
    expect(consentById[ids.recentConsent!]).toMatchObject({ erased_at: null });
    // the caller of the old, finished order: nothing of the person left, the order still there
    const gone = await callerOf(ids.oldDone!);
    expect(gone).toMatchObject({ name_sealed: null, phone_sealed: null, phone_hash: null, caller_key: null });
    const res = await t.app.inject({ url: `/api/work-orders/${ids.oldDone}`, headers: t.as('callTaker') });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().request.caller).toMatchObject({ name: null, phone: null });
    expect(res.json().request.content).toContain('流动摊贩');
    // still open, or young: kept
    for (const o of [ids.oldOpen!, ids.recentDone!]) expect((await callerOf(o)).phone_sealed).not.toBeNull();
    const calls = (
      await t.db.query<{ id: string; caller_sealed: string | null; ended_at: Date }>(
        'SELECT id, caller_sealed, ended_at FROM calls WHERE id = ANY($1)',
        [[ids.oldCall, ids.oldCallWaiting, ids.recentCall]],
      )
    ).rows;
    const sealed = Object.fromEntries(calls.map((c) => [c.id, c.caller_sealed !== null]));
    expect(sealed).toEqual({ [ids.oldCall!]: false, [ids.oldCallWaiting!]: true, [ids.recentCall!]: true });
    expect(calls.every((c) => c.ended_at instanceof Date)).toBe(true); // the 话单 keeps its times
    const backs = (await t.db.query('SELECT call_id, caller_sealed FROM call_backs ORDER BY call_id')).rows;
    expect(Object.fromEntries(backs.map((b) => [b.call_id, b.caller_sealed !== null]))).toEqual({
      [ids.oldCall!]: false,
      [ids.oldCallWaiting!]: true,
    });
    const texts = (await t.db.query('SELECT id, phone_sealed, text_sealed, erased_at FROM sms_messages')).rows;
    const byId = Object.fromEntries(texts.map((s) => [s.id, s]));
    expect(byId[ids.oldText!]).toMatchObject({ phone_sealed: null, text_sealed: null });
    expect(byId[ids.oldText!].erased_at).toBeInstanceOf(Date);
    for (const k of [ids.oldTextPending!, ids.recentText!]) expect(byId[k].phone_sealed).not.toBeNull();
    // the linkage item closed long ago: no call-back anywhere; the others keep theirs
    const withCallback = async (itemId: string) =>
      (
        await t.db.query<{ n: number }>(
          `SELECT (SELECT count(*) FROM linkage_items WHERE item_id = $1 AND opening ? 'callback')
                + (SELECT count(*) FROM bridge_outbox WHERE item_id = $1 AND envelope -> 'payload' ? 'callback')
                + (SELECT count(*) FROM bridge_inbox WHERE item_id = $1 AND envelope -> 'payload' ? 'callback') AS n`,
          [itemId],
        )
      ).rows[0]!.n;
    expect(Number(await withCallback(ids.oldItem!))).toBe(0);
    expect(Number(await withCallback(ids.openItem!))).toBe(3);
    expect(Number(await withCallback(ids.recentItem!))).toBe(3);
    // the item's events are append-only and chained into the audit trail: they keep theirs (docs/security.md)
    const events = await t.db.query(
      `SELECT count(*)::int AS n FROM linkage_events WHERE item_id = $1 AND payload ? 'callback'`,
      [ids.oldItem],
    );
    expect(events.rows[0].n).toBe(1);
    const kept = (await t.db.query(`SELECT opening FROM linkage_items WHERE item_id = $1`, [ids.oldItem])).rows[0];
    expect(kept.opening).toMatchObject({ type: 'transfer.request', reason: '转110' });
    expect(JSON.stringify(kept.opening)).not.toContain(CALLBACK.phone);
    // audited with the counts
    const a = (
      await t.db.query(
        `SELECT actor_id, target, details FROM admin_audit WHERE action = 'retention.purge' ORDER BY id DESC LIMIT 1`,
      )
    ).rows[0];
    expect(a).toMatchObject({ actor_id: null, target: 'personal-data', details: { erased: r, policy } });
  });

  it('a second run finds nothing and writes no audit entry', async () => {
    const audits = async () =>
      (await t.db.query(`SELECT count(*)::int AS n FROM admin_audit WHERE action = 'retention.purge'`)).rows[0].n;
    const before = await audits();
    const r = await purgeExpired(t.db, policy);
    expect(Object.values(r).every((n) => n === 0)).toBe(true);
    expect(await audits()).toBe(before);
  });

  it('a shorter period reaches the younger: 30 days for callers takes the one of last year', async () => {
    const r = await purgeExpired(t.db, { ...policy, callerDays: 30 }, { dryRun: true });
    expect(r.callers).toBe(1);
  });

  it('`liandong retention purge` prints the counts per database; bad usage and a bad setting are refused', async () => {
    const env = { ...process.env, DATABASE_URL: t.url };
    const { stdout } = await run(process.execPath, [BIN, 'retention', 'purge', '--dry-run'], { env });
    const line = JSON.parse(stdout.trim().split('\n').pop()!);
    expect(line).toMatchObject({ dryRun: true, policy: { callerDays: 1095, smsDays: 180 }, erased: { callers: 0 } });
    const short = await run(process.execPath, [BIN, 'retention', 'purge', '--dry-run'], {
      env: { ...env, RETAIN_CALLER_DAYS: '30' },
    });
    expect(JSON.parse(short.stdout.trim()).erased.callers).toBe(1);
    for (const [args, extra, message] of [
      [['retention'], {}, '用法：npx liandong retention purge'],
      [['retention', 'purge', '--now'], {}, ''],
      [['retention', 'purge', '--dry-run'], { RETAIN_SMS_DAYS: '0' }, 'RETAIN_SMS_DAYS'],
    ] as const) {
      const e = await run(process.execPath, [BIN, ...args], { env: { ...env, ...extra } }).catch(
        (err: { code: number; stderr: string }) => err,
      );
      expect((e as { code: number }).code).toBe(1);
      expect((e as { stderr: string }).stderr).toContain(message);
    }
  });
});
