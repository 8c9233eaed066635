import { describe, expect, it } from 'vitest';
import { apiAs, expectNoConsoleErrors, fileOrder, logIn, mark, useBrowser } from './browser.ts';

useBrowser();

describe('specialist seat rejects with reason', () => {
  it("the 110 seat must give a reason; the rejection and its reason reach the 12345 side's timeline", async () => {
    const m = mark();
    const hotline = await apiAs('hotline01');
    const order = await fileOrder({
      content: `${m} 小区物业长期不维修电梯，业主和物业吵了几次`,
      categoryCode: 'ZFJS01',
    });
    await hotline('POST', '/api/linkage/items', {
      kind: 'transfer',
      workOrderId: order.id,
      reason: '来电人要求警方处理',
    });

    const seat = await logIn('seat01', 'dispatch');
    const { page } = seat;
    await page.getByTestId('main-menu').getByText('联动事项').click();
    const row = page.getByTestId('linkage-table').locator('tr', { hasText: m });
    await row.waitFor({ timeout: 20_000 });
    expect(await row.innerText()).toContain('待签收');
    await row.getByTestId('quick-reject').click();

    // Without a reason the server refuses, and the form says why.
    await page.getByTestId('step-submit').click();
    await expect.poll(() => page.getByTestId('step-error').innerText()).toBe('请求参数不合法：缺少必填项：原因');
    await page.getByTestId('step-reasonCode').click();
    await page.getByTitle('不属于本平台职责').click();
    await page.getByTestId('step-note').fill('属物业服务纠纷，请12345派单至住房城乡建委处理');
    await seat.shot('specialist-seat-rejects-with-reason-1-form');
    await page.getByTestId('step-submit').click();
    await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(0); // left the 待签收 queue

    await page.getByTestId('linkage-tabs').getByText('拒收与协商').click();
    const rejected = page.getByTestId('linkage-table').locator('tr', { hasText: m });
    await rejected.waitFor();
    expect(await rejected.innerText()).toContain('已拒收');
    await seat.shot('specialist-seat-rejects-with-reason-2-rejected');

    // The 12345 side sees the rejection with its reason on the item's timeline.
    const origin = await logIn('seat01', 'hotline');
    await origin.page.getByTestId('main-menu').getByText('联动事项').click();
    await origin.page.getByTestId('linkage-tabs').getByText('本方发起').click();
    const mine = origin.page.getByTestId('linkage-table').locator('tr', { hasText: m });
    await expect.poll(async () => (await mine.count()) && mine.innerText(), { timeout: 20_000 }).toContain('已拒收');
    await mine.click();
    const timeline = origin.page.getByTestId('linkage-timeline');
    await expect.poll(() => timeline.innerText()).toContain('拒收');
    expect(await timeline.innerText()).toContain('属物业服务纠纷，请12345派单至住房城乡建委处理');
    expect(await origin.page.getByTestId('linkage-status').innerText()).toBe('已拒收');
    await origin.shot('specialist-seat-rejects-with-reason-3-originator-timeline');
    expectNoConsoleErrors(seat, [400]);
    expectNoConsoleErrors(origin);
  });
});
