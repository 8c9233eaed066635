import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectNoConsoleErrors, fileOrder, logIn, mark, useBrowser } from './browser.ts';

useBrowser();

/** Files an ordinary order from the intake page (Alt+1), the category chosen by hand. */
async function fileFromIntake(page: Page, text: string) {
  await page.getByTestId('intake-content').fill(text);
  await page.getByTestId('intake-district').click();
  await page.keyboard.type('渝中区');
  await page.keyboard.press('Enter');
  await page.getByTestId('intake-category').click();
  await page.keyboard.type('其他');
  await page.keyboard.press('Enter');
  await page.getByTestId('action-create').click();
  await page.getByTestId('intake-result').waitFor({ timeout: 15_000 });
}

describe('call-taker dispatches by the smart-dispatch suggestion', () => {
  it('files a water cut and dispatches it to the top suggested unit with one click', async () => {
    const ct = await logIn('hotline01');
    const { page } = ct;
    await fileFromIntake(page, `${mark()} 我们小区停水两天了，自来水公司也没说什么时候来水`);
    const suggestions = page.getByTestId('dispatch-suggestions');
    await suggestions.waitFor();
    // Three units with their scores, beside the catalogue's category.
    expect(await suggestions.innerText()).toMatch(/派单目录：其他[\s\S]*派给 重庆水务集团\s*\d+%/);
    expect(await suggestions.getByRole('button').count()).toBe(3);
    await ct.shot('call-taker-dispatches-by-suggestion-1-result');
    await page.getByTestId('dispatch-suggestion-0').click();
    const result = page.getByTestId('intake-result');
    await expect.poll(() => result.innerText(), { timeout: 15_000 }).toMatch(/已派单[\s\S]*已派 重庆水务集团/);
    expect(await page.getByTestId('dispatch-suggestions').count()).toBe(0);
    await ct.shot('call-taker-dispatches-by-suggestion-2-dispatched');
    expectNoConsoleErrors(ct);
  });

  it('picks the second suggestion in the 派单 form of the order drawer', async () => {
    const ct = await logIn('hotline01');
    const { page } = ct;
    await fileFromIntake(page, `${mark()} 老板拖欠我们三个月工资不发，找他也不理`);
    await page
      .getByTestId('intake-result')
      .getByText(/^GD\d+$/)
      .click();
    const drawer = page.getByTestId('work-order-drawer');
    await drawer.getByTestId('do-assign').click();
    const modal = page.getByRole('dialog', { name: /^派单/ });
    const form = modal.getByTestId('dispatch-suggestions');
    await form.waitFor();
    expect(await form.innerText()).toContain('派给 市人力社保局');
    const second = (await modal.getByTestId('dispatch-suggestion-1').innerText())
      .replace(/^派给\s*/, '')
      .replace(/\s*\d+%$/, '');
    await modal.getByTestId('dispatch-suggestion-1').click();
    await expect.poll(() => drawer.getByTestId('order-status').innerText(), { timeout: 15_000 }).toContain('已派单');
    expect(await drawer.innerText()).toContain(second);
    await ct.shot('call-taker-dispatches-by-suggestion-3-drawer');
    expectNoConsoleErrors(ct);
  });
});

describe('call-taker merges a repeated request (并单) from the candidates', () => {
  it('files the same street-vendor complaint again and merges it into the web report with one click', async () => {
    const m = mark();
    const first = await fileOrder({
      channel: 'web',
      content: `${m} 解放碑八一路口晚上又有流动摊贩占道摆摊，人行道都堵了，希望城管来管一管`,
      address: '渝中区八一路口',
      categoryCode: 'CSGL01',
    });
    const ct = await logIn('hotline01');
    const { page } = ct;
    await page.getByTestId('intake-address').fill('八一路口');
    await fileFromIntake(page, `${m} 来电人反映八一路口每天晚上有流动摊贩占道经营，堵塞人行道`);
    await page
      .getByTestId('intake-result')
      .getByText(/^GD\d+$/)
      .click();
    const drawer = page.getByTestId('work-order-drawer');
    await drawer.getByTestId('do-merge').click();
    const modal = page.getByRole('dialog', { name: /^并单/ });
    const top = modal.getByTestId('merge-candidate-0');
    await top.waitFor({ timeout: 15_000 });
    // The earlier web report, with its similarity and channel.
    expect(await top.innerText()).toMatch(new RegExp(`${first.no}[\\s\\S]*相似度 \\d+%[\\s\\S]*网站`));
    await ct.shot('call-taker-merges-1-candidates');
    await modal.getByTestId('merge-into-0').click();
    await expect.poll(() => drawer.getByTestId('order-status').innerText(), { timeout: 15_000 }).toContain('并单');
    await ct.shot('call-taker-merges-2-merged');
    expectNoConsoleErrors(ct);
  });
});
