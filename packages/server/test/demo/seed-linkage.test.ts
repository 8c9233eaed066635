import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LINKAGE_TRANSITIONS } from '@liandong/domain';
import { seedDemo } from '../../src/demo/seed-demo.ts';
import { seedDemoLinkage } from '../../src/demo/seed-linkage.ts';
import { createTestDatabase } from '../helpers.ts';

let hotline: Awaited<ReturnType<typeof createTestDatabase>>;
let dispatch: Awaited<ReturnType<typeof createTestDatabase>>;
let result: Awaited<ReturnType<typeof seedDemoLinkage>>;
beforeAll(async () => {
  [hotline, dispatch] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  await seedDemo(hotline.db, { orders: 300, incidents: 0, seed: 3 });
  await seedDemo(dispatch.db, { orders: 0, incidents: 600, seed: 4 });
  result = await seedDemoLinkage(hotline.db, dispatch.db, { transfers: 120, seed: 5 });
});
afterAll(async () => {
  await hotline?.drop();
  await dispatch?.drop();
});

type Row = {
  item_id: string;
  side: string;
  status: string;
  kept_by_first_receiver: boolean;
  next_out_seq: number;
  last_in_seq: number;
  accept_overdue: boolean;
  kind: string;
};
const items = async (db: typeof hotline.db) =>
  new Map((await db.query<Row>('SELECT * FROM linkage_items')).rows.map((r) => [r.item_id, r]));

describe('demo linkage history', () => {
  it('writes every item on both desks with the same status, opposite sides and continuing sequence numbers', async () => {
    expect(result.transfers).toBe(120);
    expect(result.diversions).toBeGreaterThan(5);
    const [h, d] = [await items(hotline.db), await items(dispatch.db)];
    expect(h.size).toBe(d.size);
    expect(h.size).toBe(result.transfers + result.diversions);
    for (const [id, a] of h) {
      const b = d.get(id)!;
      expect(b, id).toBeDefined();
      expect([a.status, a.kept_by_first_receiver], id).toEqual([b.status, b.kept_by_first_receiver]);
      expect(new Set([a.side, b.side]), id).toEqual(new Set(['originator', 'receiver']));
      // What one side has sent is exactly what the other has received.
      expect(a.next_out_seq - 1, id).toBe(b.last_in_seq);
      expect(b.next_out_seq - 1, id).toBe(a.last_in_seq);
    }
    const statuses = new Set([...h.values()].map((x) => x.status));
    for (const s of ['requested', 'closed', 'feedback_given', 'rejected', 'in_progress'])
      expect(statuses, s).toContain(s);
    expect([...h.values()].some((x) => x.accept_overdue && x.status === 'requested')).toBe(true);
    expect([...h.values()].filter((x) => x.kind === 'diversion').every((x) => x.side === 'receiver')).toBe(true);
  });

  it('every timeline is a chain of legal steps, the same on both sides, sent on one and received on the other', async () => {
    const q = `SELECT item_id, direction, type, from_status, to_status FROM linkage_events WHERE direction <> 'local' ORDER BY item_id, at, id`;
    const [h, d] = [(await hotline.db.query(q)).rows, (await dispatch.db.query(q)).rows];
    expect(h.length).toBe(d.length);
    const flip = { sent: 'received', received: 'sent' } as Record<string, string>;
    h.forEach((e, i) => expect({ ...d[i], direction: flip[d[i].direction] }).toEqual(e));
    const byItem = new Map<string, typeof h>();
    for (const e of h) byItem.set(e.item_id, [...(byItem.get(e.item_id) ?? []), e]);
    const rows = await items(hotline.db);
    for (const [id, evs] of byItem) {
      expect(evs[0]!.to_status, id).toBe('requested');
      for (let i = 1; i < evs.length; i++) {
        expect(evs[i]!.from_status, id).toBe(evs[i - 1]!.to_status);
        expect(Object.keys(LINKAGE_TRANSITIONS[evs[i]!.from_status as keyof typeof LINKAGE_TRANSITIONS]), id).toContain(
          evs[i]!.type,
        );
      }
      expect(evs[evs.length - 1]!.to_status, id).toBe(rows.get(id)!.status);
    }
  });

  it("diversions point at the 110 desk's diverted incidents; the sequences leave room for new items", async () => {
    const r = await dispatch.db.query(
      `SELECT count(*)::int AS n FROM linkage_items l JOIN incidents i ON i.id::text = l.local_ref WHERE l.kind = 'diversion' AND i.diverted_to = 'hotline_12345'`,
    );
    expect(r.rows[0].n).toBe(result.diversions);
    const next = await hotline.db.query("SELECT nextval('linkage_no_seq')::int AS n");
    expect(next.rows[0].n).toBe(result.transfers + 1);
  });
});
