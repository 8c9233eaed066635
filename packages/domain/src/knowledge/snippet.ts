/**
 * A highlighted snippet: the window of the article's text with the most (and heaviest) of the
 * question's words, HTML-escaped, each hit wrapped in <mark>…</mark>.
 */

export interface HighlightTerm {
  /** Forms to look for in the text (the canonical word and the words that mean the same). */
  surfaces: string[];
  weight: number;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

interface Hit {
  start: number;
  end: number;
  weight: number;
}

function findHits(text: string, terms: readonly HighlightTerm[]): Hit[] {
  const lower = text.toLowerCase();
  const hits: Hit[] = [];
  for (const t of terms) {
    for (const s of [...t.surfaces].sort((a, b) => b.length - a.length)) {
      if (!s) continue;
      for (let i = lower.indexOf(s); i >= 0; i = lower.indexOf(s, i + s.length)) {
        hits.push({ start: i, end: i + s.length, weight: t.weight });
      }
    }
  }
  // Longest first at each place; drop hits inside a kept one.
  hits.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: Hit[] = [];
  for (const h of hits) {
    const last = kept[kept.length - 1];
    if (last && h.start < last.end) continue;
    kept.push(h);
  }
  return kept;
}

export function makeSnippet(text: string, terms: readonly HighlightTerm[], maxChars = 90): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  const hits = findHits(clean, terms);
  let from = 0;
  if (clean.length > maxChars && hits.length) {
    // The window start (at a hit) that holds the heaviest set of distinct hits.
    let best = -1;
    for (const h of hits) {
      const start = Math.max(0, Math.min(h.start - 10, clean.length - maxChars));
      const inside = hits.filter((x) => x.start >= start && x.end <= start + maxChars);
      const w = inside.reduce((s, x) => s + x.weight, 0);
      if (w > best) {
        best = w;
        from = start;
      }
    }
    // Start at a sentence or clause boundary when one is near.
    const boundary = clean.slice(Math.max(0, from - 12), from + 1).search(/[。；！？：，][^。；！？：，]*$/);
    if (boundary >= 0) from = Math.max(0, from - 12) + boundary + 1;
  }
  const to = Math.min(clean.length, from + maxChars);
  let out = from > 0 ? '…' : '';
  let at = from;
  for (const h of hits) {
    if (h.start < from || h.end > to) continue;
    out += escapeHtml(clean.slice(at, h.start)) + '<mark>' + escapeHtml(clean.slice(h.start, h.end)) + '</mark>';
    at = h.end;
  }
  out += escapeHtml(clean.slice(at, to)) + (to < clean.length ? '…' : '');
  return out;
}
