/**
 * Personal data at rest (docs/security.md, "Personal data at rest"): callers' names and phone numbers
 * are stored sealed with SM4-CBC and HMAC-SM3 (encrypt-then-MAC; Node 20 has no SM4-GCM), each sealed
 * value naming the key it was sealed with, so keys rotate (`npx liandong keys rotate`). Look-ups by
 * number use a keyed hash (HMAC-SM3 of the normalised number, under a key of its own), never the
 * plaintext. Every read or search of these columns goes through this module.
 *
 * The keys live outside the database: `PII_KEYS` (and `PII_LOOKUP_KEY`) in the environment, or a key
 * file (`PII_KEY_FILE`, default `<LIANDONG_DATA_DIR>/pii-keys.json`, created with mode 0600 on first use
 * when no key is configured, so a fresh clone still starts).
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { normalisePhone } from '@liandong/domain';
import { ConfigError } from '../config.ts';
import { AppError } from '../errors.ts';

/** What a sealed value is (bound into its MAC: a name cannot be passed off as a phone number). */
export type PiiField = 'caller.name' | 'caller.phone' | 'sms.text';

export const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;
const VERSION = 'v1';

interface Key {
  id: string;
  enc: Buffer;
  mac: Buffer;
}

/** The current key (new values are sealed with it), the older ones still read, and the look-up key. */
export interface PiiKeyring {
  current: string;
  keys: ReadonlyMap<string, Key>;
  lookup: Buffer;
  /** Where the keys came from (for messages; never the keys). */
  source: string;
}

/** The key file's shape: `{ "current": "k1", "keys": { "k1": "<base64, 32 bytes>" }, "lookupKey": "<base64>" }`. */
export interface KeyFile {
  current: string;
  keys: Record<string, string>;
  lookupKey: string;
}

/** A key configuration that cannot work (missing, malformed, current key absent): the server does not start. */
export class PiiKeyError extends ConfigError {}

const derive = (secret: Buffer, label: string, length: number): Buffer =>
  createHmac('sm3', secret).update(label).digest().subarray(0, length);

function makeKey(id: string, secret: Buffer): Key {
  if (!KEY_ID_PATTERN.test(id)) throw new PiiKeyError(`个人信息密钥编号 “${id}” 不合法（1～32 位字母、数字、_ 或 -）`);
  if (secret.length < 16) throw new PiiKeyError(`个人信息密钥 ${id} 太短（至少 16 字节，建议 32 字节随机数的 base64）`);
  return { id, enc: derive(secret, 'liandong pii sm4', 16), mac: derive(secret, 'liandong pii hmac-sm3', 32) };
}

function secretOf(name: string, raw: string): Buffer {
  const b = Buffer.from(raw.trim(), 'base64');
  if (b.length < 16) throw new PiiKeyError(`${name} 须为至少 16 字节的 base64（建议 32 字节随机数）`);
  return b;
}

export function keyringFromFile(file: KeyFile, source: string): PiiKeyring {
  const keys = new Map<string, Key>();
  for (const [id, secret] of Object.entries(file.keys ?? {})) keys.set(id, makeKey(id, secretOf(`密钥 ${id}`, secret)));
  if (!keys.has(file.current)) throw new PiiKeyError(`${source}：当前密钥 “${file.current}” 不在 keys 中`);
  if (typeof file.lookupKey !== 'string') throw new PiiKeyError(`${source}：缺少 lookupKey`);
  return { current: file.current, keys, lookup: secretOf('lookupKey', file.lookupKey), source };
}

export function newKeySecret(): string {
  return randomBytes(32).toString('base64');
}

export function readKeyFile(file: string): KeyFile {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as KeyFile;
  } catch (err) {
    throw new PiiKeyError(`无法读取个人信息密钥文件 ${file}：${(err as Error).message}`);
  }
}

/** Writes the key file atomically, readable by its owner only. */
export function writeKeyFile(file: string, content: KeyFile): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, file);
}

/** Creates the key file unless it exists (two processes starting at once end up with one file). */
function createKeyFile(file: string, content: KeyFile): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.new`;
  fs.writeFileSync(tmp, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
  fs.chmodSync(tmp, 0o600);
  try {
    fs.linkSync(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

export function keyFilePath(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(
    env.PII_KEY_FILE?.trim() || path.join(path.resolve(env.LIANDONG_DATA_DIR?.trim() || 'data'), 'pii-keys.json'),
  );
}

/**
 * The keyring the environment names: `PII_KEYS` (`id:base64,…`), `PII_CURRENT_KEY` (default the first),
 * `PII_LOOKUP_KEY`; else the key file, created on first use unless NODE_ENV=production (where a missing
 * key is an error: a deployment provisions its keys).
 */
export function loadKeyring(env: NodeJS.ProcessEnv = process.env): PiiKeyring {
  const list = env.PII_KEYS?.trim();
  if (list) {
    const keys = new Map<string, Key>();
    for (const part of list
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)) {
      const i = part.indexOf(':');
      if (i < 1) throw new PiiKeyError('配置项 PII_KEYS 须为 “编号:base64密钥,…”');
      const id = part.slice(0, i).trim();
      if (keys.has(id)) throw new PiiKeyError(`配置项 PII_KEYS 中密钥编号 ${id} 重复`);
      keys.set(id, makeKey(id, secretOf(`PII_KEYS 中的密钥 ${id}`, part.slice(i + 1))));
    }
    const current = env.PII_CURRENT_KEY?.trim() || [...keys.keys()][0]!;
    if (!keys.has(current)) throw new PiiKeyError(`配置项 PII_CURRENT_KEY “${current}” 不在 PII_KEYS 中`);
    const lookup = env.PII_LOOKUP_KEY?.trim();
    if (!lookup) throw new PiiKeyError('设置了 PII_KEYS 时须同时设置 PII_LOOKUP_KEY（按号码查询用的密钥）');
    return { current, keys, lookup: secretOf('PII_LOOKUP_KEY', lookup), source: 'PII_KEYS' };
  }
  const file = keyFilePath(env);
  if (!fs.existsSync(file)) {
    if (env.NODE_ENV?.trim() === 'production')
      throw new PiiKeyError(`缺少个人信息密钥：请设置 PII_KEYS 与 PII_LOOKUP_KEY，或提供密钥文件 ${file}`);
    createKeyFile(file, { current: 'k1', keys: { k1: newKeySecret() }, lookupKey: newKeySecret() });
  }
  return keyringFromFile(readKeyFile(file), file);
}

let active: PiiKeyring | null = null;
/** A keyring read from a key file is read again when the file changes (checked at most this often). */
export const KEY_FILE_RECHECK_MS = 5000;
let fileState: { path: string; mtimeMs: number; checkedAt: number } | null = null;

function fileMtime(file: string): number {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return -1;
  }
}

/**
 * The process's keyring (loaded from the environment on first use). One from a key file follows the
 * file: `keys rotate` adds a key there and makes it current, and every running process takes it within
 * KEY_FILE_RECHECK_MS, so rows re-sealed meanwhile stay readable everywhere (no downtime).
 */
export function piiKeyring(): PiiKeyring {
  if (active && fileState && Date.now() - fileState.checkedAt > KEY_FILE_RECHECK_MS) {
    fileState.checkedAt = Date.now();
    const m = fileMtime(fileState.path);
    if (m !== fileState.mtimeMs) {
      active = keyringFromFile(readKeyFile(fileState.path), fileState.path);
      fileState.mtimeMs = m;
    }
  }
  if (!active) {
    active = loadKeyring();
    fileState =
      active.source === 'PII_KEYS'
        ? null
        : { path: active.source, mtimeMs: fileMtime(active.source), checkedAt: Date.now() };
  }
  return active;
}

/** Replaces the process's keyring (tests, the rotation command); null: load again on next use. */
export function setPiiKeyring(k: PiiKeyring | null): void {
  active = k;
  fileState = null;
}

function macOf(key: Key, field: PiiField, iv: Buffer, ct: Buffer): Buffer {
  return createHmac('sm3', key.mac).update(`${VERSION}:${key.id}:${field}:`).update(iv).update(ct).digest();
}

/** `v1:<keyId>:<base64(iv ‖ SM4-CBC ciphertext ‖ HMAC-SM3)>`; null stays null. */
export function seal(plain: string | null | undefined, field: PiiField, ring = piiKeyring()): string | null {
  if (plain === null || plain === undefined) return null;
  const key = ring.keys.get(ring.current)!;
  const iv = randomBytes(16);
  const c = createCipheriv('sm4-cbc', key.enc, iv);
  const ct = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
  return `${VERSION}:${key.id}:${Buffer.concat([iv, ct, macOf(key, field, iv, ct)]).toString('base64')}`;
}

/** The key id a sealed value names. */
export function keyIdOf(sealed: string): string {
  return sealed.split(':')[1] ?? '';
}

/** The plaintext of a sealed value; refuses (PII_KEY_UNKNOWN, PII_INTEGRITY_FAILED) rather than guess. */
export function open(sealed: string | null | undefined, field: PiiField, ring = piiKeyring()): string | null {
  if (sealed === null || sealed === undefined) return null;
  const [version, keyId, body] = sealed.split(':');
  if (version !== VERSION || !keyId || !body)
    throw new AppError('PII_INTEGRITY_FAILED', `个人信息密文格式不正确（${field}）`, { field });
  const key = ring.keys.get(keyId);
  if (!key)
    throw new AppError('PII_KEY_UNKNOWN', `个人信息以密钥 “${keyId}” 加密，该密钥不在密钥环中（${ring.source}）`, {
      field,
      keyId,
    });
  const raw = Buffer.from(body, 'base64');
  if (raw.length < 16 + 16 + 32) throw new AppError('PII_INTEGRITY_FAILED', undefined, { field, keyId });
  const iv = raw.subarray(0, 16);
  const ct = raw.subarray(16, raw.length - 32);
  const tag = raw.subarray(raw.length - 32);
  if (!timingSafeEqual(tag, macOf(key, field, iv, ct)))
    throw new AppError('PII_INTEGRITY_FAILED', undefined, { field, keyId });
  const d = createDecipheriv('sm4-cbc', key.enc, iv);
  return Buffer.concat([d.update(ct), d.final()]).toString('utf8');
}

/**
 * The number as it is compared: the domain's normalisation (digits only, +86 / 0086 before a mobile
 * number dropped) or, for short service numbers it leaves out, the digits as given.
 */
export function phoneLookupForm(phone: string): string {
  return normalisePhone(phone) ?? (phone.replace(/\D/g, '') || phone.trim());
}

/** The keyed hash a number is found by (hex HMAC-SM3 under the look-up key); null stays null. */
export function phoneHash(phone: string | null | undefined, ring = piiKeyring()): string | null {
  if (phone === null || phone === undefined || !phone.trim()) return null;
  return createHmac('sm3', ring.lookup)
    .update(`phone:${phoneLookupForm(phone)}`)
    .digest('hex');
}

/** Opens the named columns of query rows in place (`caller_name` holding a sealed name, …). */
export function openColumns<T extends object>(rows: T[], columns: Partial<Record<keyof T & string, PiiField>>): T[] {
  const ring = piiKeyring();
  for (const row of rows) {
    const r = row as Record<string, unknown>;
    for (const [col, field] of Object.entries(columns) as [string, PiiField][]) {
      const v = r[col];
      if (typeof v === 'string') r[col] = open(v, field, ring);
    }
  }
  return rows;
}
