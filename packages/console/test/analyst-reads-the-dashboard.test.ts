import { describe, expect, it } from 'vitest';
import { apiAs, expectNoConsoleErrors, fileOrder, logIn, mark, useBrowser } from './browser.ts';

useBrowser();

describe('analyst reads the dashboard', () => {
  it("sees today's and this month's volumes, transfers each way, reasons, the district map and the trends", async () => {
    // Today: one order transferred to 110 and rejected there, so the dashboard has a transfer and a reason.
    const hotline = await apiAs('hotline01');
    const order = await fileOrder({ content: `${mark()} 反映邻居占用公共楼道堆放杂物`, categoryCode: 'ZFJS01' });
    const item = await hotline<{ itemId: string }>('POST', '/api/linkage/items', {
      kind: 'transfer',
      workOrderId: order.id,
      reason: '来电人要求警方处理',
    });
    const seat110 = await apiAs('seat01', 'dispatch');
    for (let i = 0; ; i++) {
      try {
        await seat110('POST', `/api/linkage/items/${encodeURIComponent(item.itemId)}/reject`, {
          reasonCode: 'not_our_jurisdiction',
          note: '属物业管理',
        });
        break;
      } catch (e) {
        if (i > 40) throw e;
        await new Promise((r) => setTimeout(r, 250)); // not delivered yet
      }
    }

    const analyst = await logIn('fenxi01');
    const { page } = analyst;
    await page.getByTestId('main-menu').getByText('数据总览').click();
    const board = page.getByTestId('dashboard');
    await board.waitFor({ timeout: 15_000 });
    const text = await board.innerText();
    const today = Number(/今日工单\s*(\d+)/.exec(text)?.[1]);
    const month = Number(/本月工单\s*(\d+)/.exec(text)?.[1]);
    expect(today).toBeGreaterThan(0);
    expect(month).toBeGreaterThanOrEqual(today);
    expect(text).toMatch(/今日转出 \/ 转入\s*[1-9]\d* \/ \d+/);
    expect(await page.getByTestId('transfer-table').innerText()).toMatch(/本方 → 110报警服务台\s*[1-9]/);
    // The map of Chongqing's districts is drawn (a canvas the size of its box), and the reason charts are there.
    const map = page.getByTestId('district-map').locator('canvas').first();
    await map.waitFor();
    const box = await map.boundingBox();
    expect(box!.width).toBeGreaterThan(300);
    expect(box!.height).toBeGreaterThan(300);
    await page.getByTestId('reject-chart').locator('canvas').first().waitFor();
    await page.getByTestId('return-chart').locator('canvas').first().waitFor();
    await page.getByTestId('trend-chart').locator('canvas').first().waitFor();
    // Hovering over the city centre shows the district and its count.
    const tooltip = page.locator('[data-testid=district-map] div').filter({ hasText: /本月工单：\d+/ });
    for (const [fx, fy] of [
      [0.4, 0.6],
      [0.42, 0.55],
      [0.38, 0.62],
      [0.45, 0.5],
      [0.6, 0.4],
    ] as const) {
      await page.mouse.move(box!.x + box!.width * fx, box!.y + box!.height * fy, { steps: 3 });
      await page.waitForTimeout(300);
      if (await tooltip.count()) break;
    }
    expect(await tooltip.last().innerText()).toMatch(/[区县][\s\S]*本月工单：\d+/);
    await analyst.shot('analyst-reads-the-dashboard');
    expectNoConsoleErrors(analyst);
  });
});
