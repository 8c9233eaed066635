import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectNoConsoleErrors, logIn, openConsole, useBrowser } from './browser.ts';

useBrowser();

/** Each demo user, the desk they work on, and exactly the menus they should see there. */
const PEOPLE: [string, 'hotline' | 'dispatch', string[]][] = [
  ['hotline01', 'hotline', ['来电受理', '联动事项', '工单查询', '漏接回拨']],
  ['seat01', 'hotline', ['联动事项', '工单查询', '漏接回拨']],
  ['seat01', 'dispatch', ['联动事项', '漏接回拨']],
  ['dispatch01', 'dispatch', ['接警调度', '联动事项', '漏接回拨']],
  ['yuzhong01', 'hotline', ['我的工单']],
  ['chengguan01', 'hotline', ['我的工单']],
  ['duban01', 'hotline', ['联动事项', '工单查询', '督办', '数据总览', '话务监控', '热线评估', '接话能力', '培训记录']],
  ['fenxi01', 'hotline', ['工单查询', '数据总览', '热线评估', '接话能力']],
  ['admin', 'dispatch', ['接警调度', '联动事项', '督办', '数据总览', '话务监控', '热线评估', '接话能力', '培训记录']],
];

/**
 * The buttons in table rows that lie, wholly or in part, outside their table's visible box or the viewport.
 * (Run in the page; a string, since this project's test code is type-checked without the DOM library.)
 */
function clippedRowButtons(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(`[...document.querySelectorAll('.ant-table-tbody button')]
    .filter((b) => b.offsetParent !== null)
    .filter((b) => {
      const r = b.getBoundingClientRect();
      const box = b.closest('.ant-table-content, .ant-table-body')?.getBoundingClientRect();
      const right = Math.min(document.documentElement.clientWidth, box?.right ?? Infinity);
      return r.right > right + 0.5 || r.left < (box?.left ?? 0) - 0.5;
    })
    .map((b) => b.innerText.trim())`);
}

describe('every role sees only its pages, and no page logs an error', () => {
  it.each(PEOPLE)('%s on the %s desk', async (user, desk, menus) => {
    const p = await logIn(user, desk);
    const menu = p.page.getByTestId('main-menu');
    expect((await menu.locator('li[role=menuitem]').allInnerTexts()).map((s) => s.trim())).toEqual(menus);
    for (const label of menus) {
      await menu.getByText(label).click();
      await p.page.locator('.ant-card').first().waitFor();
      await p.page.waitForLoadState('networkidle');
      await p.shot(`every-role-${user}-${desk}-${label}`);
      // At 1366×768 a row's buttons are in view, not behind the table's horizontal scroll.
      expect(await clippedRowButtons(p.page), label).toEqual([]);
    }
    // A page the role has no menu for is not reachable by typing its address.
    if (!menus.includes('数据总览')) {
      await p.page.goto(new URL('/dashboard', p.page.url()).toString());
      await p.page.getByTestId('main-menu').waitFor();
      expect(await p.page.getByTestId('dashboard').count()).toBe(0);
    }
    expectNoConsoleErrors(p);
  });

  it("a wrong password is refused with the server's message, and the log-in page names the desk", async () => {
    const p = await openConsole('dispatch');
    expect(await p.page.getByTestId('desk-name').innerText()).toBe('110报警服务台');
    await p.page.getByLabel('用户名').fill('dispatch01');
    await p.page.getByLabel('密码').fill('wrong-password');
    await p.page.getByRole('button', { name: /登\s*录/ }).click();
    await expect
      .poll(() =>
        p.page
          .getByTestId('login-error')
          .innerText()
          .catch(() => ''),
      )
      .toBe('用户名或密码错误');
    expect(await p.page.getByTestId('current-user').count()).toBe(0);
    await p.shot('log-in-refuses-a-wrong-password');
    expectNoConsoleErrors(p, [401]);
  });
});
