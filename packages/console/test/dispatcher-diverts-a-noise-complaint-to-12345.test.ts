import { describe, expect, it } from 'vitest';
import { expectNoConsoleErrors, logIn, mark, useBrowser } from './browser.ts';

useBrowser();

describe('dispatcher diverts a noise complaint to 12345', () => {
  it('registers the call, diverts it in one action, and the 12345 seat accepts it as a work order', async () => {
    const m = mark();
    const dp = await logIn('dispatch01', 'dispatch');
    const { page } = dp;
    await expect.poll(() => page.url()).toContain('/incidents');
    // An empty registration is refused, and the form says what is missing.
    await page.getByTestId('incident-create').click();
    await expect
      .poll(() =>
        page
          .getByTestId('incident-error')
          .innerText()
          .catch(() => ''),
      )
      .toBe('请求参数不合法：缺少必填项：警情类别');
    await page
      .getByTestId('incident-content')
      .fill(`${m} 报警人称楼上邻居每天晚上十点后装修电钻声音很大，没有发生冲突`);
    await expect
      .poll(
        () =>
          page
            .getByTestId('triage-route')
            .innerText()
            .catch(() => ''),
        { timeout: 15_000 },
      )
      .not.toBe('');
    await page.getByTestId('incident-category').click();
    await page.getByTitle('非警务', { exact: true }).click();
    await page.getByTestId('incident-create').click();
    const row = page.getByTestId('incident-table').locator('tr', { hasText: m });
    await row.waitFor({ timeout: 10_000 });
    expect(await row.innerText()).toContain('已接警');

    await row.getByTestId('divert-button').click();
    await page.getByRole('menuitem', { name: '12345热线' }).click();
    await expect
      .poll(
        () =>
          page
            .locator('.ant-message')
            .innerText()
            .catch(() => ''),
        { timeout: 10_000 },
      )
      .toMatch(/已将警情 JQ\d+ 分流至12345热线，已发送对接/);
    // the incident's number as the dispatcher knows it, never the bridge's internal item id
    expect(await page.locator('.ant-message').innerText()).not.toMatch(/LK-|cq-110:/);
    await expect.poll(() => row.count()).toBe(0); // no longer waiting for dispatch
    await dp.shot('dispatcher-diverts-a-noise-complaint-to-12345-1-diverted');

    const seat = await logIn('seat01', 'hotline');
    await seat.page.getByTestId('main-menu').getByText('联动事项').click();
    const incoming = seat.page.getByTestId('linkage-table').locator('tr', { hasText: m });
    await incoming.waitFor({ timeout: 20_000 });
    expect(await incoming.innerText()).toMatch(/分流[\s\S]*110报警服务台 → 本方[\s\S]*待签收/);
    await incoming.getByTestId('quick-accept').click();
    await seat.page.getByTestId('step-submit').click();
    await expect.poll(() => incoming.count(), { timeout: 10_000 }).toBe(0);
    await seat.page.getByTestId('linkage-tabs').getByText('处置中').click();
    const accepted = seat.page.getByTestId('linkage-table').locator('tr', { hasText: m });
    await accepted.waitFor();
    await accepted.click();
    await expect.poll(() => seat.page.getByTestId('linkage-drawer').innerText()).toMatch(/本方编号\s*GD\d+/);
    await seat.shot('dispatcher-diverts-a-noise-complaint-to-12345-2-accepted-as-order');
    expectNoConsoleErrors(dp, [400]);
    expectNoConsoleErrors(seat);
  });
});
