import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectNoConsoleErrors, logIn, openConsole, useBrowser } from './browser.ts';
import { englishWords, overflowProblems } from './page-checks.ts';

useBrowser();

/** Each demo user, the desk they work on, and exactly the menus they should see there. */
const PEOPLE: [string, 'hotline' | 'dispatch', string[]][] = [
  ['hotline01', 'hotline', ['来电受理', '联动事项', '工单查询', '回访', '漏接回拨']],
  ['seat01', 'hotline', ['联动事项', '死信与拒收', '工单查询', '漏接回拨']],
  ['seat01', 'dispatch', ['联动事项', '死信与拒收', '漏接回拨']],
  ['dispatch01', 'dispatch', ['接警调度', '联动事项', '漏接回拨']],
  ['yuzhong01', 'hotline', ['我的工单', '知识库']],
  ['chengguan01', 'hotline', ['我的工单', '知识库']],
  [
    'duban01',
    'hotline',
    [
      '联动事项',
      '工单查询',
      '回访',
      '督办',
      '数据总览',
      '统计报表',
      '话务监控',
      '热线评估',
      '接话能力',
      '知识库',
      '培训记录',
    ],
  ],
  ['fenxi01', 'hotline', ['工单查询', '数据总览', '统计报表', '热线评估', '接话能力']],
  ['fenxi01', 'dispatch', ['警情查询', '数据总览', '统计报表', '热线评估', '接话能力']],
  [
    'admin',
    'dispatch',
    [
      '接警调度',
      '警情查询',
      '联动事项',
      '死信与拒收',
      '督办',
      '数据总览',
      '统计报表',
      '话务监控',
      '热线评估',
      '接话能力',
      '培训记录',
      '系统管理',
    ],
  ],
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

/**
 * Order and incident numbers (GD2026…, JQ2026…) in table cells that wrap onto a second line.
 */
function wrappedNumbers(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(`[...document.querySelectorAll('.ant-table-tbody td')]
    .filter((td) => td.offsetParent !== null)
    .flatMap((td) => {
      const walker = document.createTreeWalker(td, NodeFilter.SHOW_TEXT);
      const out = [];
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const t = n.textContent.trim();
        if (!/^[A-Z]{1,4}\\d{8,}$/.test(t)) continue;
        const r = document.createRange();
        r.selectNodeContents(n);
        const tops = new Set([...r.getClientRects()].map((x) => Math.round(x.top)));
        if (tops.size > 1) out.push(t);
      }
      return out;
    })`);
}

/** Everything wrong with what shows now (overflow, English, clipped row buttons, wrapped numbers), named by where. */
async function pageProblems(page: Page, where: string): Promise<string[]> {
  await page.waitForLoadState('networkidle');
  const out = [
    ...(await overflowProblems(page)).map((x) => `溢出 ${x}`),
    ...(await englishWords(page)).map((x) => `英文 ${x}`),
    ...(await clippedRowButtons(page)).map((x) => `按钮被遮 ${x}`),
    ...(await wrappedNumbers(page)).map((x) => `编号折行 ${x}`),
  ];
  return out.map((x) => `${where}：${x}`);
}

/** The tabs of the page's main card (not those inside a drawer or a nested card). */
const TABS = '.ant-layout-content .ant-tabs-nav-list > .ant-tabs-tab';

/**
 * Opens the first row of the page's main table when its rows open a drawer, checks the drawer, and closes it.
 */
async function checkFirstDrawer(page: Page, where: string): Promise<string[]> {
  const row = page.locator('.ant-layout-content .ant-table-tbody tr.ant-table-row[style*="cursor: pointer"]').first();
  if ((await row.count()) === 0) return [];
  await row.locator('td').first().click();
  const drawer = page.locator('.ant-drawer-open');
  await drawer.waitFor();
  // Measured once it has slid in: on a loaded machine the slide (its *-motion-* classes) outlasts a fixed pause.
  await page
    .locator('.ant-drawer-content-wrapper[class*="-motion-"]')
    .waitFor({ state: 'detached', timeout: 10_000 })
    .catch(() => undefined);
  await page.waitForTimeout(100);
  const out = await pageProblems(page, `${where}（详情）`);
  await drawer.locator('.ant-drawer-close').click();
  await drawer.waitFor({ state: 'detached' });
  return out;
}

describe('every role sees only its pages, and no page logs an error', () => {
  it.each(PEOPLE)('%s on the %s desk', async (user, desk, menus) => {
    const p = await logIn(user, desk);
    const problems: string[] = [];
    const menu = p.page.getByTestId('main-menu');
    expect((await menu.locator('li[role=menuitem]').allInnerTexts()).map((s) => s.trim())).toEqual(menus);
    for (const label of menus) {
      await menu.getByText(label).click();
      await p.page.locator('.ant-card').first().waitFor();
      await p.page.waitForLoadState('networkidle');
      await p.shot(`every-role-${user}-${desk}-${label}`);
      // At 1366×768 nothing overflows, a row's buttons are in view, numbers keep to one line, and no
      // English shows; the same in each tab of the page and in the drawer its first row opens.
      const tabs = p.page.locator(TABS);
      const n = await tabs.count();
      for (let i = 0; i < Math.max(n, 1); i++) {
        const where = n > 1 ? `${label}·${(await tabs.nth(i).innerText()).replace(/\s+/g, '')}` : label;
        if (n > 1 && i > 0) {
          await tabs.nth(i).click();
          await p.page.waitForTimeout(300);
        }
        problems.push(...(await pageProblems(p.page, where)));
        if (i === 0) problems.push(...(await checkFirstDrawer(p.page, where)));
      }
    }
    expect(problems.join('\n')).toBe('');
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
