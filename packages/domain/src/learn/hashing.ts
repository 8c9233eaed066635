/**
 * Feature hashing for the linear learner: a feature is a 32-bit number, computed from a string or from a
 * few character codes without building a string (so a 1,000-character text costs no allocations).
 */

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a over the UTF-16 code units of `s`, after a namespace number (one per feature family). */
export function hashString(namespace: number, s: string): number {
  let h = Math.imul(FNV_OFFSET ^ namespace, FNV_PRIME);
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}

/** hashString(namespace, text.slice(from, to)), without making the slice. */
export function hashRange(namespace: number, text: string, from: number, to: number): number {
  let h = Math.imul(FNV_OFFSET ^ namespace, FNV_PRIME);
  for (let i = from; i < to; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}

/** FNV-1a over a namespace and up to three code units (character n-grams). */
export function hashCodes(namespace: number, a: number, b = -1, c = -1): number {
  let h = Math.imul(FNV_OFFSET ^ namespace, FNV_PRIME);
  h = Math.imul(h ^ a, FNV_PRIME);
  if (b >= 0) h = Math.imul(h ^ b, FNV_PRIME);
  if (c >= 0) h = Math.imul(h ^ c, FNV_PRIME);
  return h >>> 0;
}

/** A growable list of feature ids with one weight each (duplicates allowed: they add up). */
export class FeatureBag {
  ids: Uint32Array;
  values: Float32Array;
  length = 0;
  constructor(capacity = 256) {
    this.ids = new Uint32Array(capacity);
    this.values = new Float32Array(capacity);
  }
  clear(): this {
    this.length = 0;
    return this;
  }
  add(id: number, value = 1): void {
    if (this.length === this.ids.length) {
      const ids = new Uint32Array(this.ids.length * 2);
      ids.set(this.ids);
      const values = new Float32Array(this.values.length * 2);
      values.set(this.values);
      this.ids = ids;
      this.values = values;
    }
    this.ids[this.length] = id;
    this.values[this.length] = value;
    this.length += 1;
  }
  /** A compact copy (for training sets, which keep every document's features). */
  snapshot(): { ids: Uint32Array; values: Float32Array } {
    return { ids: this.ids.slice(0, this.length), values: this.values.slice(0, this.length) };
  }
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Int16Array(128).fill(-1);
for (let i = 0; i < B64.length; i++) B64_INDEX[B64.charCodeAt(i)] = i;

/** Standard base64 of bytes (the saved model's arrays travel in JSON this way). */
export function toBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  let chunk = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!,
      b = bytes[i + 1],
      c = bytes[i + 2];
    chunk +=
      B64[a >> 2]! +
      B64[((a & 3) << 4) | ((b ?? 0) >> 4)]! +
      (b === undefined ? '=' : B64[((b & 15) << 2) | ((c ?? 0) >> 6)]!) +
      (c === undefined ? '=' : B64[c & 63]!);
    if (chunk.length >= 8192) {
      parts.push(chunk);
      chunk = '';
    }
  }
  parts.push(chunk);
  return parts.join('');
}

export function fromBase64(s: string): Uint8Array {
  // Node's decoder when there is one (ten times faster than the loop below, which browsers use).
  const NodeBuffer = (globalThis as { Buffer?: { from(s: string, enc: string): Uint8Array } }).Buffer;
  if (NodeBuffer) return new Uint8Array(NodeBuffer.from(s, 'base64'));
  const clean = s.replace(/=+$/, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let o = 0;
  for (let i = 0; i < clean.length; i += 4) {
    const a = B64_INDEX[clean.charCodeAt(i)]!,
      b = B64_INDEX[clean.charCodeAt(i + 1)] ?? -1,
      c = i + 2 < clean.length ? B64_INDEX[clean.charCodeAt(i + 2)]! : -1,
      d = i + 3 < clean.length ? B64_INDEX[clean.charCodeAt(i + 3)]! : -1;
    if (a < 0 || b < 0) throw new Error('invalid base64');
    out[o++] = (a << 2) | (b >> 4);
    if (c >= 0) out[o++] = ((b & 15) << 4) | (c >> 2);
    if (d >= 0) out[o++] = ((c & 3) << 6) | d;
  }
  return out.subarray(0, o);
}
