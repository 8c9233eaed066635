import zlib from 'node:zlib';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { apiAs, expectNoConsoleErrors, logIn, mark, openPhone, useBrowser } from './browser.ts';

useBrowser();

const DIGITS = '零一二三四五六七八九';

/** A valid 4×4 grey PNG, made here (signature, IHDR, IDAT, IEND with their CRCs). */
function tinyPng(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.from([0, 0, 0, 4, 0, 0, 0, 4, 8, 0, 0, 0, 0]); // 4×4, 8-bit greyscale
  const rows = Buffer.concat(Array.from({ length: 4 }, () => Buffer.from([0, 128, 128, 128, 128])));
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
/** Reads the challenge (三加五等于几？) and answers it, as a person would. */
async function answerChallenge(page: Page) {
  const label = page.locator('label[for="answer"]');
  await expect.poll(() => label.innerText()).toMatch(/验证题：.加.等于几？/);
  const m = /验证题：(.)加(.)等于几？/.exec(await label.innerText())!;
  await page.getByLabel('验证题答案').fill(String(DIGITS.indexOf(m[1]!) + DIGITS.indexOf(m[2]!)));
}

describe('citizen files a request on the phone', () => {
  it('files it on the public page, the call-taker and the handler find it, and the reply shows on the status page', async () => {
    const m = mark();
    const citizen = await openPhone('/m/');
    const { page } = citizen;
    await page.getByRole('radio', { name: '投诉' }).click();
    await page.getByLabel('诉求类别').selectOption({ label: '城市管理' });
    await page.getByLabel('具体事项').selectOption({ label: '占道经营' });
    await page.getByLabel('诉求内容').fill(`${m} 民族路上每天晚上都有流动摊贩占道经营，人行道被堵住了，希望管一管`);
    // A small photo of the scene (a 4×4 PNG); the page sends it on as a JPEG.
    const png = tinyPng();
    await page.getByLabel('现场照片').setInputFiles({ name: '现场.png', mimeType: 'image/png', buffer: png });
    await expect.poll(() => page.getByText('已选择照片：现场.jpg').isVisible()).toBe(true);
    await page.getByLabel('区县').selectOption({ label: '渝中区' });
    await expect.poll(() => page.getByLabel('街道（镇）').locator('option').count()).toBeGreaterThan(1);
    await page.getByLabel('街道（镇）').selectOption({ label: '解放碑街道' });
    await page.getByLabel('详细地址').fill('民族路88号门口');
    await page.getByText('在地图上选点').click();
    const map = page.getByRole('img', { name: '地图选点' });
    await map.waitFor();
    const box = (await map.boundingBox())!;
    await map.tap({ position: { x: box.width / 2, y: box.height / 2 } });
    await expect.poll(() => page.getByText(/已选位置：东经 106\.\d+，北纬 29\.\d+/).isVisible()).toBe(true);
    await page.getByLabel('手机号').fill('13900008888');
    await page.getByText('同意办结后隐去个人信息公开办理情况').click();
    await answerChallenge(page);
    // Nothing here is a danger: no emergency panel.
    expect(await page.getByRole('alert').count()).toBe(0);
    await citizen.shot('citizen-files-a-request-1-form');
    await page.getByRole('button', { name: '提交诉求' }).click();
    await page.getByTestId('request-no').or(page.locator('.error')).first().waitFor({ timeout: 15_000 });
    expect(await page.locator('.error').allInnerTexts()).toEqual([]);
    const no = await page.getByTestId('request-no').innerText();
    const code = await page.getByTestId('query-code').innerText();
    expect(no).toMatch(/^GD\d{14}$/);
    expect(code).toMatch(/^\d{6}$/);
    await citizen.shot('citizen-files-a-request-2-receipt');

    // The 12345 call-taker finds it among the work orders, filed from the web.
    const ct = await logIn('hotline01');
    await ct.page.getByTestId('main-menu').getByText('工单查询').click();
    await ct.page.getByTestId('order-search').locator('input').fill(no);
    await ct.page.keyboard.press('Enter');
    const ctRow = ct.page.getByTestId('work-order-table').locator('tr', { hasText: no });
    await ctRow.waitFor({ timeout: 15_000 });
    expect(await ctRow.innerText()).toContain(m);
    await ct.shot('citizen-files-a-request-3-call-taker-finds-it');
    const api = await apiAs('hotline01');
    const { items } = await api<{ items: { id: string }[] }>('GET', `/api/work-orders?q=${no}`);
    const photos = await api<{ fileName: string; contentType: string }[]>(
      'GET',
      `/api/work-orders/${items[0]!.id}/attachments`,
    );
    expect(photos).toMatchObject([
      { fileName: '现场.jpg', contentType: 'image/jpeg', uploadedBy: { name: '市民上传' } },
    ]);
    await api('POST', `/api/work-orders/${items[0]!.id}/assign`, { leadUnitId: 'd500103.urban-mgmt' });

    // The handler (渝中区城市管理局) finds it in 我的工单 and signs for it.
    const handler = await logIn('chengguan01');
    await expect.poll(() => handler.page.url()).toContain('/my-orders');
    await handler.page.getByTestId('order-search').locator('input').fill(no);
    await handler.page.keyboard.press('Enter');
    const hRow = handler.page.getByTestId('work-order-table').locator('tr', { hasText: no });
    await hRow.waitFor({ timeout: 15_000 });
    await hRow.click();
    await handler.page.getByTestId('work-order-drawer').getByTestId('do-sign').click();
    await handler.page.getByTestId('action-submit').click();
    await expect.poll(() => handler.page.getByTestId('order-status').innerText()).toBe('已签收');
    // The drawer's 短信 tab: the receipt texted to the citizen, without the number or the query code.
    const drawer = handler.page.getByTestId('work-order-drawer');
    await drawer.getByRole('tab', { name: /短信/ }).click();
    await expect
      .poll(() => drawer.getByTestId('order-text').first().innerText(), { timeout: 15_000 })
      .toMatch(/受理短信\s*(已发送|待发送)/);
    expect(await drawer.getByTestId('order-texts').innerText()).not.toContain('13900008888');
    expect(await drawer.getByTestId('order-texts').innerText()).not.toContain(code);
    await handler.shot('citizen-files-a-request-4-handler-signs');
    const cg = await apiAs('chengguan01');
    await cg('POST', `/api/work-orders/${items[0]!.id}/start`, {});
    await cg('POST', `/api/work-orders/${items[0]!.id}/reply`, {
      reply: '已对民族路流动摊贩进行劝离，并安排夜间巡查。',
      result: 'resolved',
    });

    // Back on the phone: the status page, by number and code.
    await page.getByRole('button', { name: '查询办理进度' }).click();
    await expect.poll(() => page.getByTestId('status-text').innerText(), { timeout: 15_000 }).toBe('已办结答复');
    expect(await page.getByTestId('reply').innerText()).toBe('已对民族路流动摊贩进行劝离，并安排夜间巡查。');
    const timeline = await page.locator('.timeline').innerText();
    expect(timeline).toMatch(
      /您的诉求已受理[\s\S]*已派送渝中区城市管理局办理[\s\S]*承办单位已签收[\s\S]*已答复办理结果/,
    );
    expect(await page.locator('body').innerText()).not.toContain('13900008888');
    await citizen.shot('citizen-files-a-request-5-status-page');
    // A wrong code shows nothing of the request.
    await page.getByLabel('查询码').fill(code === '000000' ? '111111' : '000000');
    await page.getByRole('button', { name: '查询' }).click();
    await expect.poll(() => page.getByRole('alert').innerText()).toBe('工单编号或查询码不正确');
    expectNoConsoleErrors(citizen, [404]);
    expectNoConsoleErrors(ct);
    expectNoConsoleErrors(handler);
  });

  it('types a danger, is told to call 110 and 120 at once, and the 110 desk receives it as an emergency', async () => {
    const m = mark();
    const seat = await logIn('seat01', 'dispatch');
    await seat.page.getByTestId('main-menu').getByText('联动事项').click();
    await seat.page.getByTestId('linkage-table').waitFor();

    const citizen = await openPhone('/m/');
    const { page } = citizen;
    await page.getByLabel('诉求内容').fill(`${m} 小区楼下有人拿刀砍人，有人倒在地上流了很多血`);
    // Before anything is sent: the emergency numbers.
    const alert = page.getByRole('alert');
    await alert.waitFor({ timeout: 10_000 });
    expect(await alert.innerText()).toContain('请立即拨打');
    expect(await alert.getByRole('link', { name: /110/ }).getAttribute('href')).toBe('tel:110');
    expect(await alert.getByRole('link', { name: /120/ }).getAttribute('href')).toBe('tel:120');
    await citizen.shot('citizen-types-a-danger-1-call-now');
    await page.getByLabel('区县').selectOption({ label: '渝中区' });
    await page.getByLabel('详细地址').fill('两路口某小区');
    await page.getByLabel('手机号').fill('13900009999');
    await answerChallenge(page);
    await page.getByRole('button', { name: '提交诉求' }).click();
    await page.getByTestId('request-no').waitFor({ timeout: 15_000 });
    expect(await page.getByText('您的诉求已同步转110处置。').isVisible()).toBe(true);
    expect(await page.getByRole('alert').first().innerText()).toContain('110');
    await citizen.shot('citizen-types-a-danger-2-receipt');

    // The 110 desk's specialist seat is told at once, without a reload: an emergency escalation is accepted on
    // receipt (it waits for no seat), so it stands among the items being handled, not in 待签收.
    await expect
      .poll(() => seat.page.locator('.ant-notification').innerText(), { timeout: 20_000 })
      .toContain('紧急移交已自动签收');
    await seat.page.getByTestId('linkage-tabs').getByText('处置中').click();
    const row = seat.page.getByTestId('linkage-table').locator('tr', { hasText: m });
    await row.waitFor({ timeout: 20_000 });
    expect(await row.innerText()).toMatch(/紧急移交[\s\S]*已签收/);
    await seat.shot('citizen-types-a-danger-3-110-seat');
    expectNoConsoleErrors(citizen);
    expectNoConsoleErrors(seat);
  });

  it('asks online: an answer from an article with its source, a plain "I do not know", and 转人工 with the conversation', async () => {
    const citizen = await openPhone('/m/ask');
    const { page } = citizen;
    const ask = async (q: string) => {
      const before = await page.getByTestId('chat-messages').locator('.msg').count();
      await page.getByLabel('您的问题').fill(q);
      await page.getByRole('button', { name: '发送' }).click();
      await expect.poll(() => page.getByTestId('chat-messages').locator('.msg').count()).toBe(before + 2);
    };
    await ask('社保卡丢了怎么补办');
    const answer = page.getByTestId('chat-answer').last();
    expect(await answer.innerText()).toMatch(/社会保障卡[\s\S]*挂失[\s\S]*答复依据：市人力社保局/);
    expect(await answer.innerText()).toContain('演示内容');
    await ask('明天重庆天气怎么样');
    expect(await page.getByTestId('chat-unknown').last().innerText()).toContain('知识库中没有能准确回答');
    await citizen.shot('citizen-asks-online-1-chat');
    await page.getByTestId('chat-handover').click();
    // The form opens as a consultation with the questions and the conversation attached.
    await expect.poll(() => page.getByTestId('handover-note').innerText()).toContain('已附上在线咨询记录（4条）');
    expect(await page.getByLabel('诉求内容').inputValue()).toBe('社保卡丢了怎么补办；明天重庆天气怎么样');
    const m = mark();
    await page.getByLabel('诉求内容').fill(`${m} 社保卡丢了怎么补办，我人在外地能不能邮寄`);
    await page.getByLabel('区县').selectOption({ label: '渝中区' });
    await page.getByLabel('手机号').fill('13900008899');
    await answerChallenge(page);
    await page.getByRole('button', { name: '提交诉求' }).click();
    await page.getByTestId('request-no').or(page.locator('.error')).first().waitFor({ timeout: 15_000 });
    expect(await page.locator('.error').allInnerTexts()).toEqual([]);
    const no = await page.getByTestId('request-no').innerText();
    // The call-taker reads the conversation in the order's log.
    const ct = await logIn('hotline01');
    await ct.page.getByTestId('main-menu').getByText('工单查询').click();
    await ct.page.getByTestId('order-search').locator('input').fill(no);
    await ct.page.keyboard.press('Enter');
    const row = ct.page.getByTestId('work-order-table').locator('tr', { hasText: no });
    await row.waitFor({ timeout: 15_000 });
    await row.click();
    const timeline = ct.page.getByTestId('work-order-drawer').getByTestId('order-timeline');
    await expect
      .poll(() => timeline.innerText(), { timeout: 15_000 })
      .toMatch(/市民在线咨询记录[\s\S]*市民：社保卡丢了怎么补办[\s\S]*智能应答（知识“社会保障卡申领和补换”）/);
    await ct.shot('citizen-asks-online-2-call-taker-reads-the-conversation');
    expectNoConsoleErrors(citizen);
    expectNoConsoleErrors(ct);
  });
});
