/**
 * 常用语 (issue 14): the call-taker puts a common phrase into 诉求内容 where the caret stands, by the
 * keyboard (Alt+P, arrows, Enter) or the mouse, and goes on typing after it.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectNoConsoleErrors, logIn, mark, useBrowser } from './browser.ts';

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
    expectNoConsoleErrors(ct);
  });
});
