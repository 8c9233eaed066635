import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { apiAs, expectNoConsoleErrors, fileOrder, logIn, mark, useBrowser } from './browser.ts';

useBrowser();

/** An order 城管 answered (已办结), waiting for the centre's call back. */
async function repliedOrder(content: string): Promise<{ id: string; no: string }> {
  const order = await fileOrder({ caller: { name: '陈立', phone: '13811112222' }, content, categoryCode: 'CSGL01' });
  const hotline = await apiAs('hotline01');
  await hotline('POST', `/api/work-orders/${order.id}/assign`, { leadUnitId: 'd500103.urban-mgmt' });
  const handler = await apiAs('chengguan01');
  await handler('POST', `/api/work-orders/${order.id}/sign`, {});
  await handler('POST', `/api/work-orders/${order.id}/reply`, {
    reply: '已安排执法队员清理占道摊点。',
    result: 'resolved',
  });
  return order;
}

const statistic = async (page: Page, title: string) =>
  page
    .getByTestId('follow-up-summary')
    .locator('.ant-statistic')
    .filter({ hasText: title })
    .locator('.ant-statistic-content')
    .innerText();

async function findRow(page: Page, no: string) {
  await page.getByTestId('follow-up-search').locator('input').fill(no);
  await page.getByTestId('follow-up-search').locator('input').press('Enter');
  const row = page.getByTestId('work-order-table').locator('tr.ant-table-row').filter({ hasText: no });
  await row.waitFor();
  return row;
}

describe('the centre calls callers back and reviews the unsatisfied before 重办', () => {
  it('the call-taker records an unsatisfied call back with the reason, then reviews it and sends it back to the unit', async () => {
    const order = await repliedOrder(`${mark()} 小区门口流动摊贩占道，晚上尤其严重`);
    const ct = await logIn('hotline01');
    const { page } = ct;
    await page.getByTestId('main-menu').getByText('回访').click();
    await expect.poll(() => statistic(page, '已回访')).toMatch(/^\d+$/);
    const before = Number(await statistic(page, '已回访'));
    expect(await statistic(page, '满意率')).toMatch(/^\d+(\.\d)?%$/);

    let row = await findRow(page, order.no);
    await row.getByTestId('follow-up-open').click();
    const modal = page.locator('.ant-modal').filter({ hasText: `回访 ${order.no}` });
    expect(await modal.getByTestId('follow-up-reply').innerText()).toBe('已安排执法队员清理占道摊点。');
    const question = (q: string) => modal.locator('.ant-form-item').filter({ hasText: q });
    await question('承办单位是否联系了您').getByText('否', { exact: true }).click();
    await question('您反映的问题是否已解决').getByText('否', { exact: true }).click();
    await modal.getByText('不满意', { exact: true }).click();
    await modal.getByTestId('follow-up-submit').click();
    // without the reason the call back is not recorded, and the message is in plain Chinese
    await expect
      .poll(() =>
        modal
          .getByTestId('follow-up-error')
          .innerText()
          .catch(() => ''),
      )
      .toContain('回访不满意须记录来电人不满意的原因');
    await modal.getByTestId('follow-up-note').fill('摊贩晚上又回来了，没有人管');
    await ct.shot('call-taker-records-an-unsatisfied-call-back');
    await modal.getByTestId('follow-up-submit').click();
    await modal.waitFor({ state: 'detached' });
    await expect.poll(async () => Number(await statistic(page, '已回访'))).toBe(before + 1);

    await page.getByRole('tab', { name: /不满意待审核/ }).click();
    row = await findRow(page, order.no);
    expect(await row.innerText()).toContain('已回访');
    await row.getByTestId('review-open').click();
    const review = page.locator('.ant-modal').filter({ hasText: `不满意审核 ${order.no}` });
    await expect.poll(() => review.getByTestId('review-said').innerText()).toContain('摊贩晚上又回来了，没有人管');
    await review.getByTestId('review-note').fill('回访反映属实，退回城管重办并加强夜间巡查');
    await ct.shot('call-taker-reviews-an-unsatisfied-order');
    await review.getByTestId('review-submit').click();
    await review.waitFor({ state: 'detached' });
    await expect
      .poll(() =>
        page.getByTestId('work-order-table').locator('tr.ant-table-row').filter({ hasText: order.no }).count(),
      )
      .toBe(0);
    const after = await (
      await apiAs('hotline01')
    )<{ status: string; reopenCount: number }>('GET', `/api/work-orders/${order.id}`);
    expect(after).toMatchObject({ status: 'assigned', reopenCount: 1 });
    expectNoConsoleErrors(ct, [400]);
  });

  it('the supervisor reads the satisfaction rate and the queues, without the call-back buttons', async () => {
    const sv = await logIn('duban01');
    await sv.page.getByTestId('main-menu').getByText('回访').click();
    await expect.poll(() => statistic(sv.page, '满意率')).toMatch(/%$/);
    await sv.page.getByTestId('follow-up-period').getByText('近30天').click();
    await expect.poll(() => statistic(sv.page, '满意率')).toMatch(/^\d+(\.\d)?%$/);
    await sv.page.getByTestId('work-order-table').locator('tr.ant-table-row').first().waitFor();
    expect(await sv.page.getByTestId('follow-up-open').count()).toBe(0);
    await sv.shot('supervisor-reads-the-satisfaction-rate');
    expectNoConsoleErrors(sv);
  });
});
