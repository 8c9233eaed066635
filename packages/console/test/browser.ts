/**
 * Helpers for the browser tests: one Chromium per test file, one context per person (so a supervisor
 * and a handler can work side by side), log-in through the log-in page, a screenshot per test, and a
 * record of every console error (a test fails if a page logged one).
 */
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, expect, inject } from 'vitest';

export const PASSWORD = 'Liandong@2026';
export const desks = () => ({ hotline: inject('hotlineUrl'), dispatch: inject('dispatchUrl') });

let browser: Browser | null = null;
const contexts: BrowserContext[] = [];

export function useBrowser(): void {
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: inject('chromium'),
      headless: true,
      args: ['--no-sandbox', '--disable-background-networking', '--disable-dev-shm-usage'],
    });
  });
  // A failed test leaves a picture of every page it had open, for the one reading CI's output.
  beforeEach(({ task, onTestFailed }) => {
    const from = contexts.length;
    onTestFailed(async () => {
      const name = task.name.replace(/[^\p{L}\p{N}]+/gu, '-').slice(0, 80);
      for (const [i, c] of contexts.slice(from).entries()) {
        for (const [j, p] of c.pages().entries())
          await p
            .screenshot({ path: path.join(inject('shotsDir'), `FAILED-${name}-${i}-${j}.png`) })
            .catch(() => undefined);
      }
    });
  });
  afterAll(async () => {
    for (const c of contexts.splice(0)) await c.close().catch(() => undefined);
    await browser?.close();
    browser = null;
  });
}

export interface Person {
  page: Page;
  errors: string[];
  shot(name: string): Promise<void>;
}

/** What a person's browser allows (e.g. desktop notifications) and a script run before the console's own. */
export interface ConsoleOptions {
  permissions?: string[];
  initScript?: string;
}

/** Opens the console of a desk in a fresh browser context at 1366×768 (the log-in page). */
export async function openConsole(
  desk: 'hotline' | 'dispatch' = 'hotline',
  options: ConsoleOptions = {},
): Promise<Person> {
  if (!browser) throw new Error('useBrowser() first');
  const ctx = await browser.newContext({
    viewport: { width: 1366, height: 768 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    ...(options.permissions ? { permissions: options.permissions } : {}),
  });
  contexts.push(ctx);
  if (options.initScript) await ctx.addInitScript(options.initScript);
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    // with the address that failed, to read in a failure
    if (m.type() === 'error') errors.push(m.location().url ? `${m.text()} <${m.location().url}>` : m.text());
  });
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  await page.goto(desks()[desk]);
  return {
    page,
    errors,
    // Drawers and modals slide in: let them settle so the picture shows what the person sees.
    shot: async (name: string) => {
      await page.waitForTimeout(400);
      await page.screenshot({ path: path.join(inject('shotsDir'), `${name}.png`), fullPage: false });
    },
  };
}

/** Opens a page of a desk on a phone (375×812, touch, 微信-sized), as a citizen would. */
export async function openPhone(pathname: string, desk: 'hotline' | 'dispatch' = 'hotline'): Promise<Person> {
  if (!browser) throw new Error('useBrowser() first');
  const ctx = await browser.newContext({
    viewport: { width: 375, height: 812 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  contexts.push(ctx);
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    // with the address that failed, to read in a failure
    if (m.type() === 'error') errors.push(m.location().url ? `${m.text()} <${m.location().url}>` : m.text());
  });
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  await page.goto(`${desks()[desk]}${pathname}`);
  return {
    page,
    errors,
    shot: async (name: string) => {
      await page.waitForTimeout(300);
      await page.screenshot({ path: path.join(inject('shotsDir'), `${name}.png`), fullPage: true });
    },
  };
}

/** Opens the console as a person, logged in through the form. */
export async function logIn(
  username: string,
  desk: 'hotline' | 'dispatch' = 'hotline',
  password = PASSWORD,
  options: ConsoleOptions = {},
): Promise<Person> {
  const p = await openConsole(desk, options);
  await p.page.getByLabel('用户名').fill(username);
  await p.page.getByLabel('密码').fill(password);
  await p.page.getByRole('button', { name: /登\s*录/ }).click();
  await p.page.getByTestId('current-user').waitFor();
  return p;
}

/**
 * No script error, no React or Ant Design warning logged as an error. A test that submits bad input on
 * purpose passes the HTTP statuses it provoked: Chromium logs every 4xx answer as "Failed to load resource".
 */
export function expectNoConsoleErrors(p: Person, provoked: number[] = []): void {
  const allowed = (e: string) =>
    provoked.some((s) => e.startsWith(`Failed to load resource: the server responded with a status of ${s} `));
  expect(
    p.errors.filter((e) => !allowed(e)),
    `console errors on ${p.page.url()}`,
  ).toEqual([]);
}

/** The API as a person, for setting up a scene (the test then acts through the pages). */
export async function apiAs(username: string, desk: 'hotline' | 'dispatch' = 'hotline') {
  const base = desks()[desk];
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  const { token } = (await login.json()) as { token: string };
  return async <T = Record<string, unknown>>(method: string, url: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${base}${url}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = await res.json().catch(() => null);
    if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(json)}`);
    return json as T;
  };
}

/**
 * A work order filed by the 12345 call-taker through the API, for a scene: a phone complaint in 渝中区
 * unless the fields say otherwise.
 */
export async function fileOrder(
  fields: { content: string; categoryCode: string } & Record<string, unknown>,
): Promise<{ id: string; no: string }> {
  const hotline = await apiAs('hotline01');
  return hotline<{ id: string; no: string }>('POST', '/api/work-orders', {
    channel: 'phone_12345',
    districtCode: '500103',
    orderType: 'complaint',
    ...fields,
  });
}

/** A marker that makes this test's records easy to find among the demo data. */
let marks = 0;
/**
 * A text no other test writes: the time in base 36 and a counter digit. The digit matters: a mark of
 * letters alone (the time is sometimes "MXCEAPV") reads as an English word to the pages' language check.
 */
export const mark = () => `T${Date.now().toString(36).toUpperCase()}${++marks % 10}`;

/** Closes the open drawer with its close button, as a person would, and waits until it is gone. */
export async function closeDrawer(page: Page): Promise<void> {
  const drawer = page.locator('.ant-drawer-open');
  await drawer.locator('.ant-drawer-close').click();
  await drawer.waitFor({ state: 'detached' });
}
