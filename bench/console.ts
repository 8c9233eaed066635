/**
 * Console benchmark: a list of 100,000 work orders in the real console. Seeds the orders through the
 * demo generator into a fresh embedded PostgreSQL (a temporary folder), starts `liandong serve` for the
 * 12345 desk, then
 *  - times the list API for the console's queries (page 1, a deep page, filters, search, sort by due
 *    time) at 50 per page, on the server's side of the socket;
 *  - opens the console in Debian's Chromium at 1366×768 and times, for each of many page turns, from
 *    the moment the page's data has arrived (the response body read) to the frame in which its 50 rows
 *    are in the table and painted.
 * Prints one JSON line. Needs /usr/bin/chromium (apt-get install chromium).
 *
 *   npm run bench:console -- [--orders 100000] [--turns 30]
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const { values } = parseArgs({
  options: {
    orders: { type: 'string', default: '100000' },
    turns: { type: 'string', default: '30' },
    keep: { type: 'string' },
  },
});
const ORDERS = Number(values.orders);
const TURNS = Number(values.turns);
const root = path.resolve(import.meta.dirname, '..');
const bin = path.join(root, 'packages/server/bin/liandong.mjs');

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => +s[Math.min(s.length - 1, Math.floor(p * s.length))]!.toFixed(1);
  return { n: s.length, p50_ms: q(0.5), p95_ms: q(0.95), max_ms: +s[s.length - 1]!.toFixed(1) };
};

/** Turns to the next page and resolves with the ms from "data arrived" to "its 50 rows painted". */
const TURN_PAGE = `(async () => {
  window.__dataAt = 0;
  const rows = () => document.querySelectorAll('[data-testid=work-order-table] tr.ant-table-row');
  const first = () => (rows()[0] && rows()[0].textContent) || '';
  const before = first();
  document.querySelector('.ant-pagination-next').click();
  await new Promise((resolve) => {
    const done = () => window.__dataAt > 0 && rows().length === 50 && first() !== before;
    if (done()) return resolve();
    const mo = new MutationObserver(() => { if (done()) { mo.disconnect(); resolve(); } });
    mo.observe(document.body, { childList: true, subtree: true, characterData: true });
  });
  // The frame after the DOM change is the one in which the rows are painted.
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  return performance.now() - window.__dataAt;
})()`;

const dataDir = values.keep ?? fs.mkdtempSync(path.join(os.tmpdir(), 'liandong-bench-console-'));
const env = {
  ...process.env,
  LIANDONG_DATA_DIR: dataDir,
  LIANDONG_DESK: 'hotline',
  LOG_LEVEL: 'warn',
  DATABASE_URL: '',
};
const t0 = Date.now();
if (!fs.existsSync(path.join(dataDir, 'pg'))) {
  const seeded = spawnSync(process.execPath, [bin, 'seed-demo', '--orders', String(ORDERS), '--incidents', '0'], {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (seeded.status !== 0) throw new Error('seeding failed');
}
const seedSeconds = Math.round((Date.now() - t0) / 1000);
spawnSync(process.execPath, [path.join(root, 'scripts/build-console.mjs')], { stdio: 'inherit' });

const port = await freePort();
const server = spawn(process.execPath, [bin, 'serve', '--demo'], {
  env: { ...env, PORT: String(port), HOST: '127.0.0.1' },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const base = `http://127.0.0.1:${port}`;
try {
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/health`)).ok) break;
    } catch {
      /* starting */
    }
    if (i > 240) throw new Error('server did not start');
    await new Promise((r) => setTimeout(r, 500));
  }
  const login = (await (
    await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'Liandong@2026' }),
    })
  ).json()) as { token: string };
  const auth = { authorization: `Bearer ${login.token}` };
  const total = (
    (await (await fetch(`${base}/api/work-orders?pageSize=1`, { headers: auth })).json()) as { total: number }
  ).total;

  // 1. The list API as the console calls it (50 per page).
  const QUERIES: Record<string, string> = {
    first_page_newest: 'page=1&pageSize=50&sort=createdAt&order=desc',
    deep_page_1000: 'page=1000&pageSize=50&sort=createdAt&order=desc',
    by_due_time_open: 'page=1&pageSize=50&sort=dueAt&order=asc&status=assigned&status=signed&status=in_progress',
    district_and_status: 'page=3&pageSize=50&districtCode=500103&status=in_progress',
    overdue_open:
      'page=1&pageSize=50&overdue=true&status=assigned&status=signed&status=in_progress&sort=dueAt&order=asc',
    search_title: `page=1&pageSize=50&q=${encodeURIComponent('油烟')}`,
  };
  const api: Record<string, ReturnType<typeof stats>> = {};
  for (const [name, qs] of Object.entries(QUERIES)) {
    const lat: number[] = [];
    for (let i = 0; i < 12; i++) {
      const s = performance.now();
      const r = await fetch(`${base}/api/work-orders?${qs}`, { headers: auth });
      await r.arrayBuffer();
      if (i >= 2) lat.push(performance.now() - s);
    }
    api[name] = stats(lat);
  }

  // 2. Rendering 50 rows in Chromium once the data has arrived.
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  // In-page code (the browser's globals, not Node's): mark when a list response's body has been read.
  await page.addInitScript(`{
    const text = Response.prototype.text;
    Response.prototype.text = async function () {
      const body = await text.call(this);
      if (this.url.includes('/api/work-orders?')) window.__dataAt = performance.now();
      return body;
    };
  }`);
  const loadStart = Date.now();
  await page.goto(base);
  await page.getByLabel('用户名').fill('fenxi01');
  await page.getByLabel('密码').fill('Liandong@2026');
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.getByTestId('work-order-table').locator('tr.ant-table-row').first().waitFor();
  const firstScreenMs = Date.now() - loadStart;
  await page.locator('.ant-pagination-options .ant-select').click();
  await page.getByTitle('50 条/页').click();
  await page.getByTestId('work-order-table').locator('tr.ant-table-row').nth(49).waitFor();
  const render: number[] = [];
  for (let i = 0; i < TURNS; i++) {
    const ms = (await page.evaluate(TURN_PAGE)) as number;
    render.push(ms);
  }
  await browser.close();
  console.log(
    JSON.stringify({
      bench: 'console',
      orders: total,
      seed_seconds: seedSeconds,
      page_size: 50,
      viewport: '1366x768',
      list_api: api,
      render_50_rows_after_data: stats(render),
      first_screen_after_login_ms: firstScreenMs,
      console_errors: errors.length,
      machine: { cpus: os.cpus().length, node: process.version },
    }),
  );
} finally {
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  if (!values.keep) fs.rmSync(dataDir, { recursive: true, force: true });
}
