import { afterAll, describe, expect, it } from 'vitest';
import { signedHeaders } from '../../server/src/bridge/signing.ts';
import { uuidv7 } from '../../server/src/bridge/message-id.ts';
import { apiAs, desks, expectNoConsoleErrors, logIn, mark, useBrowser } from './browser.ts';
import { expectPageClean } from './page-checks.ts';

useBrowser();

const OLD_KEY = 'gas-to-desk-secret-browser-01';

/** A message the gas line signs with `key`, sent to the 12345 desk: its HTTP status. */
async function sendAsGasLine(key: string): Promise<number> {
  const body = JSON.stringify({
    v: 1,
    id: uuidv7(),
    type: 'feedback',
    itemId: 'cq-12345:LK-2026-999999',
    seq: 2,
    from: 'gas-96777',
    to: 'cq-12345',
    sentAt: new Date().toISOString(),
    payload: { disposition: 'resolved_on_scene', summary: '已处置', handledBy: 'gas', at: new Date().toISOString() },
  });
  const res = await fetch(`${desks().hotline}/bridge/v1/messages`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...signedHeaders('hmac-sha256', 'gas-to-desk', key, body) },
  });
  return res.status;
}

describe('the administrator looks after the connectors (外部接口)', () => {
  it('sees 119 and 120, renames the gas line, rotates its key (the old key is refused) and disables it', async () => {
    const admin = await apiAs('admin');
    await admin('PUT', '/api/admin/connectors/gas-96777', {
      name: '燃气抢修热线',
      kind: 'gas',
      endpointUrl: 'http://127.0.0.1:9',
      keyId: 'desk-to-gas',
      key: 'desk-to-gas-secret-browser-01',
      inboundKeyId: 'gas-to-desk',
      inboundKey: OLD_KEY,
    });
    const person = await logIn('admin');
    const { page } = person;
    await page.goto(page.url().replace(/\/[^/]*$/, '/admin?tab=connectors'));
    const table = page.getByTestId('connectors');
    await expect.poll(() => table.innerText()).toContain('燃气抢修热线');
    // the kinds' names come with the reference data, which may arrive after the list
    await expect.poll(() => table.innerText()).toContain('119 消防救援');
    const text = await table.innerText();
    expect(text).toContain('重庆市消防救援总队119指挥中心');
    expect(text).toContain('119 消防救援');
    expect(text).toContain('重庆市急救医疗中心120');
    await expectPageClean(page, '外部接口', ['cq', 'desk', 'to', 'fire', 'medical', 'gas', 'http']);

    const row = () => table.locator('tr', { hasText: 'gas-to-desk' });
    await row().getByRole('button', { name: '编辑' }).click();
    await page.getByLabel('名称').fill('市燃气集团抢修热线');
    await page.getByRole('button', { name: /保\s*存/ }).click();
    await expect.poll(() => row().innerText()).toContain('市燃气集团抢修热线');

    expect(await sendAsGasLine(OLD_KEY)).not.toBe(401);
    await row().getByRole('button', { name: '更换密钥' }).click();
    await page.getByRole('button', { name: '生成新密钥' }).click();
    const shown = page.getByTestId('new-key');
    await shown.waitFor();
    const newKey = (await shown.innerText()).trim();
    expect(newKey).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    await person.shot('administrator-rotates-a-connector-key');
    expect(await sendAsGasLine(OLD_KEY)).toBe(401);
    expect(await sendAsGasLine(newKey)).not.toBe(401);
    await page.getByRole('button', { name: '我已妥善保存' }).click();
    await expect.poll(() => page.content()).not.toContain(newKey);

    await row().getByRole('button', { name: '停用' }).click();
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /停\s*用/ })
      .click();
    await expect.poll(() => row().getByRole('button', { name: '启用' }).count()).toBe(1);
    expect(await row().locator('.ant-tag').innerText()).toBe('停用');
    expect(await sendAsGasLine(newKey)).toBe(401);

    await page.getByRole('tab', { name: '审计日志' }).click();
    await expect.poll(() => page.locator('body').innerText()).toContain('更换联动单位密钥');
    expect(await page.locator('body').innerText()).toContain('修改联动单位接入');
    expectNoConsoleErrors(person);
  });

  it('retrains the dispatch model (派单模型) from the archived orders and reads how it scored against the one in use', async () => {
    const person = await logIn('admin');
    const { page } = person;
    await page.goto(page.url().replace(/\/[^/]*$/, '/admin?tab=dispatch-models'));
    const current = page.getByTestId('dispatch-model-current');
    await expect.poll(() => current.innerText()).toMatch(/当前使用：\S+/);
    const api = await apiAs('admin');
    const n = ((await api('GET', '/api/admin/dispatch-models')) as { models: unknown[] }).models.length;
    await page.getByTestId('dispatch-model-train').click();
    await page
      .locator('.ant-popconfirm')
      .getByRole('button', { name: /重\s*训/ })
      .click();
    // The new version is listed with its scores and what became of it, or the server says why not.
    const table = page.getByTestId('dispatch-model-table');
    await expect
      .poll(
        async () =>
          (await page.getByTestId('dispatch-model-error').count())
            ? await page.getByTestId('dispatch-model-error').innerText()
            : (await table.locator('tbody tr.ant-table-row').count()) > n
              ? 'listed'
              : '',
        { timeout: 90_000 },
      )
      .toBe('listed');
    const row = table.locator('tbody tr.ant-table-row', { hasText: 'archive-' }).first();
    expect(await row.innerText()).toMatch(/archive-[\s\S]*\d+\.\d%[\s\S]*(已启用|保存未启用)/);
    await expectPageClean(page, '派单模型');
    // And back to the shipped model (the other tests read its suggestions).
    await page.getByTestId('dispatch-model-shipped').click();
    await page
      .locator('.ant-popconfirm')
      .getByRole('button', { name: /改\s*用/ })
      .click();
    await expect.poll(() => current.innerText()).toContain('随系统发布的默认模型');
    expect(((await api('GET', '/api/admin/dispatch-models')) as { current: { source: string } }).current.source).toBe(
      'shipped',
    );
    expectNoConsoleErrors(person);
  });
});

describe('the administrator adds a connector', () => {
  const id = `power-${mark().toLowerCase()}`;
  // Should the test stop before deleting it, the one added is disabled afterwards, so no other test transfers to it.
  afterAll(async () => {
    const admin = await apiAs('admin');
    const list = await admin<{ id: string; active: boolean }[]>('GET', '/api/admin/connectors');
    if (list.some((c) => c.id === id && c.active))
      await admin('PATCH', `/api/admin/connectors/${id}`, { active: false });
  });

  it('fills in the form, is shown both keys once and sees it listed; a key id already in use is refused in Chinese', async () => {
    const person = await logIn('admin');
    const { page } = person;
    await page.goto(page.url().replace(/\/[^/]*$/, '/admin?tab=connectors'));
    const table = page.getByTestId('connectors');
    await expect.poll(() => table.innerText()).toContain('重庆市急救医疗中心120');

    const dialog = page.getByRole('dialog', { name: '新增联动单位接入' });
    const fill = async (inboundKeyId: string) => {
      await dialog.getByLabel('接入编号').fill(id);
      await dialog.getByLabel('名称').fill('国网重庆供电抢修');
      await dialog.getByLabel('类型').click();
      await page
        .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)')
        .getByText('供电抢修', { exact: true })
        .click();
      await dialog.getByLabel('接收地址').fill('http://127.0.0.1:9/power');
      await dialog.getByLabel('本方发出消息的密钥编号').fill(`desk-to-${id}`);
      await dialog.getByLabel('对方发来消息的密钥编号').fill(inboundKeyId);
    };
    await page.getByTestId('new-connector').click();
    // the inbound key id of the gas line (the test above): the server refuses it, the dialog says why
    await fill('gas-to-desk');
    await dialog.getByRole('button', { name: /新\s*增/ }).click();
    await expect
      .poll(() =>
        dialog
          .getByTestId('connector-error')
          .innerText()
          .catch(() => ''),
      )
      .toContain('该密钥编号已被其他联动单位使用');
    await person.shot('administrator-adds-a-connector-1-key-id-taken');

    await dialog.getByLabel('对方发来消息的密钥编号').fill(`${id}-to-desk`);
    await dialog.getByRole('button', { name: /新\s*增/ }).click();
    const keys = page.getByRole('dialog', { name: '新接入的密钥（只显示这一次）' });
    await keys.waitFor();
    expect((await keys.getByTestId('created-inbound-key').innerText()).trim().length).toBeGreaterThanOrEqual(40);
    expect(await keys.innerText()).toContain(`${id}-to-desk`);
    await person.shot('administrator-adds-a-connector-2-keys-once');
    await keys.getByRole('button', { name: '我已妥善保存' }).click();
    const row = table.locator('tr', { hasText: `${id}-to-desk` });
    await row.waitFor();
    expect(await row.innerText()).toMatch(/国网重庆供电抢修[\s\S]*供电抢修[\s\S]*启用/);
    await expectPageClean(page, '外部接口', ['cq', 'desk', 'to', 'fire', 'medical', 'gas', 'power', 'http', id]);

    // the same 接入编号 again: refused, in Chinese
    await page.getByTestId('new-connector').click();
    await fill(`${id}-again`);
    await dialog.getByRole('button', { name: /新\s*增/ }).click();
    await expect
      .poll(() =>
        dialog
          .getByTestId('connector-error')
          .innerText()
          .catch(() => ''),
      )
      .toContain('该接入编号已被使用');
    await dialog.getByRole('button', { name: /取\s*消/ }).click();

    // added by mistake and never used: stopped, then deleted (an active line offers no 删除)
    expect(await row.getByRole('button', { name: '删除' }).count()).toBe(0);
    await row.getByRole('button', { name: '停用' }).click();
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /停\s*用/ })
      .click();
    await row.getByRole('button', { name: '删除' }).click();
    const confirm = page.getByRole('dialog', { name: '删除“国网重庆供电抢修”？' });
    expect(await confirm.innerText()).toContain('已有联动记录的接入只能停用');
    await confirm.getByRole('button', { name: /删\s*除/ }).click();
    await expect.poll(() => table.innerText()).not.toContain(`${id}-to-desk`);
    expectNoConsoleErrors(person, [409]);
  });
});
