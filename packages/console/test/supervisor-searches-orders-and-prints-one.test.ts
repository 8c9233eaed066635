import type { Page } from 'playwright-core';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, inject, it } from 'vitest';
import { expectNoConsoleErrors, fileOrder, logIn, mark, useBrowser } from './browser.ts';

useBrowser();

const rows = (page: Page) => page.getByTestId('work-order-table').locator('tr.ant-table-row');
async function search(page: Page, testId: string, text: string) {
  const box = page.getByTestId(testId).locator('input');
  await box.fill(text);
  await box.press('Enter');
}

describe('the supervisor finds orders by what the caller said and prints one', () => {
  it('searches by phone number, address and text, sees the order number on one line, and prints the order sheet', async () => {
    const m = mark();
    const phone = `137${String(Date.now() % 100_000_000).padStart(8, '0')}`;
    const order = await fileOrder({
      caller: { name: '刘洋', phone },
      content: `${m} 枇杷山正街${m}号楼下下水道堵塞，污水漫到人行道上`,
      address: `枇杷山正街${m}号`,
      categoryCode: 'CSGL01',
    });
    const sv = await logIn('duban01');
    const { page } = sv;
    await page.getByTestId('main-menu').getByText('工单查询').click();
    await rows(page).first().waitFor();

    await search(page, 'order-search-phone', phone);
    await expect.poll(() => rows(page).count()).toBe(1);
    expect(await rows(page).first().innerText()).toContain(order.no);
    const no = rows(page).first().getByText(order.no);
    expect((await no.boundingBox())!.height).toBeLessThan(24);
    await search(page, 'order-search-phone', '');

    await search(page, 'order-search-address', `枇杷山正街${m}`);
    await expect.poll(() => rows(page).count()).toBe(1);
    expect(await rows(page).first().innerText()).toContain(order.no);
    await search(page, 'order-search-address', '');
    await search(page, 'order-search-text', `${m}号楼下下水道`);
    await expect.poll(() => rows(page).count()).toBe(1);
    await sv.shot('supervisor-searches-orders-by-text');

    // The list as it stands (this one order) goes out as a spreadsheet.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('order-export').click()]);
    expect(download.suggestedFilename()).toMatch(/^工单查询-\d{8}\.xlsx$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile((await download.path())!);
    const ws = wb.worksheets[0]!;
    expect(String(ws.getRow(1).getCell(1).value)).toMatch(/^工单查询（导出于 .*，共 1 条）$/);
    expect(ws.getRow(3).getCell(1).value).toBe(order.no);

    // The sheet opens in its own tab and asks the browser to print.
    await page.context().addInitScript('window.print = () => { window.__printed = (window.__printed || 0) + 1; };');
    await rows(page).first().click();
    const drawer = page.getByTestId('work-order-drawer');
    await expect.poll(() => drawer.innerText().catch(() => '')).toContain(order.no);
    const [sheetPage] = await Promise.all([page.waitForEvent('popup'), drawer.getByTestId('do-print').click()]);
    const sheet = sheetPage.getByTestId('order-sheet');
    await expect.poll(() => sheet.innerText().catch(() => '')).toContain('重庆市12345政务服务便民热线 工单');
    const text = await sheet.innerText();
    for (const s of [order.no, '刘洋', phone, '下水道堵塞', '处理记录', '受理']) expect(text).toContain(s);
    await expect.poll(() => sheetPage.evaluate('window.__printed')).toBe(1);
    await sheetPage.screenshot({ path: path.join(inject('shotsDir'), 'supervisor-prints-an-order-sheet.png') });
    expectNoConsoleErrors(sv);
  });
});
