import { describe, expect, it } from 'vitest';
import { apiAs, expectNoConsoleErrors, logIn, mark, useBrowser } from './browser.ts';

useBrowser();

/** The call-taker's recorded decision on the triage of the request behind an order. */
async function decisionFor(no: string) {
  const api = await apiAs('admin');
  const { items } = await api<{ items: { requestId: string }[] }>('GET', `/api/work-orders?q=${no}`);
  return (await api<{ decision: Record<string, unknown> | null }>('GET', `/api/requests/${items[0]!.requestId}/triage`))
    .decision;
}

describe('call-taker transfers a fight to 110', () => {
  it('sees the emergency suggestion with its reasons as she types, transfers in one click, and the 110 seat sees it arrive live', async () => {
    const m = mark();
    // The 110 specialist seat already has the queue open: the transfer must appear without a reload.
    const seat = await logIn('seat01', 'dispatch');
    await seat.page.getByTestId('main-menu').getByText('联动事项').click();
    await seat.page.getByTestId('linkage-table').waitFor();
    // An emergency escalation is accepted by the 110 desk on receipt (issue 11): it arrives 处置中, never 待签收.
    await seat.page.getByTestId('linkage-tabs').getByText('处置中').click();

    const ct = await logIn('hotline01');
    const { page } = ct;
    await expect.poll(() => page.url()).toContain('/intake');
    await page.getByTestId('intake-content').fill(`${m} 我在解放碑步行街，两个人在烧烤摊打起来了，有人头上流血了`);
    await expect
      .poll(() => page.getByTestId('triage-route').innerText(), { timeout: 15_000 })
      .toContain('110报警服务台');
    await expect.poll(() => page.getByTestId('triage-emergency').isVisible()).toBe(true);
    expect(await page.getByTestId('triage-reasons').innerText()).toMatch(/斗殴|打起来/);
    expect(await page.getByTestId('triage-panel').innerText()).toContain('120医疗急救');
    // The injured man needs 120 as well: that line is one click away too.
    await expect.poll(() => page.getByTestId('action-transfer-medical-120').isVisible()).toBe(true); // the partner lines load on their own
    await ct.shot('call-taker-transfers-a-fight-to-110-1-suggestion');

    await page.keyboard.press('Alt+2'); // 一键转110
    const result = page.getByTestId('intake-result');
    await result.waitFor({ timeout: 20_000 });
    expect(await result.innerText()).toMatch(/已转110（紧急移交），工单 GD\d+/);
    expect(await result.innerText()).not.toMatch(/LK-|cq-12345:/);
    await ct.shot('call-taker-transfers-a-fight-to-110-2-transferred');
    // She followed the suggestion: that is on record with the request.
    expect(await decisionFor(/GD\d+/.exec(await result.innerText())![0])).toMatchObject({ decision: 'accepted' });

    const row = seat.page.getByTestId('linkage-table').locator('tr', { hasText: m });
    await row.waitFor({ timeout: 20_000 });
    expect(await row.innerText()).toMatch(/紧急移交[\s\S]*12345热线 → 本方[\s\S]*已签收/);
    await seat.shot('call-taker-transfers-a-fight-to-110-3-seat-queue');
    expectNoConsoleErrors(ct);
    expectNoConsoleErrors(seat);
  });

  it('is told by the server why an order cannot be made, in words, and nothing is made', async () => {
    const ct = await logIn('hotline01');
    const { page } = ct;
    await page.getByTestId('intake-address').fill('渝中区八一路');
    await page.getByTestId('action-create').click();
    const err = page.getByTestId('intake-error');
    await err.waitFor();
    expect(await err.innerText()).toBe('请求参数不合法：缺少必填项：派单目录分类');
    // She picks a category; the server now says what else is missing.
    await page.getByTestId('intake-category').click();
    await page.keyboard.type('占道经营');
    await page.keyboard.press('Enter');
    await page.getByTestId('action-create').click();
    await expect.poll(() => err.innerText()).toBe('请求参数不合法：诉求内容不能为空');
    await ct.shot('call-taker-sees-why-an-order-cannot-be-made');
    expect(await page.getByTestId('intake-result').count()).toBe(0);
    expectNoConsoleErrors(ct, [400]);
  });

  it('cannot file a fight as an ordinary order without saying why; the override and its reason are recorded', async () => {
    const ct = await logIn('hotline01');
    const { page } = ct;
    await page.getByTestId('intake-content').fill(`${mark()} 小区门口有人持刀打架`);
    await expect
      .poll(
        () =>
          page
            .getByTestId('triage-emergency')
            .isVisible()
            .catch(() => false),
        { timeout: 15_000 },
      )
      .toBe(true);
    await page.getByTestId('intake-category').click();
    await page.keyboard.type('其他');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Alt+1');
    const guard = page.getByTestId('guard-text');
    await guard.waitFor();
    expect(await guard.innerText()).toContain('应转110报警服务台');
    expect(await page.getByTestId('guard-confirm').isDisabled()).toBe(true); // no reason, no ordinary order
    await ct.shot('call-taker-is-stopped-from-filing-a-danger-as-an-order');
    await page.getByTestId('guard-reason').fill('来电人称已离开现场，只要求物业加强门岗');
    await page.getByTestId('guard-confirm').click();
    const result = page.getByTestId('intake-result');
    await result.waitFor({ timeout: 15_000 });
    expect(await decisionFor(/GD\d+/.exec(await result.innerText())![0])).toMatchObject({
      decision: 'overridden',
      route: '12345',
      emergency: false,
      reason: '来电人称已离开现场，只要求物业加强门岗',
    });
    expectNoConsoleErrors(ct);
  });
});
