import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { apiAs, expectNoConsoleErrors, fileOrder, logIn, mark, useBrowser } from './browser.ts';

useBrowser();

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
    '1f15c4890000000d49444154789c6360000002000154a24f5f0000000049454e44ae426082',
  'hex',
);

const orderFor = (unit: string, text: string) =>
  fileOrder({
    content: text,
    address: '渝中区八一路',
    streetCode: '500103003',
    categoryCode: 'CSGL01',
    leadUnitId: unit,
  });

describe('department returns an order', () => {
  it('finds it among my orders by due time, must give a reason, and sees it returned', async () => {
    const m = mark();
    const order = await orderFor('d500103.housing', `${m} 八一路人行道上的共享单车乱停乱放，行人无法通行`);
    const handler = await logIn('chengguan01'); // 渝中区城市管理局; the order went to the housing office by mistake
    const { page } = handler;
    await expect.poll(() => page.url()).toContain('/my-orders');
    // Not mine: it is not in my list.
    await page.getByTestId('order-search').locator('input').fill(order.no);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('work-order-table').innerText()).toContain('暂无数据');

    const housing = await apiAs('admin');
    await housing('POST', `/api/work-orders/${order.id}/reassign`, {
      leadUnitId: 'd500103.urban-mgmt',
      note: '改派至城管',
    });
    await page.getByTestId('order-search').locator('input').fill(order.no);
    await page.keyboard.press('Enter');
    const row = page.getByTestId('work-order-table').locator('tr', { hasText: order.no });
    await row.waitFor();
    expect(await row.innerText()).toMatch(/已派单[\s\S]*渝中区城市管理局[\s\S]*剩余/);
    await row.click();
    await page.getByTestId('work-order-drawer').getByTestId('do-return').click();
    await page.getByTestId('action-submit').click();
    await expect.poll(() => page.getByTestId('action-error').innerText()).toBe('请求参数不合法：缺少必填项：原因');
    await page.getByTestId('field-reasonCode').click();
    await page.getByTitle('非本单位职责').click();
    await page.getByTestId('field-note').fill('共享单车停放由交通部门监管，请改派');
    await handler.shot('department-returns-an-order-1-form');
    await page.getByTestId('action-submit').click();
    await expect.poll(() => page.getByTestId('order-status').innerText(), { timeout: 10_000 }).toBe('已退单');
    await expect
      .poll(() => page.getByTestId('order-timeline').innerText())
      .toContain('退单 · 刘洋：共享单车停放由交通部门监管，请改派');
    await handler.shot('department-returns-an-order-2-returned');
    expectNoConsoleErrors(handler, [400]);
  });

  it('a handler signs for an order, attaches a photo of the scene and asks for an extension', async () => {
    const m = mark();
    const order = await orderFor('d500103.urban-mgmt', `${m} 解放碑八一路井盖破损，夜间有行人绊倒`);
    const handler = await logIn('chengguan01');
    const { page } = handler;
    await page.getByTestId('order-search').locator('input').fill(order.no);
    await page.keyboard.press('Enter');
    await page.getByTestId('work-order-table').locator('tr', { hasText: order.no }).click();
    const drawer = page.getByTestId('work-order-drawer');
    await drawer.getByTestId('do-sign').click();
    await page.getByTestId('action-submit').click();
    await expect.poll(() => page.getByTestId('order-status').innerText()).toBe('已签收');

    await drawer.getByText(/^附件/).click();
    await drawer
      .locator('input[type=file]')
      .setInputFiles({ name: '井盖现场.png', mimeType: 'image/png', buffer: PNG });
    await expect
      .poll(
        () =>
          drawer
            .getByTestId('attachment-item')
            .first()
            .innerText()
            .catch(() => ''),
        { timeout: 10_000 },
      )
      .toContain('井盖现场.png');
    // A file that is not what it claims is refused with the server's reason.
    await drawer
      .locator('input[type=file]')
      .setInputFiles({ name: '照片.png', mimeType: 'image/png', buffer: Buffer.from('<html>not a picture</html>') });
    await expect
      .poll(() =>
        page
          .locator('.ant-message')
          .innerText()
          .catch(() => ''),
      )
      .toContain('上传失败：文件内容与声明的类型（image/png）不符');
    expect(await drawer.getByTestId('attachment-item').count()).toBe(1);
    // The stored file comes back as it was uploaded.
    const [download] = await Promise.all([page.waitForEvent('download'), drawer.getByText('井盖现场.png').click()]);
    expect(download.suggestedFilename()).toBe('井盖现场.png');
    expect((await readFile((await download.path())!)).equals(PNG)).toBe(true);
    await handler.shot('handler-attaches-a-photo');

    await drawer.getByTestId('do-request_extension').click();
    await page.getByTestId('field-requestedDueAt').click();
    await page.keyboard.type('2027-03-01 18:00');
    await page.keyboard.press('Enter');
    await page.getByTestId('field-reason').fill('需协调燃气公司共同施工');
    await page.getByTestId('action-submit').click();
    await expect.poll(() => drawer.innerText()).toContain('待批延期');
    expect(await drawer.innerText()).toContain('需协调燃气公司共同施工');
    await handler.shot('handler-asks-an-extension');
    expectNoConsoleErrors(handler, [422]);
  });
});
