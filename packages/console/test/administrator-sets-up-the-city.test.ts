/**
 * An administrator sets the city up through 系统管理 and sees each change take effect: a new user logs in,
 * a new holiday moves a deadline, a unit receives an order, a new catalogue version is what triage cites.
 * Every tab passes the page checks at 1366×768.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiAs, expectNoConsoleErrors, fileOrder, logIn, mark, useBrowser, type Person } from './browser.ts';
import { expectPageClean } from './page-checks.ts';

useBrowser();

let admin: Person;
beforeAll(async () => {
  admin = await logIn('admin');
  await admin.page.getByTestId('main-menu').getByText('系统管理').click();
  await admin.page.getByTestId('admin-page').waitFor();
});

const tab = async (page: Page, label: string) => {
  await page.getByRole('tab', { name: label }).click();
  await page.waitForLoadState('networkidle');
};
/**
 * Picks an option of an Ant Design select by its label (typing `typed` first, for a long list drawn only
 * in part). A click that lands while the list is still sliding open can be lost on a loaded machine: the
 * pick is tried again until the select shows it.
 */
const pick = async (page: Page, testId: string, label: string, typed?: string) => {
  const select = page.getByTestId(testId);
  const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option-content', {
    hasText: new RegExp(`^${label}$`),
  });
  await expect
    .poll(
      async () => {
        if (!(await option.isVisible())) {
          await select.click();
          if (typed) await page.keyboard.type(typed);
        }
        await option.click({ timeout: 5_000 }).catch(() => undefined);
        return select.innerText();
      },
      { timeout: 20_000 },
    )
    .toContain(label);
};
const toast = (page: Page) =>
  page
    .locator('.ant-message-notice')
    .last()
    .innerText()
    .catch(() => '');

describe('an administrator sets up the city and sees each change take effect', () => {
  it('adds a call-taker, who then logs in and takes calls', async () => {
    const { page } = admin;
    await tab(page, '用户与角色');
    await expectPageClean(page, '用户与角色');
    const username = `ct${Date.now().toString(36)}`;
    await page.getByTestId('new-user').click();
    const form = page.getByTestId('user-form');
    await form.getByLabel('用户名').fill(username);
    await form.getByLabel('姓名').fill('林晓雨');
    await form.getByLabel('初始密码').fill('Chongqing@12345');
    await pick(page, 'user-role', '12345话务员');
    await admin.shot('administrator-adds-a-user');
    await page.getByRole('button', { name: /保\s*存/ }).click();
    await expect.poll(() => toast(page)).toContain('已新建用户“林晓雨”');
    const row = page.getByTestId('users').locator('tr', { hasText: '林晓雨' });
    expect(await row.innerText()).toContain('12345话务员');

    const she = await logIn(username, 'hotline', 'Chongqing@12345');
    expect(await she.page.getByTestId('current-user').innerText()).toContain('林晓雨');
    expect(await she.page.getByTestId('main-menu').innerText()).toContain('来电受理');
    await she.page.getByTestId('intake-content').waitFor();
    expectNoConsoleErrors(she);

    // Disabled, she cannot log in again.
    await row.getByRole('button', { name: /停\s*用/ }).click();
    await expect.poll(() => toast(page)).toContain('已停用“林晓雨”');
    const res = await fetch(new URL('/api/auth/login', page.url()), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: 'Chongqing@12345' }),
    });
    expect(res.status).toBe(403);
    expectNoConsoleErrors(admin);
  });

  it('declares a holiday, and the next order of the same kind is due one working day later', async () => {
    const { page } = admin;
    const m = mark();
    const order = { content: `${m} 咨询社区养老服务站收费标准`, categoryCode: 'ZWFW01', orderType: 'consultation' };
    const before = await fileOrder(order);
    const a = await apiAs('admin');
    const dueBefore = (await a<{ dueAt: string }>('GET', `/api/work-orders/${before.id}`)).dueAt;
    // The first working day after today (Asia/Shanghai): it lies within the two working days of the order.
    const special = new Map<string, string>();
    const today = new Date(Date.now() + 8 * 3600_000);
    for (const y of [today.getUTCFullYear(), today.getUTCFullYear() + 1])
      for (const d of await a<{ date: string; kind: string }[]>('GET', `/api/admin/calendar?year=${y}`))
        special.set(d.date, d.kind);
    let day = today;
    let iso = '';
    do {
      day = new Date(day.getTime() + 86_400_000);
      iso = day.toISOString().slice(0, 10);
    } while (special.get(iso) === 'holiday' || (special.get(iso) !== 'workday' && [0, 6].includes(day.getUTCDay())));

    await tab(page, '节假日与时限');
    await expectPageClean(page, '节假日与时限');
    await page.getByTestId('add-calendar-day').click();
    const form = page.getByTestId('calendar-form');
    await form.getByLabel('日期').fill(iso);
    await form.getByLabel('日期').press('Enter');
    await form.getByLabel('名称').fill('抗洪抢险临时休假');
    await admin.shot('administrator-declares-a-holiday');
    await page.getByRole('button', { name: /保\s*存/ }).click();
    await expect.poll(() => toast(page)).toContain(`已将 ${iso} 设为节假日`);
    await expect.poll(() => page.getByTestId('calendar-days').innerText()).toContain('抗洪抢险临时休假');

    const after = await fileOrder(order);
    const dueAfter = (await a<{ dueAt: string }>('GET', `/api/work-orders/${after.id}`)).dueAt;
    expect(new Date(dueAfter).getTime()).toBeGreaterThan(new Date(dueBefore).getTime() + 20 * 3600_000);

    // The two orders, side by side in 工单查询: the later one is due a working day later.
    await page.getByTestId('main-menu').getByText('工单查询').click();
    await page.getByPlaceholder('工单号或标题').fill(m);
    await page.getByPlaceholder('工单号或标题').press('Enter');
    await expect.poll(() => page.locator('.ant-table-tbody tr', { hasText: m }).count()).toBe(2);
    await admin.shot('administrator-sees-the-deadline-move');

    // Taken back, the day is an ordinary working day again.
    await page.getByTestId('main-menu').getByText('系统管理').click();
    await tab(page, '节假日与时限');
    const row = page.getByTestId('calendar-days').locator('tr', { hasText: '抗洪抢险临时休假' });
    await row.getByRole('button', { name: /删\s*除/ }).click();
    await page.getByRole('button', { name: '取消安排' }).click();
    await expect.poll(() => toast(page)).toContain(`已取消 ${iso} 的特殊安排`);
    const again = await fileOrder(order);
    expect((await a<{ dueAt: string }>('GET', `/api/work-orders/${again.id}`)).dueAt.slice(0, 10)).toBe(
      dueBefore.slice(0, 10),
    );
    expectNoConsoleErrors(admin);
  });

  it('adds a unit, imports its handler from a file (a bad file changes nothing), and the unit receives an order', async () => {
    const { page } = admin;
    // Digits only: a base-36 suffix could spell a Latin word that the page check would then report.
    const suffix = String(Date.now());
    const unitId = `d500103.sports-${suffix}`;
    const unitName = `渝中区体育局${suffix.slice(-3)}`;
    await tab(page, '单位');
    await expectPageClean(page, '单位');
    await page.getByTestId('new-unit').click();
    const form = page.getByTestId('unit-form');
    await form.getByLabel('单位编码').fill(unitId);
    await form.getByLabel('单位名称').fill(unitName);
    await pick(page, 'unit-kind', '区县部门');
    await page.getByTestId('unit-district').click();
    await page.keyboard.type('渝中区');
    await page.keyboard.press('Enter');
    await admin.shot('administrator-adds-a-unit');
    await page.getByRole('button', { name: /保\s*存/ }).click();
    await expect.poll(() => toast(page)).toContain(`已新增单位“${unitName}”`);
    await page.getByTestId('unit-search').fill(unitName);
    await expect.poll(() => page.getByTestId('units').innerText()).toContain('区县部门');

    // The handler comes in a CSV file; the first try has a bad row, and nothing at all is imported.
    await tab(page, '批量导入');
    await page.getByTestId('import-kind').getByText('用户').click();
    await expectPageClean(page, '批量导入');
    const username = `ty${suffix}`;
    const header = '用户名,姓名,角色,所属单位,区县,初始密码';
    const good = `${username},郑文博,承办单位经办人,${unitName},,Chongqing@2026`;
    const csv = (rows: string[]) => ({
      name: '用户.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(rows.join('\r\n')),
    });
    await page
      .locator('input[type=file]')
      .setInputFiles(csv([header, good, `${username}b,钱进,局长,,,Chongqing@2026`]));
    await page.getByTestId('import-run').click();
    await expect
      .poll(() =>
        page
          .getByTestId('import-failure')
          .innerText()
          .catch(() => ''),
      )
      .toBe('共2行，其中1行有错误，未导入任何数据');
    expect(await page.getByTestId('import-errors').innerText()).toMatch(/3\s+角色\s+角色无效：局长/);
    await expectPageClean(page, '批量导入（错误报告）');
    await admin.shot('administrator-sees-the-import-errors');
    const a = await apiAs('admin');
    const users = await a<{ username: string }[]>('GET', '/api/admin/users');
    expect(users.some((u) => u.username === username)).toBe(false);

    await page.locator('input[type=file]').setInputFiles(csv([header, good]));
    await page.getByTestId('import-check').click();
    await expect
      .poll(() =>
        page
          .getByTestId('import-result')
          .innerText()
          .catch(() => ''),
      )
      .toContain('校验通过');
    await page.getByTestId('import-run').click();
    await expect
      .poll(() =>
        page
          .getByTestId('import-result')
          .innerText()
          .catch(() => ''),
      )
      .toBe('导入完成：共1行，新增1条、更新0条');

    // The centre dispatches an order to the new unit; its handler sees it in 我的工单.
    const m = mark();
    await fileOrder({
      content: `${m} 渝中区大田湾体育场健身器材损坏多日无人维修`,
      categoryCode: 'CSGL06',
      leadUnitId: unitId,
    });
    const he = await logIn(username, 'hotline', 'Chongqing@2026');
    expect(await he.page.getByTestId('main-menu').innerText()).toContain('我的工单');
    await expect.poll(() => he.page.locator('.ant-table-tbody').innerText()).toContain(m);
    await he.shot('new-unit-receives-its-first-order');
    expectNoConsoleErrors(he);
    expectNoConsoleErrors(admin, [422]);
  });

  it('adds a dispatch-catalogue entry that call-takers can file under', async () => {
    const { page } = admin;
    await tab(page, '派单目录');
    await expectPageClean(page, '派单目录');
    const code = `CSGL${(Date.now() % 90) + 10}`;
    await page.getByTestId('new-category').click();
    const form = page.getByTestId('category-form');
    await form.getByLabel('目录编码').fill(code);
    await form.getByLabel('目录名称').fill('共享单车乱停放');
    await form.getByLabel('上级目录').click();
    await page.keyboard.type('城市管理');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: /保\s*存/ }).click();
    await expect.poll(() => toast(page)).toContain('已新增派单目录“共享单车乱停放”');
    const ct = await apiAs('hotline01');
    const cats = await ct<{ code: string; parentCode: string | null }[]>('GET', '/api/reference/categories');
    expect(cats).toContainEqual(expect.objectContaining({ code, parentCode: 'CSGL' }));
    expectNoConsoleErrors(admin, [422]);
  });

  it('drafts the next catalogue version with a new entry, publishes it, and triage cites it', async () => {
    const { page } = admin;
    await tab(page, '职责清单版本');
    await expectPageClean(page, '职责清单版本');
    const text = '楼顶天天有人放无人机，拍我家窗户，影响休息';
    const ct = await logIn('hotline01');
    await ct.page.getByTestId('intake-content').fill(text);
    await expect
      .poll(() => ct.page.getByTestId('triage-catalogue').innerText(), { timeout: 15_000 })
      .toMatch(/职责清单第\d+版/);
    const before = Number((await ct.page.getByTestId('triage-catalogue').innerText()).match(/\d+/)![0]);
    expect(await ct.page.getByTestId('triage-reasons').innerText()).not.toContain('无人机扰民');

    await page.getByTestId('new-catalogue-draft').click();
    const header = page.getByTestId('catalogue-draft-form');
    await header.getByLabel('依据').fill('2026年第四季度12345与110联席会商');
    await header.getByLabel('说明').fill('新增无人机扰民事项');
    await page.getByRole('button', { name: '新建草稿', exact: true }).click();
    await expect.poll(() => toast(page)).toContain(`已以第${before}版为底稿新建草稿`);
    await page.getByTestId('catalogue-draft').waitFor();
    await expect.poll(() => page.getByTestId('catalogue-draft').innerText()).toContain(`发布后为第${before + 1}版`);
    await expectPageClean(page, '职责清单草稿');

    await page.getByTestId('new-catalogue-entry').click();
    const form = page.getByTestId('catalogue-entry-form');
    await form.getByLabel('条目编码').fill('H-DRONE');
    await form.getByLabel('条目名称').fill('无人机扰民');
    await pick(page, 'entry-kind', '职责交叉（需会商）');
    // A long list, drawn only in part: typed first, then picked.
    await pick(page, 'entry-category', '其他', '其他');
    await page.getByTestId('entry-terms').click();
    for (const term of ['放无人机', '无人机…拍']) {
      await page.keyboard.type(term);
      await page.keyboard.press('Enter');
    }
    await page.getByTestId('entry-cues').click();
    await page.keyboard.type('无人机');
    await page.keyboard.press('Enter');
    await form.getByLabel('需三方会商确认').check();
    await expectPageClean(page, '职责清单条目');
    await admin.shot('administrator-adds-a-catalogue-entry');
    await page.getByRole('button', { name: /保\s*存/ }).click();
    await expect.poll(() => toast(page)).toContain('已在草稿中新增条目“无人机扰民”');
    await page.getByTestId('catalogue-draft-entries-search').locator('input').fill('无人机');
    await page.getByTestId('catalogue-draft-entries-search').locator('input').press('Enter');
    const row = page.getByTestId('catalogue-draft-entries').locator('tr', { hasText: '无人机扰民' });
    await expect.poll(() => row.innerText()).toContain('12345热线');

    // Still a draft: triage has not changed.
    await ct.page.getByTestId('intake-content').fill(`${text}。`);
    await ct.page.waitForTimeout(800);
    expect(await ct.page.getByTestId('triage-catalogue').innerText()).toBe(`职责清单第${before}版`);

    await page.getByTestId('publish-catalogue-draft').click();
    await page
      .getByRole('button', { name: /^发\s*布$/ })
      .last()
      .click();
    await expect.poll(() => toast(page)).toContain(`已发布职责清单第${before + 1}版，分流研判即日起依据此版`);
    const published = page.getByTestId('catalogue-versions').locator('tr', { hasText: `第${before + 1}版` });
    await expect.poll(() => published.innerText()).toContain('现行');
    expect(await published.innerText()).toContain('2026年第四季度12345与110联席会商');
    await admin.shot('administrator-publishes-a-catalogue-version');
    await published.getByRole('button', { name: /查\s*看/ }).click();
    await page.getByTestId('catalogue-entries-search').locator('input').fill('无人机');
    await page.getByTestId('catalogue-entries-search').locator('input').press('Enter');
    await expect.poll(() => page.getByTestId('catalogue-entries').innerText()).toContain('无人机扰民');
    await expectPageClean(page, `职责清单第${before + 1}版`);

    // The call-taker's next suggestion comes from the new version and names the new entry.
    await ct.page.getByTestId('intake-content').fill(`${text}，请处理`);
    await expect
      .poll(() => ct.page.getByTestId('triage-catalogue').innerText(), { timeout: 15_000 })
      .toBe(`职责清单第${before + 1}版`);
    expect(await ct.page.getByTestId('triage-reasons').innerText()).toContain('无人机扰民');
    await ct.shot('triage-cites-the-new-catalogue-version');
    expectNoConsoleErrors(ct);
    expectNoConsoleErrors(admin, [422]);
  });

  it('reads the audit log of what was just done, in Chinese', async () => {
    const { page } = admin;
    await tab(page, '审计日志');
    const log = page.getByTestId('audit');
    await expect.poll(() => log.innerText()).toContain('发布职责清单版本');
    // Each action is looked up through the filter (a long session's changes fill several pages).
    const only = async (action: string) => {
      await page.getByTestId('audit-action').click();
      await page.keyboard.type(action);
      await page
        .locator('.ant-select-dropdown:visible .ant-select-item-option-content', { hasText: new RegExp(`^${action}$`) })
        .click();
      await expect.poll(() => log.locator('tbody').innerText()).toContain(action);
      // The list closes with an animation; until it is gone its accessible items still show.
      await expect.poll(() => page.locator('.ant-select-dropdown:visible').count()).toBe(0);
      return log.locator('tbody').innerText();
    };
    expect(await only('新建用户')).toContain('林晓雨');
    expect(await only('设置节假日或调休')).toContain('节假日：抗洪抢险临时休假');
    expect(await only('批量导入用户')).toContain('共1行，新增1条');
    expect(await only('新增单位')).toContain('类型：区县部门');
    expect(await only('编辑职责清单草稿条目')).toContain('新增条目“无人机扰民”');
    expect(await only('发布职责清单版本')).toContain('依据：2026年第四季度12345与110联席会商');
    await expectPageClean(page, '审计日志');
    await admin.shot('administrator-reads-the-audit-log');
    expectNoConsoleErrors(admin, [422]);
  });
});
