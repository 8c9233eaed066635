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

  it('with the caller’s consent looks up her 社保 balance: shown masked, an unknown person said plainly', async () => {
    const ct = await logIn('hotline01');
    const { page } = ct;
    // the demo links the desk to reference social-security, medical-insurance and housing-fund systems
    await page.getByTestId('lookup-open').click();
    await page.getByTestId('lookup-id-number').fill('500103199001011232');
    await page.getByTestId('lookup-name').fill('陈晓明');
    // no consent ticked: nothing is asked
    await page.getByTestId('lookup-consent-submit').click();
    await expect.poll(() => page.locator('.ant-form-item-explain-error').innerText()).toContain('须经来电人同意');
    await page.getByTestId('lookup-agreed').check();
    await page.getByTestId('lookup-consent-submit').click();
    await page.getByTestId('lookup-balance').click();
    const answer = page.getByTestId('lookup-answer');
    await expect.poll(() => answer.innerText().catch(() => ''), { timeout: 15_000 }).toContain('18,640.50 元');
    const text = await page.locator('.ant-modal').innerText();
    expect(text).toContain('陈**');
    expect(text).toContain('500***********1232');
    expect(text).not.toContain('陈晓明');
    await expectPageClean(page, '来电受理（业务查询）');
    await ct.shot('call-taker-looks-up-a-social-security-balance');
    await page.getByTestId('lookup-contributions').click();
    await expect.poll(() => answer.innerText()).toContain('2026-11');
    await page.getByRole('button', { name: '关闭' }).click();

    // someone the system does not know
    await page.getByTestId('lookup-open').click();
    await page.getByTestId('lookup-id-number').fill('11010519491231002X');
    await page.getByTestId('lookup-name').fill('张三');
    await page.getByTestId('lookup-agreed').check();
    await page.getByTestId('lookup-consent-submit').click();
    await page.getByTestId('lookup-balance').click();
    await expect
      .poll(() =>
        page
          .getByTestId('lookup-error')
          .innerText()
          .catch(() => ''),
      )
      .toContain('未查到该人员');
    expectNoConsoleErrors(ct, [404]);
  });
});
