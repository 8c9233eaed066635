import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { apiAs, expectNoConsoleErrors, logIn, useBrowser } from './browser.ts';
import { expectPageClean } from './page-checks.ts';

useBrowser();

/** This month and quarter in Beijing time, as the page's default and its quarter picker write them. */
function beijingNow() {
  const t = new Date(Date.now() + 8 * 3_600_000);
  const y = t.getUTCFullYear(),
    m = t.getUTCMonth() + 1;
  return { month: `${y}-${String(m).padStart(2, '0')}`, quarter: `${y}-Q${Math.floor((m - 1) / 3) + 1}` };
}

describe('the analyst opens the monthly and hot-spot reports', () => {
  it('reads the month’s 通报 as the API counts it, changes the period, downloads both files, then the hot spots', async () => {
    const { month, quarter } = beijingNow();
    const api = await apiAs('fenxi01');
    type R = { headline: { key: string; label: string; value: number | null }[] };
    const expected = await api<R>('GET', `/api/reports/monthly?period=${month}`);
    const orders = expected.headline.find((f) => f.key === 'workOrders')!;

    const analyst = await logIn('fenxi01');
    const { page } = analyst;
    await page.getByTestId('main-menu').getByText('统计报表').click();
    const report = page.getByTestId('report-monthly');
    await report.waitFor({ timeout: 20_000 });
    const row = page.getByTestId('headline-table').locator('tr', { hasText: orders.label }).first();
    expect((await row.locator('td').nth(1).innerText()).trim()).toBe(String(orders.value));
    expect(await page.getByTestId('exercise-note').first().innerText()).toContain('不含应急演练数据');
    await page.getByTestId('district-chart').locator('canvas').first().waitFor();
    await expectPageClean(page, '月度通报');
    await analyst.shot('analyst-opens-the-monthly-report');

    // the quarter: the picker writes 2026-Q4 and the table shows the quarter's figure
    const quarterly = await api<R>('GET', `/api/reports/monthly?period=${quarter}`);
    await page.getByTestId('period-kind').getByText('季度', { exact: true }).click();
    await expect.poll(() => page.getByTestId('period-label').innerText()).toMatch(/^\d{4}年第[1-4]季度$/);
    const qOrders = String(quarterly.headline.find((f) => f.key === 'workOrders')!.value);
    await expect
      .poll(async () => (await row.locator('td').nth(1).innerText()).trim(), { timeout: 15_000 })
      .toBe(qOrders);

    // the two files, as the API writes them
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-xlsx').click()]);
    expect(xlsx.suggestedFilename()).toBe(`月度通报-${quarter}.xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await readFile((await xlsx.path())!)) as unknown as ArrayBuffer);
    let inSheet: unknown = null;
    wb.getWorksheet('主要指标')!.eachRow((r) => {
      if (r.getCell(1).value === orders.label) inSheet = r.getCell(2).value;
    });
    expect(String(inSheet)).toBe(qOrders);
    const [docx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-docx').click()]);
    const zip = await JSZip.loadAsync(await readFile((await docx.path())!));
    const text = (await zip.file('word/document.xml')!.async('string')).replace(/<[^>]+>/g, '');
    expect(text).toContain('12345政务服务便民热线与110报警服务台对接联动工作通报');
    expect(text).toContain(`${orders.label}${qOrders}`);

    // the hot spots of the month: places of both desks, the spikes and the repeat-dispute list
    await page.getByTestId('report-tabs').getByText('热点预警').click();
    await page.getByTestId('report-hotspots').waitFor({ timeout: 20_000 });
    const hot = await api<{ places: { label: string }[] }>('GET', `/api/reports/hotspots?period=${month}`);
    if (hot.places.length) await page.getByTestId('places-chart').locator('canvas').first().waitFor();
    await page.getByTestId('risk-table').waitFor();
    await page.getByTestId('spikes').waitFor();
    await expectPageClean(page, '热点预警');
    await analyst.shot('analyst-opens-the-hot-spot-report');
    expectNoConsoleErrors(analyst);
  });
});
