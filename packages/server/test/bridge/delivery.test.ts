/** Delivery guarantees with real processes: SIGKILL mid-send, and two senders of one desk on one database. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleOrder } from '../helpers.ts';
import { eventually, freePort, makeDesks, type Desk } from './desks.ts';

let desks: Awaited<ReturnType<typeof makeDesks>>;
let hotline: Desk, dispatch: Desk;
beforeAll(async () => {
  desks = await makeDesks();
  ({ hotline, dispatch } = desks);
}, 120_000);
afterAll(async () => {
  await desks?.close();
});

/** Work orders first, then `n` transfers opened in parallel bursts, so the sender has a queue to work through. */
async function openTransfers(n: number, tag: string, via: Desk[] = [hotline]): Promise<string[]> {
  const orders: string[] = [];
  for (let i = 0; i < n; i++)
    orders.push(
      (
        await hotline.api(
          'callTaker',
          'POST',
          '/api/work-orders',
          sampleOrder({ content: `${tag} 第${i}件：有人在小区里打架` }),
        )
      ).json.id,
    );
  const items = await Promise.all(
    orders.map((wo, i) =>
      via[i % via.length]!.api('seat', 'POST', '/api/linkage/items', { kind: 'transfer', workOrderId: wo }),
    ),
  );
  for (const it of items) expect(it.status).toBe(201);
  return items.map((it) => it.json.itemId as string);
}
const deliveredAll = async (ids: string[]) =>
  ((
    await hotline.db.db.query(
      "SELECT count(*)::int AS n FROM bridge_outbox WHERE item_id = ANY($1) AND status = 'delivered'",
      [ids],
    )
  ).rows[0].n as number) === ids.length;

const receivedOnce = async (ids: string[]) => {
  const r = await dispatch.db.db.query<{ item_id: string; n: number }>(
    'SELECT item_id, count(*)::int AS n FROM bridge_inbox WHERE item_id = ANY($1) GROUP BY item_id',
    [ids],
  );
  return r.rows.length === ids.length && r.rows.every((x) => x.n === 1);
};

/** The seat API on the second hotline process (same database, same users). */
async function fetchVia(port: number, who: string, method: string, url: string, body?: unknown) {
  const login = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: who === 'seat' ? 'seat1' : 'ct1', password: 'test-password-1' }),
  });
  const { token } = (await login.json()) as { token: string };
  const res = await fetch(`http://127.0.0.1:${port}${url}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

describe('delivery guarantees', () => {
  it('a sender killed with SIGKILL mid-send loses nothing: after restart everything arrives, once', async () => {
    // The kill must land while some messages are delivered and others still pending. That moment is a
    // race, so the scenario repeats until a kill has demonstrably landed mid-send; every attempt must
    // lose nothing and duplicate nothing either way.
    let landedMidSend = false;
    for (let attempt = 0; attempt < 5 && !landedMidSend; attempt++) {
      const orders: string[] = [];
      for (let i = 0; i < 60; i++)
        orders.push(
          (
            await hotline.api(
              'callTaker',
              'POST',
              '/api/work-orders',
              sampleOrder({ content: `SIGKILL ${attempt}-${i}：有人在小区里打架` }),
            )
          ).json.id,
        );
      const before = (await hotline.db.db.query('SELECT count(*)::int AS n FROM linkage_items')).rows[0].n as number;
      const opens = Promise.allSettled(
        orders.map((wo) => hotline.api('seat', 'POST', '/api/linkage/items', { kind: 'transfer', workOrderId: wo })),
      );
      await eventually(async () => {
        const r = (
          await hotline.db.db.query<{
            delivered: number;
            pending: number;
          }>(`SELECT count(*) FILTER (WHERE status = 'delivered')::int AS delivered,
          count(*) FILTER (WHERE status <> 'delivered')::int AS pending FROM bridge_outbox`)
        ).rows[0]!;
        return r.delivered > 0 && r.pending > 0;
      }, 20_000).catch(() => undefined);
      await hotline.stop('SIGKILL');
      const results = await opens;
      const acknowledged = results.flatMap((r) =>
        r.status === 'fulfilled' && r.value.status === 201 ? [r.value.json.itemId as string] : [],
      );
      const committed = (
        await hotline.db.db.query<{ item_id: string }>(
          'SELECT item_id FROM linkage_items ORDER BY created_at OFFSET $1',
          [before],
        )
      ).rows.map((r) => r.item_id);
      const pendingAtKill = (
        await hotline.db.db.query(
          "SELECT count(*)::int AS n FROM bridge_outbox WHERE item_id = ANY($1) AND status <> 'delivered'",
          [committed],
        )
      ).rows[0].n as number;
      landedMidSend = pendingAtKill > 0;
      expect(committed).toEqual(expect.arrayContaining(acknowledged)); // every acknowledged transfer was durable
      await hotline.start();
      await eventually(() => receivedOnce(committed), 30_000);
      await eventually(() => deliveredAll(committed), 30_000);
    }
    expect(landedMidSend).toBe(true);
  }, 300_000);

  it('two server processes of one desk on one database: every message sent exactly once', async () => {
    if (!hotline.child) await hotline.start(); // independent of how the previous test ended
    const port = await freePort();
    const second = spawn(process.execPath, [path.resolve(import.meta.dirname, '../../bin/liandong.mjs'), 'serve'], {
      env: { ...hotline.env, PORT: String(port) },
      stdio: 'ignore',
    });
    try {
      await eventually(async () => (await fetch(`http://127.0.0.1:${port}/health`)).ok, 30_000);
      const other: Desk = { ...hotline, port, api: hotline.api } as Desk;
      // both processes LISTEN on the same database: every commit wakes both senders, which race for the rows
      const ids = await openTransfers(80, 'SCALE', [
        hotline,
        { ...other, api: (who, m, u, b) => fetchVia(port, who, m, u, b) } as Desk,
      ]);
      await eventually(() => receivedOnce(ids), 30_000);
      await eventually(() => deliveredAll(ids), 30_000);
      // one POST per message: a delivered row counts its attempts, and none needed a second
      const attempts = await hotline.db.db.query<{ attempts: number; n: number }>(
        'SELECT attempts, count(*)::int AS n FROM bridge_outbox WHERE item_id = ANY($1) GROUP BY attempts',
        [ids],
      );
      expect(attempts.rows).toEqual([{ attempts: 1, n: 80 }]);
    } finally {
      second.kill('SIGTERM');
      await new Promise((r) => second.once('exit', r));
    }
  }, 90_000);
});
