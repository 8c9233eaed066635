/**
 * Dense lists (issue 14): at 1366×768 a supervisor, an analyst, a dispatcher, a seat and a handler see at
 * least 15 rows of their lists without scrolling (at 1920×1080, a whole page of 20), and order and incident numbers keep to one line (one
 * line high, nothing cut). The lists are read as the demo data has them; nothing is added or changed.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectNoConsoleErrors, logIn, useBrowser } from './browser.ts';

useBrowser();

interface Seen {
  /** data rows on the page, and those wholly inside the viewport */
  rows: number;
  inView: number;
  /** the first row's top and the tallest height of the rows told on one line, in px */
  firstTop: number;
  rowHeight: number;
  /** numbers (GD…, JQ…) whose cell wraps them or cuts them, with what was measured */
  badNumbers: string[];
  /** whether the page itself scrolls sideways */
  sideways: boolean;
}

/** What the visible table shows (run in the page: the test code is type-checked without the DOM library). */
function seen(page: Page, testId: string): Promise<Seen> {
  return page.evaluate<Seen>(`(() => {
    const vh = document.documentElement.clientHeight;
    const table = document.querySelector('[data-testid="${testId}"]');
    const rows = [...table.querySelectorAll('.ant-table-tbody tr.ant-table-row')].filter((r) => r.offsetParent !== null);
    const boxes = rows.map((r) => r.getBoundingClientRect());
    // An item another desk handed over carries a second line on purpose (回电, its origin, the lines linked):
    // the one-line rows are measured on their own.
    const oneLine = rows.filter((r) => !r.querySelector('.queue-content-facts')).map((r) => r.getBoundingClientRect());
    const badNumbers = [];
    for (const td of table.querySelectorAll('.ant-table-tbody tr.ant-table-row > td')) {
      const t = td.innerText.trim();
      if (!/^[A-Z]{2}\\d{8,}$/.test(t)) continue;
      const el = td.querySelector('span') || td;
      const cs = getComputedStyle(el);
      const lineHeight = parseFloat(cs.lineHeight) || parseFloat(cs.fontSize) * 1.6;
      const h = el.getBoundingClientRect().height;
      if (h > lineHeight * 1.2 || td.scrollWidth > td.clientWidth || el.scrollWidth > el.clientWidth + 1)
        badNumbers.push(t + ' h=' + h + ' line=' + lineHeight + ' scroll=' + td.scrollWidth + '/' + td.clientWidth);
    }
    return {
      rows: rows.length,
      inView: boxes.filter((b) => b.top >= 0 && b.bottom <= vh).length,
      firstTop: boxes[0] ? boxes[0].top : 0,
      rowHeight: Math.max(0, ...oneLine.map((b) => b.height)),
      badNumbers,
      sideways: document.documentElement.scrollWidth > document.documentElement.clientWidth,
    };
  })()`);
}

async function open(page: Page, menu: string, testId: string, tab?: string): Promise<Seen> {
  await page.getByTestId('main-menu').getByText(menu, { exact: true }).click();
  if (tab) await page.locator('.ant-tabs-tab').getByText(tab, { exact: true }).click();
  await page.getByTestId(testId).locator('tr.ant-table-row').first().waitFor();
  await page.waitForLoadState('networkidle');
  return seen(page, testId);
}

describe('the desks scan dense lists at 1366×768', () => {
  it('the supervisor sees 15 or more orders of 工单查询 at once, each order number on one line', async () => {
    const sv = await logIn('duban01');
    const s = await open(sv.page, '工单查询', 'work-order-table');
    await sv.shot('supervisor-scans-a-dense-order-list');
    expect(s.rows).toBeGreaterThanOrEqual(15);
    expect(s.inView).toBeGreaterThanOrEqual(15);
    expect(s.badNumbers).toEqual([]);
    expect(s.sideways).toBe(false);
    expectNoConsoleErrors(sv);
  });

  it('the analyst sees 15 or more incidents of 警情查询 at once, each incident number on one line', async () => {
    const an = await logIn('fenxi01', 'dispatch');
    const s = await open(an.page, '警情查询', 'incident-query-table');
    await an.shot('analyst-scans-a-dense-incident-list');
    expect(s.rows).toBeGreaterThanOrEqual(15);
    expect(s.inView).toBeGreaterThanOrEqual(15);
    expect(s.badNumbers).toEqual([]);
    expect(s.sideways).toBe(false);
    expectNoConsoleErrors(an);
  });

  it('the dispatcher sees 15 or more incidents of a queue at once, and the 待派警 rows are as compact', async () => {
    const d = await logIn('dispatch01', 'dispatch');
    const closed = await open(d.page, '接警调度', 'incident-table', '已结警');
    await d.shot('dispatcher-scans-a-dense-incident-queue');
    expect(closed.rows).toBeGreaterThanOrEqual(15);
    expect(closed.inView).toBeGreaterThanOrEqual(15);
    expect(closed.badNumbers).toEqual([]);
    // The 待派警 rows (with 派警 and 分流) are as compact as the closed ones: all of them, or 15 when earlier
    // test files on the same server have filed more, are in view. Above them, an emergency alert may stand.
    const waiting = await open(d.page, '接警调度', 'incident-table', '待派警');
    expect(waiting.inView).toBeGreaterThanOrEqual(Math.min(waiting.rows, 15));
    expect(waiting.rowHeight).toBeLessThanOrEqual(closed.rowHeight + 4);
    expect(waiting.sideways).toBe(false);
    expectNoConsoleErrors(d);
  });

  it('the seat sees 15 or more linkage items at once', async () => {
    const s = await logIn('seat01', 'dispatch');
    const all = await open(s.page, '联动事项', 'linkage-table', '全部');
    await s.shot('seat-scans-a-dense-linkage-queue');
    expect(all.rows).toBeGreaterThanOrEqual(15);
    expect(all.inView).toBeGreaterThanOrEqual(15);
    expect(all.sideways).toBe(false);
    expectNoConsoleErrors(s);
  });

  it('the handler sees 15 or more of 我的工单 at once, each order number on one line', async () => {
    const h = await logIn('yuzhong01');
    const mine = await open(h.page, '我的工单', 'work-order-table');
    await h.shot('handler-scans-a-dense-list-of-own-orders');
    expect(mine.rows).toBeGreaterThanOrEqual(15);
    expect(mine.inView).toBeGreaterThanOrEqual(15);
    expect(mine.badNumbers).toEqual([]);
    expect(mine.sideways).toBe(false);
    expectNoConsoleErrors(h);
  });

  it('on a 1920×1080 screen a whole page of 20 orders and 20 incidents is in view, nothing sideways', async () => {
    const sv = await logIn('duban01');
    await sv.page.setViewportSize({ width: 1920, height: 1080 });
    const orders = await open(sv.page, '工单查询', 'work-order-table');
    await sv.shot('supervisor-scans-orders-at-1920');
    expect(orders.rows).toBeGreaterThanOrEqual(20);
    expect(orders.inView).toBe(orders.rows);
    expect(orders.badNumbers).toEqual([]);
    expect(orders.sideways).toBe(false);
    expectNoConsoleErrors(sv);

    const d = await logIn('dispatch01', 'dispatch');
    await d.page.setViewportSize({ width: 1920, height: 1080 });
    const closed = await open(d.page, '接警调度', 'incident-table', '已结警');
    expect(closed.rows).toBeGreaterThanOrEqual(20);
    expect(closed.inView).toBe(closed.rows);
    expect(closed.badNumbers).toEqual([]);
    expect(closed.sideways).toBe(false);
    expectNoConsoleErrors(d);
  });
});
