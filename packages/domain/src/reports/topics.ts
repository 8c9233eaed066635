/**
 * Topics of short Chinese texts (每周高频咨询): each text's words (segmented by the caller, e.g. jieba)
 * weighted by TF-IDF, grouped by single-pass leader clustering — a text joins the cluster whose centroid
 * is most similar (cosine) when that similarity reaches the threshold, or opens a new cluster — and each
 * cluster named by its centroid's top terms. Deterministic for a given order of texts.
 */

/** Words that say nothing of a consultation's topic (function words, the way a request is put). */
export const TOPIC_STOPWORDS: ReadonlySet<string> = new Set(
  (
    '的 了 在 是 我 你 他 她 它 我们 你们 他们 有 和 与 及 或 就 不 也 都 要 这 那 这个 那个 这里 那里 个 把 被 给 让 对 从 到 ' +
    '请问 咨询 想问 问一下 问问 一下 想 想要 怎么 怎么办 怎样 如何 什么 哪里 哪儿 哪个 哪些 多少 多久 几 出来 可以 能 能否 能不能 是否 吗 呢 啊 吧 呀 哦 嗯 ' +
    '来电 反映 市民 本人 自己 请 帮忙 帮助 需要 现在 目前 已经 还是 还 没有 没 一个 一些 关于 情况 问题 相关 具体 以及 因为 所以 但是 如果 ' +
    '电话 号码 证件号 车牌 邮箱 某'
  ).split(/\s+/),
);

/** The words of a text that can name a topic: two characters or more, not digits, not a stop word. */
export function topicTerms(words: readonly string[], stop: ReadonlySet<string> = TOPIC_STOPWORDS): string[] {
  return words.map((w) => w.trim()).filter((w) => Array.from(w).length >= 2 && !/^[\d.]+$/.test(w) && !stop.has(w));
}

type Vec = Map<string, number>;

function normalise(v: Vec): Vec {
  let n = 0;
  for (const x of v.values()) n += x * x;
  n = Math.sqrt(n);
  if (n > 0) for (const [k, x] of v) v.set(k, x / n);
  return v;
}

function dot(a: Vec, b: Vec): number {
  const [small, big] = a.size <= b.size ? [a, b] : [b, a];
  let s = 0;
  for (const [k, x] of small) {
    const y = big.get(k);
    if (y !== undefined) s += x * y;
  }
  return s;
}

export interface TopicOptions {
  /** cosine similarity to a centroid at which a text joins its cluster (default 0.3) */
  threshold?: number;
  /** at most this many clusters; a text that fits none once the limit is reached stays unclustered */
  maxClusters?: number;
  /** terms naming a cluster (default 3) */
  nameTerms?: number;
}

export interface TopicCluster {
  /** indexes of the texts, the most typical (closest to the centroid) first */
  members: number[];
  /** the centroid's top terms, the cluster's name */
  terms: string[];
}

export interface TopicModel {
  clusters: TopicCluster[];
  /** indexes of the texts in no cluster (no term, or no room) */
  unclustered: number[];
  /** the cluster a new text (its terms) belongs to by the same rule, or -1 (for counting another period) */
  assign(terms: readonly string[]): number;
}

/** Clusters texts given as their terms (see `topicTerms`). */
export function clusterTopics(docs: readonly (readonly string[])[], opts: TopicOptions = {}): TopicModel {
  const threshold = opts.threshold ?? 0.3,
    maxClusters = opts.maxClusters ?? 200,
    nameTerms = opts.nameTerms ?? 3;
  const df = new Map<string, number>();
  for (const d of docs) for (const t of new Set(d)) df.set(t, (df.get(t) ?? 0) + 1);
  const N = docs.length;
  const idf = (t: string) => Math.log((N + 1) / ((df.get(t) ?? 0) + 1)) + 1;
  const vector = (terms: readonly string[]): Vec => {
    const tf = new Map<string, number>();
    for (const t of terms) tf.set(t, (tf.get(t) ?? 0) + 1);
    const v: Vec = new Map();
    for (const [t, n] of tf) v.set(t, (1 + Math.log(n)) * idf(t));
    return normalise(v);
  };
  const vectors = docs.map(vector);
  const sums: Vec[] = [],
    centroids: Vec[] = [],
    members: number[][] = [];
  const unclustered: number[] = [];
  const best = (v: Vec): [number, number] => {
    let bi = -1,
      bs = 0;
    for (let c = 0; c < centroids.length; c++) {
      const s = dot(v, centroids[c]!);
      if (s > bs) [bi, bs] = [c, s];
    }
    return [bi, bs];
  };
  vectors.forEach((v, i) => {
    if (!v.size) return unclustered.push(i);
    const [c, s] = best(v);
    if (c >= 0 && s >= threshold) {
      for (const [k, x] of v) sums[c]!.set(k, (sums[c]!.get(k) ?? 0) + x);
      centroids[c] = normalise(new Map(sums[c]!));
      members[c]!.push(i);
    } else if (centroids.length < maxClusters) {
      sums.push(new Map(v));
      centroids.push(new Map(v));
      members.push([i]);
    } else unclustered.push(i);
  });
  const clusters = members.map((m, c) => {
    const centroid = centroids[c]!;
    const typical = [...m].sort((a, b) => dot(vectors[b]!, centroid) - dot(vectors[a]!, centroid) || a - b);
    // the name: the heaviest terms, the longer first on a tie, none inside another (公积金, not 公积 and 积金 too)
    const terms: string[] = [];
    for (const [t] of [...centroid].sort(
      (a, b) => b[1] - a[1] || b[0].length - a[0].length || a[0].localeCompare(b[0]),
    )) {
      if (terms.length >= nameTerms) break;
      if (!terms.some((x) => x.includes(t) || t.includes(x))) terms.push(t);
    }
    return { members: typical, terms };
  });
  return {
    clusters,
    unclustered,
    assign(terms) {
      const v = vector(terms);
      if (!v.size) return -1;
      const [c, s] = best(v);
      return c >= 0 && s >= threshold ? c : -1;
    },
  };
}

export type Trend = 'new' | 'up' | 'down' | 'flat';
export const TREND_LABELS: Record<Trend, string> = { new: '新出现', up: '上升', down: '下降', flat: '持平' };

/** A count's trend against the period before: new (none before), up or down by 20 % or more, flat otherwise. */
export function trendOf(count: number, previous: number): Trend {
  if (previous === 0) return count > 0 ? 'new' : 'flat';
  const r = (count - previous) / previous;
  return r >= 0.2 ? 'up' : r <= -0.2 ? 'down' : 'flat';
}

/** A count against its own baseline: the same place's or topic's counts in the windows before. */
export interface Spike {
  count: number;
  mean: number;
  sd: number;
  /** how many standard deviations (at least 1) above the mean */
  z: number;
  ratio: number | null;
}

/**
 * A spike: at least `minCount`, at least twice the baseline's mean, and three standard deviations above
 * it (the deviation taken as at least 1, so a place that never had anything needs `minCount` at once).
 */
export function spikeOf(count: number, baseline: readonly number[], minCount = 3): Spike | null {
  if (count < minCount || baseline.length === 0) return null;
  const mean = baseline.reduce((a, b) => a + b, 0) / baseline.length;
  const sd = Math.sqrt(baseline.reduce((a, b) => a + (b - mean) ** 2, 0) / baseline.length);
  const z = (count - mean) / Math.max(sd, 1);
  if (count < 2 * mean || z < 3) return null;
  return {
    count,
    mean: Math.round(mean * 10) / 10,
    sd: Math.round(sd * 10) / 10,
    z: Math.round(z * 10) / 10,
    ratio: mean > 0 ? Math.round((count / mean) * 10) / 10 : null,
  };
}
