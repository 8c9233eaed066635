/**
 * Chinese word segmentation by jieba's dictionary method (without its HMM for unknown words): over a
 * run of Han letters and digits, every dictionary word starting at each character forms a graph, and
 * the route with the highest total log-frequency is taken. Words are looked up by a pair of rolling
 * hashes in an open-addressing table, so cutting a 1,000-character text allocates nothing but its
 * answer: the end offset of each word.
 */

const PREFIX = 1,
  WORD = 2;

/** Is this code unit part of a word run (Han, Latin letters, digits)? Others are one-character words. */
function wordChar(c: number): boolean {
  return (
    (c >= 0x4e00 && c <= 0x9fff) ||
    (c >= 0x3400 && c <= 0x4dbf) ||
    (c >= 0xf900 && c <= 0xfaff) ||
    (c >= 0x30 && c <= 0x39) ||
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x41 && c <= 0x5a)
  );
}
const latinOrDigit = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);

export class DictionarySegmenter {
  /** Slots of four numbers: the two hashes, the kind (prefix | word) and the word's log-frequency (float bits). */
  private readonly table: Int32Array;
  private readonly logp: Float32Array;
  private readonly mask: number;
  private readonly minLogp: number;

  /** The built table with its header (max word length, mask, minimum log-probability), to load without rebuilding. */
  save(): Int32Array {
    const out = new Int32Array(this.table.length + 4);
    out[0] = this.maxWord;
    out[1] = this.mask;
    new Float32Array(out.buffer, 8, 1)[0] = this.minLogp;
    out.set(this.table, 4);
    return out;
  }
  readonly maxWord: number;
  // Work buffers, grown as needed.
  private ends = new Int32Array(4096);
  private endLp = new Float64Array(4096);
  private endStart = new Int32Array(1025);
  private best = new Float64Array(1025);
  private next = new Int32Array(1025);

  /** `words`: [word, frequency] pairs (jieba's dictionary format gives both); or a table saved by `save()`. */
  constructor(words: Iterable<[string, number]> | { table: Int32Array }) {
    if ('table' in words) {
      const t = words.table;
      this.maxWord = t[0]!;
      this.mask = t[1]!;
      this.minLogp = new Float32Array(t.buffer, t.byteOffset + 8, 1)[0]!;
      this.table = t.subarray(4);
      this.logp = new Float32Array(this.table.buffer, this.table.byteOffset, this.table.length);
      return;
    }
    const list: [string, number][] = [];
    for (const p of words) if (p[0].length > 0 && p[1] > 0) list.push(p);
    let total = 0;
    let maxWord = 1;
    for (const [w, f] of list) {
      total += f;
      if (w.length > maxWord) maxWord = w.length;
    }
    this.maxWord = Math.min(maxWord, 32);
    let size = 1024;
    while (size < list.length * 3) size *= 2;
    this.mask = size - 1;
    this.table = new Int32Array(size * 4);
    this.logp = new Float32Array(this.table.buffer);
    const logTotal = Math.log(total || 1);
    this.minLogp = Math.log(1) - logTotal;
    for (const [w, f] of list) this.insert(w, Math.log(f) - logTotal);
  }

  private insert(w: string, lp: number): void {
    if (w.length > this.maxWord) return;
    let h1 = 0x811c9dc5,
      h2 = 0x12345679;
    for (let i = 0; i < w.length; i++) {
      const c = w.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 + c, 0x9e3779b1) ^ (h2 >>> 15);
      const slot = this.slot(h1 | 0, h2 | 0, true);
      if (i === w.length - 1) {
        // A word listed twice keeps its larger frequency.
        if (this.table[slot + 2]! & WORD) this.logp[slot + 3] = Math.max(this.logp[slot + 3]!, lp);
        else this.logp[slot + 3] = lp;
        this.table[slot + 2]! |= WORD;
      } else this.table[slot + 2]! |= PREFIX;
    }
  }

  /** Parses jieba's dictionary text ("word frequency [tag]" per line), keeping words of at least `minFrequency`. */
  static fromDictionary(texts: string[], minFrequency = 0): DictionarySegmenter {
    const entries: [string, number][] = [];
    for (const text of texts) {
      let start = 0;
      while (start < text.length) {
        let end = text.indexOf('\n', start);
        if (end < 0) end = text.length;
        const a = text.indexOf(' ', start);
        if (a > start && a < end) {
          let f = 0;
          for (let i = a + 1; i < end; i++) {
            const c = text.charCodeAt(i);
            if (c < 48 || c > 57) break;
            f = f * 10 + c - 48;
          }
          if (f >= minFrequency) entries.push([text.slice(start, a), f]);
        }
        start = end + 1;
      }
    }
    return new DictionarySegmenter(entries);
  }

  /** The table offset of a key (inserting it when asked), or -1. */
  private slot(h1: number, h2: number, insert: boolean): number {
    let s = (h1 ^ Math.imul(h2, 0x85ebca6b)) & this.mask;
    const t = this.table;
    for (;;) {
      const o = s << 2;
      if (t[o + 2] === 0) {
        if (!insert) return -1;
        t[o] = h1;
        t[o + 1] = h2;
        return o;
      }
      if (t[o] === h1 && t[o + 1] === h2) return o;
      s = (s + 1) & this.mask;
    }
  }

  /** The end offset of each word of `text`, in order (the last is text.length). */
  cut(text: string): Int32Array {
    const n = text.length;
    const out = new Int32Array(n);
    let count = 0;
    let i = 0;
    while (i < n) {
      if (!wordChar(text.charCodeAt(i))) {
        // A run of spaces is one word; any other character stands alone.
        let j = i + 1;
        if (text.charCodeAt(i) === 0x20) while (j < n && text.charCodeAt(j) === 0x20) j++;
        out[count++] = j;
        i = j;
        continue;
      }
      let j = i;
      while (j < n && wordChar(text.charCodeAt(j))) j++;
      count = this.cutRun(text, i, j, out, count);
      i = j;
    }
    return out.subarray(0, count);
  }

  private cutRun(text: string, from: number, to: number, out: Int32Array, count: number): number {
    const len = to - from;
    if (this.best.length < len + 1) {
      this.best = new Float64Array(len * 2 + 1);
      this.next = new Int32Array(len * 2 + 1);
      this.endStart = new Int32Array(len * 2 + 2);
    }
    // The graph: for each start, the ends of the dictionary words beginning there (at least itself).
    let e = 0;
    for (let k = 0; k < len; k++) {
      this.endStart[k] = e;
      let h1 = 0x811c9dc5,
        h2 = 0x12345679;
      let found = false;
      for (let m = k; m < len && m - k < this.maxWord; m++) {
        const c = text.charCodeAt(from + m);
        h1 = Math.imul(h1 ^ c, 0x01000193);
        h2 = Math.imul(h2 + c, 0x9e3779b1) ^ (h2 >>> 15);
        const s = this.slot(h1 | 0, h2 | 0, false);
        if (s < 0) break;
        const kind = this.table[s + 2]!;
        if (kind & WORD) {
          this.pushEnd(e++, m, this.logp[s + 3]!);
          found = true;
        }
        if (!(kind & PREFIX)) break;
      }
      if (!found) this.pushEnd(e++, k, this.minLogp);
    }
    this.endStart[len] = e;
    // The best route from each position to the end.
    this.best[len] = 0;
    for (let k = len - 1; k >= 0; k--) {
      let bestScore = -Infinity,
        bestEnd = k;
      for (let q = this.endStart[k]!; q < this.endStart[k + 1]!; q++) {
        const m = this.ends[q]!;
        const score = this.endLp[q]! + this.best[m + 1]!;
        if (score > bestScore || (score === bestScore && m > bestEnd)) {
          bestScore = score;
          bestEnd = m;
        }
      }
      this.best[k] = bestScore;
      this.next[k] = bestEnd + 1;
    }
    // Single Latin letters and digits in a row are one word ("abc", "110").
    let k = 0;
    while (k < len) {
      const end = this.next[k]!;
      if (end - k === 1 && latinOrDigit(text.charCodeAt(from + k))) {
        let m = k;
        while (m < len && this.next[m] === m + 1 && latinOrDigit(text.charCodeAt(from + m))) m++;
        out[count++] = from + m;
        k = m;
        continue;
      }
      out[count++] = from + end;
      k = end;
    }
    return count;
  }

  private pushEnd(e: number, m: number, lp: number): void {
    if (e >= this.ends.length) {
      const ends = new Int32Array(this.ends.length * 2);
      ends.set(this.ends);
      this.ends = ends;
      const endLp = new Float64Array(this.endLp.length * 2);
      endLp.set(this.endLp);
      this.endLp = endLp;
    }
    this.ends[e] = m;
    this.endLp[e] = lp;
  }

  /** The words themselves (for tests and tools; the engine uses the offsets). */
  words(text: string): string[] {
    const ends = this.cut(text);
    const out: string[] = [];
    let start = 0;
    for (const e of ends) {
      out.push(text.slice(start, e));
      start = e;
    }
    return out;
  }
}
