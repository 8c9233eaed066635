/**
 * 并单 candidates for an order (GET /api/work-orders/:id/merge-candidates): the open orders most like it —
 * the same topic told in other words, near in place and time, on any channel — each with a similarity
 * score and its parts (domain/hotline/merge). The console merges with one click from the list.
 */
import {
  REQUEST_CHANNEL_LABELS,
  bigramIdf,
  mergeScore,
  mergeTerms,
  termCounts,
  placeSimilarity,
  textSimilarity,
  timeSimilarity,
  type MergePlace,
  type RequestChannel,
  type TermCounts,
} from '@liandong/domain';
import { getSegmenter } from '../triage/triage-engine.ts';
import { projectCorpus } from './smart-dispatch/smart-dispatch.ts';
import type { Queryable } from '../db/pool.ts';
import type { WorkOrderRow } from './work-orders.repo.ts';
import { presentWorkOrder } from './work-orders.present.ts';

/** How far apart in time two orders of one matter may be, and how many neighbours are read at most. */
export const MERGE_WINDOW_DAYS = 30;
const MAX_NEIGHBOURS = 2000;
/** Below this similarity an order is not offered as the same matter. */
export const MERGE_MIN_SCORE = 0.4;

let background: TermCounts | null = null;
/** Term counts of the project's own corpus (5,000 synthetic orders): how common 晚上 is, and 摊贩. */
function backgroundCounts(): TermCounts {
  background ??= termCounts(projectCorpus(5000, 7).map((r) => mergeTerms(r.text, [], getSegmenter())));
  return background;
}

type Candidate = WorkOrderRow & {
  content: string;
  address: string;
  street_code: string | null;
  lat: number | null;
  lng: number | null;
  channel: string;
  category_root: string;
  district_name: string | null;
  street_name: string | null;
};

const OPEN = `('received', 'assigned', 'returned', 'signed', 'in_progress')`;

/** The order and its open neighbours: within the window, in its district (or any, when it has none). */
async function neighbours(db: Queryable, id: string): Promise<{ self: Candidate | null; others: Candidate[] }> {
  const sel = `SELECT w.*, q.content, q.address, q.street_code, q.lat, q.lng, q.channel,
      COALESCE(c.parent_code, c.code) AS category_root, d.name AS district_name, s.name AS street_name
    FROM work_orders w JOIN requests q ON q.id = w.request_id JOIN catalogue_categories c ON c.code = w.category_code
    LEFT JOIN districts d ON d.code = w.district_code LEFT JOIN streets s ON s.code = q.street_code`;
  const self = (await db.query<Candidate>(`${sel} WHERE w.id = $1`, [id])).rows[0] ?? null;
  if (!self) return { self, others: [] };
  const { rows } = await db.query<Candidate>(
    `${sel}
     WHERE w.id <> $1 AND w.status IN ${OPEN}
       AND w.created_at BETWEEN $2::timestamptz - make_interval(days => $4) AND $2::timestamptz + make_interval(days => $4)
       AND ($3::text IS NULL OR w.district_code = $3 OR w.district_code IS NULL)
     ORDER BY abs(extract(epoch FROM w.created_at - $2::timestamptz)) LIMIT $5`,
    [id, self.created_at, self.district_code, MERGE_WINDOW_DAYS, MAX_NEIGHBOURS],
  );
  return { self, others: rows };
}

const place = (c: Candidate): MergePlace => ({
  districtCode: c.district_code,
  streetCode: c.street_code,
  address: c.address,
  lat: c.lat,
  lng: c.lng,
});

/** The pieces of an address (渝中区八一路口 → 八一路口, 八一路): the names a text repeats in part. */
function placeParts(o: Candidate): string[] {
  let a = o.address.normalize('NFKC').replace(/\s+/g, '');
  for (const n of [o.district_name, o.street_name]) if (n) a = a.replace(n, '');
  return a ? [a, a.replace(/(口|附近|旁边|路段)$/, '')] : [];
}

/** The `limit` most similar open orders, best first, each at least MERGE_MIN_SCORE. */
export async function mergeCandidates(db: Queryable, id: string, limit = 5) {
  const { self, others } = await neighbours(db, id);
  if (!self) return null;
  const cut = getSegmenter();
  // Place names out of the text (both orders'): the place is compared apart.
  const placeNames = (o: Candidate) => [o.address, o.district_name ?? '', o.street_name ?? '', ...placeParts(o)];
  const terms = (o: Candidate, with_: Candidate) =>
    mergeTerms(o.content, [...placeNames(o), ...placeNames(with_)], cut);
  const pairs = others.map((o) => ({ mine: terms(self, o), theirs: terms(o, self) }));
  const idf = bigramIdf(
    [mergeTerms(self.content, placeNames(self), cut), ...pairs.map((p) => p.theirs)],
    backgroundCounts(),
  );
  return others
    .map((o, i) => ({
      o,
      s: mergeScore({
        text: textSimilarity(pairs[i]!.mine, pairs[i]!.theirs, idf),
        place: placeSimilarity(place(self), place(o)),
        time: timeSimilarity(self.created_at, o.created_at),
        sameCategory: o.category_root === self.category_root,
      }),
    }))
    .filter((x) => x.s.score >= MERGE_MIN_SCORE)
    .sort((a, b) => b.s.score - a.s.score || a.o.created_at.getTime() - b.o.created_at.getTime())
    .slice(0, limit)
    .map(({ o, s }) => ({
      ...presentWorkOrder(o),
      channel: o.channel,
      channelLabel: REQUEST_CHANNEL_LABELS[o.channel as RequestChannel] ?? o.channel,
      address: o.address,
      content: o.content.length > 120 ? `${o.content.slice(0, 120)}…` : o.content,
      similarity: s.score,
      parts: { text: s.text, place: s.place, time: s.time },
      sameCategory: o.category_root === self.category_root,
    }));
}
