import { describe, expect, it } from 'vitest';
import { closeDrawer, expectNoConsoleErrors, fileOrder, logIn, mark, useBrowser } from './browser.ts';

useBrowser();

describe('supervisor sends a reminder', () => {
  it("the 催办 reaches the handler's open console at once, and the supervisor sees it was read", async () => {
    const m = mark();
    const order = await fileOrder({
      content: `${m} 较场口夜市油烟扰民，多次反映未解决`,
      categoryCode: 'CSGL01',
      leadUnitId: 'd500103.urban-mgmt',
    });

    const handler = await logIn('chengguan01'); // 渝中区城市管理局, console open on 我的工单
    await handler.page.getByTestId('work-order-table').waitFor();

    const sup = await logIn('duban01');
    const { page } = sup;
    await page.getByTestId('main-menu').getByText('工单查询').click();
    await page.getByTestId('order-search').locator('input').fill(order.no);
    await page.keyboard.press('Enter');
    await page.getByTestId('work-order-table').locator('tr', { hasText: order.no }).click();
    await page.getByTestId('work-order-drawer').getByTestId('do-remind').click();
    await page.getByTestId('remind-text').fill('群众多次反映，请今日17时前处置并答复');
    await sup.shot('supervisor-sends-a-reminder-1-form');
    await page.getByTestId('remind-submit').click();
    await expect
      .poll(() =>
        page
          .locator('.ant-message')
          .innerText()
          .catch(() => ''),
      )
      .toContain('催办已送达');

    // The handler did nothing: the reminder appears by itself, with a badge on the bell.
    const note = handler.page.locator('.ant-notification-notice', { hasText: order.no });
    await note.waitFor({ timeout: 15_000 });
    expect(await note.innerText()).toMatch(/催办：工单 GD\d+[\s\S]*群众多次反映，请今日17时前处置并答复（赵磊）/);
    expect(await handler.page.getByTestId('reminder-bell').locator('xpath=..').innerText()).toContain('1');
    await handler.shot('supervisor-sends-a-reminder-2-handler-notified');
    await handler.page.getByTestId('reminder-bell').click();
    const item = handler.page.getByTestId('reminder-item').filter({ hasText: order.no });
    await item.getByText('标记已读').click();
    await expect.poll(() => item.innerText()).toContain('已读');

    await closeDrawer(page);
    await page.getByTestId('main-menu').getByText('督办').click();
    await page.getByTestId('supervision-tabs').getByText('已发催办').click();
    const sent = page.getByTestId('sent-reminders').locator('tr', { hasText: order.no });
    await expect
      .poll(async () => ((await sent.count()) ? sent.innerText() : ''), { timeout: 10_000 })
      .toMatch(/渝中区城市管理局[\s\S]*刘洋 已读/);
    await sup.shot('supervisor-sends-a-reminder-3-read-receipt');
    expectNoConsoleErrors(sup);
    expectNoConsoleErrors(handler);
  });

  it('sees overdue orders and per-unit figures, and escalates an order (督办)', async () => {
    const sup = await logIn('duban01');
    const { page } = sup;
    await page.getByTestId('main-menu').getByText('督办').click();
    const overdue = page.getByTestId('work-order-table');
    await expect.poll(() => overdue.locator('tbody tr.row-overdue').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await overdue.locator('tbody tr.row-overdue').first().innerText()).toContain('已超时');
    await overdue.locator('tbody tr.row-overdue').first().click();
    await page.getByTestId('do-supervise').click();
    await page.getByTestId('field-note').fill('超期未办，列入督办');
    await page.getByTestId('action-submit').click();
    await expect
      .poll(() => page.getByTestId('order-timeline').innerText())
      .toContain('督办 · 赵磊：超期未办，列入督办');
    await closeDrawer(page);
    // Linkage items past, and about to pass, their accept-by time.
    await page.getByTestId('supervision-tabs').getByText('超时对接事项').click();
    await expect
      .poll(() => page.getByTestId('linkage-table').locator('tr.ant-table-row').count(), { timeout: 10_000 })
      .toBeGreaterThan(0);
    expect(await page.getByTestId('linkage-table').innerText()).toContain('已超时');
    await page.getByTestId('supervision-tabs').getByText('15分钟内将超时的对接事项').click();
    await expect.poll(() => page.getByTestId('linkage-table').innerText()).not.toContain('已超时'); // the overdue list has given way to the about-to-be-overdue one
    await page.getByTestId('supervision-tabs').getByText('单位统计').click();
    const units = page.getByTestId('unit-figures');
    await expect.poll(() => units.locator('tbody tr').count()).toBeGreaterThan(3);
    expect(await units.innerText()).toMatch(/退单[\s\S]*超期[\s\S]*逾期率/);
    await sup.shot('supervisor-sees-overdue-and-unit-figures');
    expectNoConsoleErrors(sup);
  });
});
