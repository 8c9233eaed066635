/**
 * A message the partner line refuses for good is a dead letter: the 110 desk's specialist seat finds it
 * under 死信与拒收 with the reason in Chinese and sends it again once the cause is fixed; the 12345
 * desk's administrator sees the refusal it answered in 拒收记录. Both pages pass the page checks.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { apiAs, desks, expectNoConsoleErrors, logIn, mark, useBrowser } from './browser.ts';
import { expectPageClean } from './page-checks.ts';

useBrowser();

const suffix = String(Date.now()).slice(-6);
const connectorId = `gas-test-${suffix}`;
const connectorName = `测试燃气抢修${suffix}`;
// Pointed at the 12345 desk, which does not know this key: it refuses what 110 sends (401 unknown_key).
const connector = () => ({
  name: connectorName,
  kind: 'gas',
  endpointUrl: desks().hotline,
  keyId: `d2c-gas-${suffix}`,
  key: `desk-to-gas-secret-${suffix}-000000`,
  inboundKeyId: `c2d-gas-${suffix}`,
  inboundKey: `gas-to-desk-secret-${suffix}-000000`,
});
afterAll(async () => {
  // The line is taken out again, so no other scene sends to it.
  const admin = await apiAs('admin', 'dispatch');
  await admin('PUT', `/api/admin/connectors/${connectorId}`, { ...connector(), active: false });
});

describe('a message the partner line refuses is seen and sent again', () => {
  it('the 110 seat finds the dead letter with its reason and retries it; 12345 lists the refusal', async () => {
    const admin = await apiAs('admin', 'dispatch');
    await admin('PUT', `/api/admin/connectors/${connectorId}`, connector());
    const dispatcher = await apiAs('dispatch01', 'dispatch');
    const m = mark();
    const inc = await dispatcher<{ id: string }>('POST', '/api/incidents', {
      content: `${m} 报警人称小区燃气管道泄漏，闻到很大气味`,
      category: 'social_linkage',
      districtCode: '500103',
    });
    const item = await dispatcher<{ itemId: string }>('POST', '/api/linkage/items', {
      kind: 'transfer',
      incidentId: inc.id,
      target: connectorId,
      reason: '燃气泄漏，请燃气抢修到场',
    });

    const seat = await logIn('seat01', 'dispatch');
    const { page } = seat;
    await page.getByTestId('main-menu').getByText('死信与拒收').click();
    const row = page.getByTestId('dead-letters').locator('tr', { hasText: item.itemId });
    // The sender gives up at the first permanent refusal; the page shows it on the next look.
    await expect
      .poll(
        async () => {
          if (await row.count()) return row.innerText();
          await page.getByRole('tab', { name: /死信/ }).click();
          await page.getByTestId('main-menu').getByText('联动事项').click();
          await page.getByTestId('main-menu').getByText('死信与拒收').click();
          return '';
        },
        { timeout: 30_000 },
      )
      .toContain('对方拒收：密钥未登记（401）');
    const text = await row.innerText();
    expect(text).toContain(connectorName);
    expect(text).toContain('转接请求（第1条）');
    await expectPageClean(page, '死信与拒收（110专席）');
    await seat.shot('seat-sees-a-dead-letter');

    await row.getByRole('button', { name: /重\s*发/ }).click();
    await page
      .getByRole('button', { name: /^重\s*发$/ })
      .last()
      .click();
    await expect
      .poll(() =>
        page
          .locator('.ant-message-notice')
          .last()
          .innerText()
          .catch(() => ''),
      )
      .toContain(`已重新发送给${connectorName}：转接请求`);
    const audit = await admin<{ action: string; target: string }[]>('GET', '/api/admin/audit?limit=50');
    expect(audit.some((a) => a.action === 'bridge.dead_letter.retry')).toBe(true);
    expectNoConsoleErrors(seat);

    // The 12345 desk refused the unknown key before knowing who sent it: counted, sender unknown.
    const ha = await logIn('admin', 'hotline');
    await ha.page.getByTestId('main-menu').getByText('死信与拒收').click();
    await ha.page.getByRole('tab', { name: '拒收记录' }).click();
    await ha.page.getByTestId('refusal-code').click();
    await ha.page
      .locator('.ant-select-dropdown:visible .ant-select-item-option-content', { hasText: /^密钥未登记$/ })
      .click();
    // The list closes with an animation; until it is gone its accessible items still show. Under load it
    // once stayed open past the wait (CI, 7cf2281): Esc closes it as a user would, and keeps the choice.
    await ha.page.keyboard.press('Escape');
    await expect.poll(() => ha.page.locator('.ant-select-dropdown:visible').count(), { timeout: 10_000 }).toBe(0);
    const refusals = ha.page.getByTestId('refusals').locator('tbody');
    await expect.poll(() => refusals.innerText()).toContain('未验明身份');
    expect(await refusals.innerText()).toContain('密钥未登记');
    await expectPageClean(ha.page, '拒收记录（12345管理员）');
    await ha.shot('administrator-reads-the-refusals');
    expectNoConsoleErrors(ha);
  });
});
