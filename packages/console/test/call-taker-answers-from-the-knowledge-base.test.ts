import { describe, expect, it } from 'vitest';
import { expectNoConsoleErrors, logIn, mark, useBrowser } from './browser.ts';
import { expectPageClean } from './page-checks.ts';

useBrowser();

describe('call-taker answers a 社保卡 question from the knowledge base', () => {
  it('sees the article as she types, takes its wording with Alt+6, answers, and the order’s history names the article', async () => {
    const ct = await logIn('hotline01');
    const { page } = ct;
    await page.getByTestId('intake-content').fill(`${mark()} 来电人说社保卡丢了，问啷个补办，要带啥子材料`);
    await page.getByTestId('intake-district').click();
    await page.keyboard.type('渝中区');
    await page.keyboard.press('Enter');
    const first = page.getByTestId('knowledge-item').first();
    await expect.poll(() => first.innerText().catch(() => ''), { timeout: 15_000 }).toContain('社会保障卡申领和补换');
    expect(await first.locator('mark').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('knowledge-use-top').innerText()).toContain('Alt+6');
    await expectPageClean(page, '来电受理（知识推荐）');

    await page.getByTestId('intake-category').click();
    await page.keyboard.type('社保缴纳');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Alt+6');
    const answer = page.getByTestId('answer-text');
    await expect.poll(() => answer.inputValue()).toContain('社会保障卡可在合作银行网点');
    expect(await page.getByTestId('answer-article').innerText()).toContain('社会保障卡申领和补换（第 1 版）');
    await ct.shot('call-taker-takes-the-knowledge-wording');
    await page.getByRole('button', { name: '答复并办结' }).click();
    const result = page.getByTestId('intake-result');
    await result.waitFor({ timeout: 15_000 });
    const no = /已直接答复并办结工单 (GD\d+)/.exec(await result.innerText())?.[1];
    expect(no).toBeTruthy();

    await result.locator('a', { hasText: no! }).click();
    const timeline = page.getByTestId('order-timeline');
    await expect
      .poll(() => timeline.innerText().catch(() => ''), { timeout: 15_000 })
      .toContain('依据知识：社会保障卡申领和补换，第 1 版');
    await ct.shot('order-history-names-the-article');
    expectNoConsoleErrors(ct);
  });
});
