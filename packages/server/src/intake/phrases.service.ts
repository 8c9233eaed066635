/**
 * 常用语: the phrases a 12345 call-taker inserts into 诉求内容 (Alt+P), one list per desk, kept by its
 * administrators: added (at the end), edited, reordered and deleted, each change audited with it.
 * Seeded by the migration with the list the console used to have built in.
 */
import type { Actor } from '../auth/actor.ts';
import { audit } from '../admin/audit.repo.ts';
import { inTransaction, type Db, type Queryable } from '../db/pool.ts';
import { AppError } from '../errors.ts';

export const PHRASE_MAX_LENGTH = 200;
export const PHRASES_MAX = 100;

export interface Phrase {
  id: string;
  text: string;
  position: number;
  updatedAt: string;
  updatedByName: string | null;
}

// a phrase is one line of ordinary text: no control characters (tabs, line breaks, NUL …)
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** The phrase as stored (trimmed), or the refusal with its code. */
export function checkPhrase(raw: string): string {
  const text = raw.trim();
  if (!text) throw new AppError('PHRASE_EMPTY');
  if (CONTROL.test(text)) throw new AppError('PHRASE_INVALID_CHARACTERS');
  if ([...text].length > PHRASE_MAX_LENGTH)
    throw new AppError('PHRASE_TOO_LONG', `常用语不能超过 ${PHRASE_MAX_LENGTH} 个字`, { maxLength: PHRASE_MAX_LENGTH });
  return text;
}

const LIST = `SELECT p.id, p.text, p.position, p.updated_at AS "updatedAt", u.display_name AS "updatedByName"
  FROM intake_phrases p LEFT JOIN users u ON u.id = p.updated_by ORDER BY p.position, p.created_at`;

async function list(db: Queryable): Promise<Phrase[]> {
  const rows = (await db.query<Phrase & { updatedAt: Date }>(LIST)).rows;
  return rows.map((r) => ({ ...r, updatedAt: new Date(r.updatedAt).toISOString() }));
}

const duplicate = (err: unknown): never => {
  if ((err as { code?: string }).code === '23505') throw new AppError('PHRASE_DUPLICATE');
  throw err;
};

export class PhraseService {
  constructor(private readonly db: Db) {}

  list(): Promise<Phrase[]> {
    return list(this.db);
  }

  async add(actor: Actor, raw: string): Promise<Phrase> {
    const text = checkPhrase(raw);
    const id = await inTransaction(this.db, async (tx) => {
      // one change of the list at a time, so positions and the count stay right
      await tx.query('LOCK TABLE intake_phrases IN SHARE ROW EXCLUSIVE MODE');
      const { n, next } = (
        await tx.query<{ n: number; next: number }>(
          'SELECT count(*)::int AS n, COALESCE(max(position), 0) + 1 AS next FROM intake_phrases',
        )
      ).rows[0]!;
      if (n >= PHRASES_MAX)
        throw new AppError('PHRASE_LIMIT_REACHED', `常用语最多 ${PHRASES_MAX} 条，请先删除不用的`, {
          max: PHRASES_MAX,
        });
      const r = await tx
        .query<{ id: string }>(
          'INSERT INTO intake_phrases (text, position, updated_by) VALUES ($1, $2, $3) RETURNING id',
          [text, next, actor.id],
        )
        .catch(duplicate);
      await audit(tx, actor.id, 'phrase.create', r.rows[0]!.id, { text });
      return r.rows[0]!.id;
    });
    return (await list(this.db)).find((p) => p.id === id)!;
  }

  async edit(actor: Actor, id: string, raw: string): Promise<Phrase> {
    const text = checkPhrase(raw);
    await inTransaction(this.db, async (tx) => {
      const before = await tx.query<{ text: string }>('SELECT text FROM intake_phrases WHERE id = $1 FOR UPDATE', [id]);
      if (!before.rows[0]) throw new AppError('PHRASE_NOT_FOUND');
      await tx
        .query('UPDATE intake_phrases SET text = $2, updated_at = now(), updated_by = $3 WHERE id = $1', [
          id,
          text,
          actor.id,
        ])
        .catch(duplicate);
      await audit(tx, actor.id, 'phrase.update', id, { from: before.rows[0].text, to: text });
    });
    return (await list(this.db)).find((p) => p.id === id)!;
  }

  async remove(actor: Actor, id: string): Promise<void> {
    await inTransaction(this.db, async (tx) => {
      const r = await tx.query<{ text: string }>('DELETE FROM intake_phrases WHERE id = $1 RETURNING text', [id]);
      if (!r.rows[0]) throw new AppError('PHRASE_NOT_FOUND');
      await audit(tx, actor.id, 'phrase.delete', id, { text: r.rows[0].text });
    });
  }

  /** The whole list in its new order: every phrase exactly once (a list changed meanwhile is refused). */
  async reorder(actor: Actor, ids: string[]): Promise<Phrase[]> {
    await inTransaction(this.db, async (tx) => {
      await tx.query('LOCK TABLE intake_phrases IN SHARE ROW EXCLUSIVE MODE');
      const current = (await tx.query<{ id: string }>('SELECT id FROM intake_phrases')).rows.map((r) => r.id);
      const given = new Set(ids);
      if (given.size !== ids.length || given.size !== current.length || current.some((c) => !given.has(c)))
        throw new AppError('PHRASE_ORDER_MISMATCH');
      await tx.query(
        // the order only: who last worded a phrase stays as it was (the audit records the reorder)
        `UPDATE intake_phrases p SET position = o.n
         FROM unnest($1::uuid[]) WITH ORDINALITY AS o(id, n) WHERE p.id = o.id AND p.position IS DISTINCT FROM o.n`,
        [ids],
      );
      await audit(tx, actor.id, 'phrase.reorder', 'intake_phrases', { ids });
    });
    return list(this.db);
  }
}
