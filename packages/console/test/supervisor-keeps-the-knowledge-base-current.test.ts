/**
 * Keeping the knowledge base current (issue 15 item 7), as the supervisor and the centre see it: last
 * week's high-frequency consultations that no article answers stand as 待补知识, each with its department
 * and deadline; an article is drafted from one, another person reviews and publishes it, and the task is
 * then 已补充.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectNoConsoleErrors, logIn, mark, useBrowser } from './browser.ts';
import { expectPageClean } from './page-checks.ts';

useBrowser();

const pick = async (page: Page, testId: string, label: string) => {
  const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option-content', {
    hasText: new RegExp(`^${label}$`),
  });
  await expect
    .poll(
      async () => {
        if (!(await option.isVisible())) await page.getByTestId(testId).click();
        if (await option.isVisible()) await option.click({ timeout: 2000 }).catch(() => undefined);
        return (await page.getByTestId(testId).innerText()).includes(label);
      },
      { timeout: 15_000 },
    )
    .toBe(true);
};

describe('the supervisor keeps the knowledge base current', () => {
  it('sees last week’s gaps with their departments and deadlines, drafts one; once published the task is done', async () => {
    const sv = await logIn('duban01');
    const { page } = sv;
    await page.getByTestId('main-menu').getByText('知识库').click();
    const tasks = page.getByTestId('task-table');
    // made by the desk's weekly worker at start from the demo's consultations of last week
    await tasks.locator('tr.ant-table-row').first().waitFor({ timeout: 20_000 });
    await expectPageClean(page, '知识库：待补知识');
    await sv.shot('supervisor-sees-knowledge-gaps');
    const first = tasks.locator('tr.ant-table-row').filter({ hasText: '待起草' }).first();
    const rowText = await first.innerText();
    expect(rowText).toMatch(/\d{4}-W\d{2}/);
    expect(rowText).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/); // its deadline
    const label = (await first.locator('td').nth(2).innerText()).trim();
    expect(label).toMatch(/·/);

    // the citizens' own words behind it
    await first.locator('.ant-table-row-expand-icon').click();
    await expect
      .poll(async () => (await page.getByTestId('task-examples').first().innerText()).length)
      .toBeGreaterThan(8);

    // draft the article from the task: the ways callers asked are filled in already
    await first.getByTestId('task-draft').click();
    const form = page.getByTestId('article-form');
    await form.waitFor();
    expect((await page.getByTestId('article-questions').inputValue()).length).toBeGreaterThan(4);
    const title = `${mark()}待补知识测试`;
    await page.getByTestId('article-title').fill(title);
    await pick(page, 'article-topic', '社保');
    const dept = page.getByTestId('article-department');
    if (!(await dept.inputValue())) await dept.fill('12345热线');
    await page
      .getByTestId('article-answer')
      .fill('该事项的办理渠道和所需材料以主管部门公布为准，可通过“渝快办”查询〔示例〕。');
    await page
      .getByTestId('article-body')
      .fill('## 办理渠道\n\n可通过“渝快办”或到所在区县政务服务中心办理。\n\n- 身份证\n- 申请表');
    await page.getByTestId('article-change-note').fill('按每周高频咨询补充');
    await page.getByTestId('article-form-submit').click();
    await form.waitFor({ state: 'detached' });
    const drafted = tasks.locator('tr.ant-table-row', { hasText: title });
    await expect
      .poll(async () => (await drafted.count()) > 0 && (await drafted.innerText()).includes('已起草待发布'))
      .toBe(true);
    expect(await drafted.innerText()).toContain(label.split('·')[0]!);
    expectNoConsoleErrors(sv);

    // another person reviews and publishes it (the author does not review her own)
    const ad = await logIn('admin');
    await ad.page.getByTestId('main-menu').getByText('知识库').click();
    await ad.page.getByRole('tab', { name: '知识管理' }).click();
    await ad.page.getByTestId('article-search').locator('input').fill(title);
    await ad.page.getByTestId('article-search').locator('input').press('Enter');
    await ad.page.getByTestId('article-table').locator('tr.ant-table-row', { hasText: title }).click();
    const drawer = ad.page.getByTestId('article-drawer');
    await drawer.waitFor();
    expect(await drawer.innerText()).toContain('办理渠道');
    await ad.page.getByTestId('article-review').click();
    await ad.page.getByTestId('article-step-submit').click();
    await ad.page.getByTestId('article-publish').waitFor();
    await ad.page.getByTestId('article-publish').click();
    await ad.page.getByTestId('article-step-submit').click();
    await expect.poll(async () => await ad.page.locator('.ant-drawer-title').innerText()).toContain('已发布');
    await ad.page.getByRole('tab', { name: '版本与审核记录' }).click();
    const history = await ad.page.getByTestId('article-history').innerText();
    expect(history).toContain('审核通过');
    expect(history).toContain('发布');
    await ad.shot('centre-publishes-the-drafted-article');
    expectNoConsoleErrors(ad);

    // the task is done
    await page.reload();
    await page.getByTestId('task-table').waitFor();
    await pick(page, 'task-status', '已补充');
    const done = page.getByTestId('task-table').locator('tr.ant-table-row', { hasText: title });
    await expect.poll(async () => (await done.count()) > 0 && (await done.innerText()).includes('已补充')).toBe(true);
    expectNoConsoleErrors(sv);
  });
});
