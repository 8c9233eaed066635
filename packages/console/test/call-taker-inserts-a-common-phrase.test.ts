/**
 * 常用语 (issue 14): the call-taker puts a common phrase into 诉求内容 where the caret stands, by the
 * keyboard (Alt+P, arrows, Enter) or the mouse, and goes on typing after it; the administrator keeps the
 * desk's list (系统管理 → 常用语) and the call-taker finds a new phrase there.
 */
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { apiAs, expectNoConsoleErrors, logIn, mark, useBrowser } from './browser.ts';
import { expectPageClean } from './page-checks.ts';

useBrowser();

const content = (page: Page) => page.getByTestId('intake-content');
const focusedIsContent = (page: Page) =>
  page.evaluate<boolean>(`document.activeElement?.getAttribute('data-testid') === 'intake-content'`);
const menu = (page: Page) => page.locator('.ant-dropdown:not(.ant-dropdown-hidden) .ant-dropdown-menu');

describe('call-taker inserts a common phrase into the request', () => {
  it('with Alt+P and Enter at the start, with the mouse at the end, and goes on typing; Esc leaves the text as it was', async () => {
    const ct = await logIn('hotline01');
    const { page } = ct;
    const m = mark();
    await expect.poll(() => focusedIsContent(page)).toBe(true);
    await page.keyboard.type(`${m} 楼下烧烤店油烟很大`);

    // The keyboard: to the start, Alt+P, Enter.
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('Alt+P');
    await menu(page).waitFor();
    expect(await menu(page).innerText()).toContain('来电人不愿留下姓名。');
    // The list opens on its first phrase.
    await page.keyboard.press('Enter');
    await menu(page).waitFor({ state: 'hidden' });
    await expect.poll(() => content(page).inputValue()).toBe(`来电人反映：${m} 楼下烧烤店油烟很大`);
    // The caret stands after the phrase, in the text box.
    await expect.poll(() => focusedIsContent(page)).toBe(true);
    await page.keyboard.type('每晚');
    await expect.poll(() => content(page).inputValue()).toBe(`来电人反映：每晚${m} 楼下烧烤店油烟很大`);

    // The mouse: at the end, a phrase from the list.
    await page.keyboard.press('Control+End');
    await page.getByTestId('phrase-button').click();
    await menu(page).getByText('来电人要求回复处理结果。', { exact: true }).click();
    await expect
      .poll(() => content(page).inputValue())
      .toBe(`来电人反映：每晚${m} 楼下烧烤店油烟很大来电人要求回复处理结果。`);
    await ct.shot('call-taker-inserts-a-common-phrase');

    // Esc closes the list without a change, and the focus is back in the text.
    await page.keyboard.press('Alt+P');
    await menu(page).waitFor();
    await page.keyboard.press('Escape');
    await menu(page).waitFor({ state: 'hidden' });
    await expect.poll(() => focusedIsContent(page)).toBe(true);
    expect(await content(page).inputValue()).toBe(`来电人反映：每晚${m} 楼下烧烤店油烟很大来电人要求回复处理结果。`);

    // Alt+P and Enter at once, before the list has taken the focus: the first phrase, not a newline.
    // (The mouse off the list, where it would make the phrase under it the active one.)
    await page.mouse.move(0, 0);
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Alt+P');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => content(page).inputValue())
      .toBe(`来电人反映：每晚${m} 楼下烧烤店油烟很大来电人要求回复处理结果。来电人反映：`);
    await menu(page).waitFor({ state: 'hidden' });
    await expect.poll(() => focusedIsContent(page)).toBe(true);
    expectNoConsoleErrors(ct);
  });
});

describe('the administrator keeps the desk’s 常用语', () => {
  // the phrases this suite added, deleted afterwards so the desk's list is as it was
  const added: string[] = [];
  afterAll(async () => {
    const admin = await apiAs('admin');
    const list = await admin<{ id: string; text: string }[]>('GET', '/api/admin/phrases');
    for (const p of list.filter((x) => added.includes(x.text))) await admin('DELETE', `/api/admin/phrases/${p.id}`);
  });

  it('adds a phrase (an empty one and a duplicate are refused in Chinese), moves it to the top, and the call-taker finds it first with Alt+P', async () => {
    const ad = await logIn('admin');
    const { page } = ad;
    await page.goto(page.url().replace(/\/[^/]*$/, '/admin?tab=phrases'));
    const table = page.getByTestId('phrases');
    await expect.poll(() => table.innerText()).toContain('来电人反映：');
    await expectPageClean(page, '常用语');

    const dialog = page.getByRole('dialog', { name: '新增常用语' });
    await page.getByTestId('new-phrase').click();
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await expect.poll(() => dialog.innerText()).toContain('请填写常用语');
    // a phrase already in the list: the server's refusal, in Chinese, in the dialog
    await dialog.getByLabel('常用语').fill('来电人反映：');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await expect
      .poll(() =>
        dialog
          .getByTestId('phrase-error')
          .innerText()
          .catch(() => ''),
      )
      .toContain('已有相同的常用语');

    const phrase = `${mark()}来电人表示愿意配合现场核查。`;
    added.push(phrase);
    await dialog.getByLabel('常用语').fill(phrase);
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = table.locator('tr', { hasText: phrase });
    await row.waitFor();
    expect(await row.innerText()).toContain('系统管理员');
    // to the top: up as often as it takes
    while (!(await table.locator('tbody tr').nth(1).innerText()).includes(phrase)) {
      const before = await table.locator('tbody tr').allInnerTexts();
      await row.getByRole('button', { name: '上移' }).click();
      await expect.poll(() => table.locator('tbody tr').allInnerTexts()).not.toEqual(before);
      if ((await table.locator('tbody tr').allInnerTexts()).findIndex((t) => t.includes(phrase)) <= 1) break;
    }
    await expect
      .poll(async () => (await table.locator('tbody tr').allInnerTexts()).findIndex((t) => t.includes(phrase)))
      .toBeLessThanOrEqual(1);
    await ad.shot('administrator-keeps-the-phrases');
    expectNoConsoleErrors(ad, [409]);

    const ct = await logIn('hotline01');
    await expect.poll(() => focusedIsContent(ct.page)).toBe(true);
    await ct.page.waitForLoadState('networkidle');
    await ct.page.keyboard.press('Alt+P');
    await menu(ct.page).waitFor();
    expect((await menu(ct.page).innerText()).split('\n')[0]).toBe(phrase);
    await ct.page.keyboard.press('Enter');
    await expect.poll(() => content(ct.page).inputValue()).toBe(phrase);
    expectNoConsoleErrors(ct);
  });
});
