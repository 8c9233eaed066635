#!/usr/bin/env node
/**
 * Builds the console (packages/console → dist/) unless the build is newer than every source file.
 * `npm start` and the browser tests run it, so a fresh clone serves the console without a manual step.
 * `--force` always builds.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const pkg = path.join(root, 'packages/console');
const built = path.join(pkg, 'dist/index.html');

function newest(p) {
  const st = fs.statSync(p, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...fs.readdirSync(p).map((f) => newest(path.join(p, f))));
}

const sources = ['src', 'public', 'index.html', 'citizen.html', 'vite.config.ts', 'package.json'].map((f) =>
  newest(path.join(pkg, f)),
);
const builtAt = fs.statSync(built, { throwIfNoEntry: false })?.mtimeMs ?? 0;
if (!process.argv.includes('--force') && builtAt > Math.max(...sources)) process.exit(0);

console.log('building the console (packages/console → dist) …');
const vite = path.join(root, 'node_modules/vite/bin/vite.js');
// Always the production build: a caller's NODE_ENV (vitest sets "test") would otherwise give React's
// development build, which is larger and slower than what users get.
const r = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
  cwd: pkg,
  stdio: 'inherit',
  env: { ...process.env, NODE_ENV: 'production' },
});
process.exit(r.status ?? 1);
