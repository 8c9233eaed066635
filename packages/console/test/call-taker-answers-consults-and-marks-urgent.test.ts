import { describe, expect, it } from 'vitest';
import { expectNoConsoleErrors, logIn, mark, useBrowser } from './browser.ts';

useBrowser();

describe('call-taker answers, consults and marks urgent, from the keyboard', () => {
  it('answers a locksmith question on the spot with the suggested wording (Alt+5)', async () => {
    const ct = await logIn('hotline01');
    const { page } = ct;
    await page.getByTestId('intake-content').fill(`${mark()} 钥匙锁在屋里了进不去，怎么办`);
    await expect
      .poll(
        () =>
          page
            .getByTestId('triage-route')
            .innerText()
            .catch(() => ''),
        { timeout: 15_000 },
      )
      .toContain('引导解释');
    await page.getByTestId('intake-category').click();
    await page.keyboard.type('其他');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Alt+5');
    const answer = page.getByTestId('answer-text');
    await expect.poll(() => answer.inputValue()).toContain('开锁服务企业');
    await page.getByRole('button', { name: '答复并办结' }).click();
    const result = page.getByTestId('intake-result');
    await result.waitFor({ timeout: 15_000 });
    expect(await result.innerText()).toMatch(/已直接答复并办结工单 GD\d+[\s\S]*已办结/);
    await ct.shot('call-taker-answers-on-the-spot');
    expectNoConsoleErrors(ct);
  });

  it('opens a three-party consultation on a boundary matter', async () => {
    const ct = await logIn('hotline01');
    const { page } = ct;
    await page.getByTestId('intake-content').fill(`${mark()} 楼下KTV半夜还在唱歌，太吵了，睡不着`);
    const consult = page.getByTestId('action-consult');
    await consult.waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('triage-panel').innerText()).toContain('职责边界不清，建议发起三方会商');
    await page.keyboard.press('Alt+3');
    const result = page.getByTestId('intake-result');
    await result.waitFor({ timeout: 15_000 });
    expect(await result.innerText()).toMatch(/已发起三方会商，工单 GD\d+/);
    expect(await result.innerText()).not.toMatch(/LK-|cq-12345:/);
    await ct.shot('call-taker-opens-a-consultation');
    expectNoConsoleErrors(ct);
  });

  it('a woman in labour who cannot get out: the order is marked urgent and goes straight to the district (Alt+1), the call-taker stating why besides 120', async () => {
    const ct = await logIn('hotline01');
    const { page } = ct;
    await page.getByTestId('intake-content').fill(`${mark()} 老婆快生了，小区封控出不去，急需去医院`);
    await page.getByTestId('intake-district').click();
    await page.keyboard.type('渝中区');
    await page.keyboard.press('Enter');
    // The suggestion turns urgent mode on with the right kind; the call-taker confirms with one key.
    await expect.poll(() => page.getByTestId('action-urgent').innerText(), { timeout: 15_000 }).toContain('取消紧急');
    expect(await page.getByRole('radio', { name: '孕检生产' }).isChecked()).toBe(true);
    await page.getByTestId('intake-category').click();
    await page.keyboard.type('医疗');
    await page.keyboard.press('Enter');
    await ct.shot('call-taker-marks-urgent-1-form');
    await page.keyboard.press('Alt+1');
    // Labour is also a medical emergency: the urgent order is in addition to 120, and she says so.
    await page.getByTestId('guard-text').waitFor();
    expect(await page.getByTestId('guard-text').innerText()).toContain('应转120医疗急救');
    await page.getByTestId('guard-reason').fill('已告知来电人拨打120；另需协调封控小区放行');
    await page.getByTestId('guard-confirm').click();
    const result = page.getByTestId('intake-result');
    await result.waitFor({ timeout: 15_000 });
    expect(await result.innerText()).toMatch(/已生成工单 GD\d+，已直派区县热线机构[\s\S]*已派单/);
    await ct.shot('call-taker-marks-urgent-2-sent-to-district');
    expectNoConsoleErrors(ct);
  });

  it('sends a collapse straight to 120 with one click, the emergency banner naming 120', async () => {
    const ct = await logIn('hotline01');
    const { page } = ct;
    await page.getByTestId('intake-content').fill(`${mark()} 我爸在家里突然倒地昏迷不醒，叫不醒`);
    await expect
      .poll(
        () =>
          page
            .getByTestId('triage-emergency')
            .innerText()
            .catch(() => ''),
        { timeout: 15_000 },
      )
      .toContain('应立即转120医疗急救');
    const to120 = page.getByTestId('action-transfer-medical-120');
    expect(await to120.innerText()).toContain('转重庆市急救医疗中心120');
    await to120.click();
    const result = page.getByTestId('intake-result');
    await result.waitFor({ timeout: 15_000 });
    expect(await result.innerText()).toMatch(/已转重庆市急救医疗中心120，工单 GD\d+/);
    expect(await result.innerText()).not.toMatch(/LK-|cq-12345:/);
    await ct.shot('call-taker-sends-a-collapse-to-120');
    // In the linkage list the partner line is named, not shown by its connector id.
    await page.getByTestId('main-menu').getByText('联动事项').click();
    await page.getByTestId('linkage-tabs').getByText('本方发起').click();
    const row = page.getByTestId('linkage-table').locator('tr', { hasText: '突然倒地昏迷不醒' }).first();
    await expect.poll(() => row.innerText(), { timeout: 10_000 }).toContain('本方 → 重庆市急救医疗中心120');
    expectNoConsoleErrors(ct);
  });
});
