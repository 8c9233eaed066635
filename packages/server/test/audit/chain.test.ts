import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditSealer, verifyChain } from '../../src/audit/chain.ts';
import { audit } from '../../src/admin/audit.repo.ts';
import { createTestDatabase } from '../helpers.ts';

let gap = 0;
let t: Awaited<ReturnType<typeof createTestDatabase>>;

/** Runs SQL past the append-only triggers, as someone with the database's owner rights could. */
async function tamper(sql: string, params: unknown[] = []) {
  const c = await t.db.connect();
  try {
    await c.query("SET session_replication_role = 'replica'");
    await c.query(sql, params);
  } finally {
    await c.query("SET session_replication_role = 'origin'");
    c.release();
  }
}

async function sealAll() {
  const s = new AuditSealer(t.db);
  await s.tick(); // observes
  await s.tick(); // seals what it observed
}

beforeAll(async () => {
  t = await createTestDatabase();
  for (let i = 0; i < 30; i++) {
    await audit(t.db, null, 'user.update', `u${i}`, { n: i, text: '修改' });
    if (i === 15) {
      // A rolled-back write leaves a gap in the ids: a forged row there is an insertion.
      const c = await t.db.connect();
      await c.query('BEGIN');
      gap = (await c.query<{ id: number }>("INSERT INTO admin_audit (action, target) VALUES ('x', 'y') RETURNING id"))
        .rows[0]!.id;
      await c.query('ROLLBACK');
      c.release();
    }
  }
});
afterAll(async () => {
  await t?.drop();
});

describe('audit chain', () => {
  it('seals the entries and an untouched chain verifies', async () => {
    await sealAll();
    const r = await verifyChain(t.db);
    expect(r.problems).toEqual([]);
    expect(r.links).toBeGreaterThan(0);
    expect(r.entries).toBeGreaterThanOrEqual(30);
    expect(r.unsealed.admin_audit).toBe(0);
  });

  it('reports entries written after the last link as unsealed, not as tampering', async () => {
    await audit(t.db, null, 'user.update', 'late', {});
    const r = await verifyChain(t.db);
    expect(r.problems).toEqual([]);
    expect(r.unsealed.admin_audit).toBe(1);
    await sealAll();
    expect((await verifyChain(t.db)).unsealed.admin_audit).toBe(0);
  });

  it('names an altered entry', async () => {
    const { rows } = await t.db.query<{ id: number }>("SELECT id FROM admin_audit WHERE target = 'u7'");
    const id = rows[0]!.id;
    await tamper(`UPDATE admin_audit SET details = '{"n": 70}' WHERE id = $1`, [id]);
    const r = await verifyChain(t.db);
    expect(r.problems).toMatchObject([{ kind: 'entry_altered', table: 'admin_audit', id }]);
    expect(r.problems[0]!.message).toContain(`第 ${id} 条记录被修改`);
    await tamper(`UPDATE admin_audit SET details = '{"n": 7, "text": "修改"}' WHERE id = $1`, [id]);
    expect((await verifyChain(t.db)).problems).toEqual([]);
  });

  it('names a deleted entry', async () => {
    const { rows } = await t.db.query(
      "SELECT *, at::text AS at_text, details::text AS details_text FROM admin_audit WHERE target = 'u12'",
    );
    const row = rows[0]!;
    await tamper('DELETE FROM admin_audit WHERE id = $1', [row.id]);
    const r = await verifyChain(t.db);
    expect(r.problems).toMatchObject([{ kind: 'entry_deleted', table: 'admin_audit', id: row.id }]);
    await tamper(
      'INSERT INTO admin_audit (id, actor_id, action, target, details, at) OVERRIDING SYSTEM VALUE VALUES ($1, $2, $3, $4, $5, $6)',
      [row.id, row.actor_id, row.action, row.target, row.details_text, row.at_text],
    );
    expect((await verifyChain(t.db)).problems).toEqual([]);
  });

  it('names an inserted entry inside a sealed window', async () => {
    await tamper(
      `INSERT INTO admin_audit (id, action, target) OVERRIDING SYSTEM VALUE VALUES ($1, 'user.create', 'forged')`,
      [gap],
    );
    await tamper(
      `INSERT INTO admin_audit (id, action, target) OVERRIDING SYSTEM VALUE VALUES ($1, 'user.create', 'forged')`,
      [gap + 100_000],
    );
    const r = await verifyChain(t.db);
    expect(r.problems).toMatchObject([{ kind: 'entry_inserted', table: 'admin_audit', id: gap }]);
    expect(r.problems[0]!.message).toContain(`第 ${gap} 条记录不在链中`);
    // The forged row beyond the last window is not yet sealed: the sealer would seal it, which is why
    // docs/security.md asks for the export's last hash to be kept outside the database.
    expect(r.unsealed.admin_audit).toBe(1);
  });

  it('detects an altered or deleted link', async () => {
    await tamper("UPDATE audit_links SET entry_digests[1] = repeat('0', 64) WHERE seq = 1");
    let r = await verifyChain(t.db);
    expect(r.problems.map((p) => p.kind)).toContain('link_altered');
    const { rows } = await t.db.query<{ n: number }>('SELECT max(seq)::int AS n FROM audit_links');
    if (rows[0]!.n > 1) {
      await tamper('DELETE FROM audit_links WHERE seq = 1');
      r = await verifyChain(t.db);
      expect(r.problems.map((p) => p.kind)).toContain('link_missing');
    }
  });
});
