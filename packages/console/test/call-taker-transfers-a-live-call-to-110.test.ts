import { afterAll, describe, expect, inject, it } from 'vitest';
import { CONSULTING_SEAT, freeSipPort, inOrder, registerSeat, sipp } from '../../server/test/telephony/sipp.ts';
import { PASSWORD, apiAs, expectNoConsoleErrors, logIn, mark, useBrowser } from './browser.ts';

useBrowser();

/** A person signed in at a seat by an earlier test (the desks outlive each file) starts this one signed out. */
async function signedOut(username: string, desk: 'hotline' | 'dispatch') {
  const api = await apiAs(username, desk);
  await api('POST', '/api/telephony/agent/state', { state: 'offline' }).catch(() => undefined);
  return api;
}

/** The 110 specialist seat (王芳): her phone (extension 9001) registered, and she is signed in at it. */
async function specialistReady() {
  const specialistPhone = await freeSipPort();
  expect((await registerSeat(inject('sipPort') + 1, '9001', PASSWORD, specialistPhone)).code).toBe(0);
  const seatApi = await signedOut('seat01', 'dispatch');
  await seatApi('POST', '/api/telephony/agent/sign-in', { extension: '9001' });
  return specialistPhone;
}

/** The 12345 call-taker's desk phone (8001) registers; she signs in at it from the console. */
async function callTakerReady() {
  await signedOut('hotline01', 'hotline');
  const seatPhone = await freeSipPort();
  expect((await registerSeat(inject('sipPort'), '8001', PASSWORD, seatPhone)).code).toBe(0);
  const ct = await logIn('hotline01');
  await expect.poll(() => ct.page.url()).toContain('/intake');
  await ct.page.getByLabel('坐席分机号').fill('8001');
  await ct.page.getByRole('button', { name: /签\s*入/ }).click();
  await expect.poll(() => ct.page.getByTestId('agent-state').innerText()).toBe('分机 8001 · 示闲');
  return { ct, seatPhone };
}

describe('a 12345 call-taker transfers a live call to 110 with one key', () => {
  // and ends it signed out, for the files that sign in at these seats after this one
  afterAll(async () => {
    await signedOut('hotline01', 'hotline');
    await signedOut('seat01', 'dispatch');
  });

  it('answers, types the danger, presses Alt+2: the call moves to the 110 seat with the linkage item, and both desks see it on their timelines', async () => {
    const sipPort = inject('sipPort');
    const sipPort110 = sipPort + 1;
    const m = mark();

    const specialistPhone = await specialistReady();
    // The 110 dispatcher has 联动事项 open at 处置中 (an emergency escalation is accepted on receipt).
    const dp = await logIn('dispatch01', 'dispatch');
    await dp.page.getByTestId('main-menu').getByText('联动事项').click();
    await dp.page.getByTestId('linkage-table').waitFor();
    await dp.page.getByTestId('linkage-tabs').getByText('处置中').click();

    const { ct, seatPhone } = await callTakerReady();
    const { page } = ct;

    // A caller rings 12345; her phone answers; the 110 seat's phone will answer what reaches it.
    const long = { timeoutSeconds: 90 };
    const phone = sipp('seat-answers.xml', sipPort, { port: seatPhone, ...long });
    const specialist = sipp('specialist-answers.xml', sipPort110, { port: specialistPhone, ...long });
    const caller = sipp('caller.xml', sipPort, { port: await freeSipPort(), service: '12345', ...long });
    const popup = page.getByTestId('caller-popup');
    await expect.poll(() => popup.innerText().catch(() => ''), { timeout: 20_000 }).toContain('13800000001');
    await expect.poll(() => page.getByTestId('agent-state').innerText()).toBe('分机 8001 · 通话中');
    // The intake knows the call: the number is filled in, and it says the transfer takes the call along.
    await expect.poll(() => page.getByTestId('caller-phone').inputValue()).toBe('13800000001');
    await expect
      .poll(() => page.getByTestId('intake-live-call').innerText())
      .toContain('一键转110将连同通话转至110专席');

    await page
      .getByTestId('intake-content')
      .fill(`${m} 我在解放碑步行街，两个人在烧烤摊打起来了，有人头上流血了，还在打`);
    await expect
      .poll(() => page.getByTestId('triage-route').innerText(), { timeout: 15_000 })
      .toContain('110报警服务台');
    await ct.shot('call-taker-transfers-a-live-call-1-on-the-call');
    await page.keyboard.press('Alt+2'); // 一键转110: the item and the call together

    const result = page.getByTestId('intake-result');
    await result.waitFor({ timeout: 30_000 });
    // the message names the order by its number (not the internal item id) and says where the call went
    expect(await result.innerText()).toMatch(/已转110（紧急移交），工单 GD\d+[\s\S]*通话已转至110专席/);
    expect(await result.innerText()).not.toContain('LK-');

    // The phones: her seat was released by the desk, the caller re-INVITEd to the 110 seat, who answered.
    const [c, p, z] = [await caller, await phone, await specialist];
    expect([c.code, p.code, z.code], c.stderr + p.stderr + z.stderr).toEqual([0, 0, 0]);
    expect(p.dialogue).toEqual(['recv INVITE', 'sent 180', 'sent 200', 'recv ACK', 'recv BYE', 'sent 200']);
    expect(inOrder(c.dialogue, ['sent INVITE', 'recv 200', 'sent ACK', 'recv INVITE', 'sent 200', 'recv ACK'])).toBe(
      true,
    );
    expect(inOrder(z.dialogue, ['recv INVITE', 'sent 180', 'sent 200', 'recv ACK'])).toBe(true);
    // She is off the call, in after-call work; the pop-up has gone.
    await expect.poll(() => page.getByTestId('agent-state').innerText()).toBe('分机 8001 · 话后整理');
    expect(await popup.count()).toBe(0);
    await ct.shot('call-taker-transfers-a-live-call-2-transferred');

    // The request's timeline on the 12345 desk: the transfer among the call's legs, in time order.
    await result.locator('a', { hasText: /GD\d+/ }).click(); // the order's number
    const timeline = page.getByTestId('order-timeline');
    await timeline.waitFor();
    await expect.poll(() => timeline.getByTestId('call-leg-event').count()).toBeGreaterThanOrEqual(6);
    const history = await timeline.innerText();
    expect(history).toMatch(/通话\s*来电[\s\S]*通话\s*接听[\s\S]*通话\s*开始转接[\s\S]*通话\s*已转接/);
    expect(history).toMatch(/cq-12345:LK-[\w-]+/); // the linkage item the call went with
    await page.locator('.ant-drawer-open').getByRole('tab', { name: '通话' }).click();
    const legs = page.locator('.ant-drawer-open').getByTestId('call-legs');
    await expect.poll(() => legs.innerText()).toMatch(/来电 13800000001 · 12345热线 · 已转接对方平台专席/);
    await ct.shot('call-taker-transfers-a-live-call-3-request-timeline');

    // The 110 dispatcher: the item arrived live; its timeline carries the call that came with it.
    const row = dp.page.getByTestId('linkage-table').locator('tr', { hasText: m });
    await row.waitFor({ timeout: 20_000 });
    expect(await row.innerText()).toMatch(/紧急移交[\s\S]*12345热线 → 本方/);
    await row.click();
    const itemTimeline = dp.page.getByTestId('linkage-timeline');
    await itemTimeline.waitFor();
    await expect.poll(() => itemTimeline.getByTestId('call-leg-event').count()).toBeGreaterThanOrEqual(4);
    expect(await itemTimeline.innerText()).toMatch(/通话\s*来电[\s\S]*通话\s*接听[\s\S]*王芳/);
    expect(await dp.page.getByTestId('call-legs').innerText()).toMatch(/来电 13800000001 · \S+ · 对方平台转来/);
    await dp.page.getByTestId('call-legs').scrollIntoViewIfNeeded();
    await dp.shot('call-taker-transfers-a-live-call-4-110-item-timeline');

    expectNoConsoleErrors(ct);
    expectNoConsoleErrors(dp);
  });

  it('咨询转接: she puts the caller on hold and speaks to the 110 seat first, then Alt+2 gives the caller to that seat', async () => {
    const sipPort = inject('sipPort');
    const sipPort110 = sipPort + 1;
    const m = mark();
    const specialistPhone = await specialistReady();
    const { ct, seatPhone } = await callTakerReady();
    const { page } = ct;

    const long = { timeoutSeconds: 90 };
    const phone = sipp('seat-consults.xml', sipPort, { port: seatPhone, ...long });
    const specialist = sipp('specialist-consulted.xml', sipPort110, { port: specialistPhone, ...long });
    const caller = sipp('caller.xml', sipPort, { port: await freeSipPort(), service: '12345', ...long });
    const popup = page.getByTestId('caller-popup');
    await expect.poll(() => popup.innerText().catch(() => ''), { timeout: 20_000 }).toContain('13800000001');
    await page.getByTestId('call-consult').click();
    // the specialist has answered: the caller waits on hold, and she can give the caller over or take her back
    await expect.poll(() => popup.innerText(), { timeout: 20_000 }).toContain('咨询中（来电人保持）');
    await page.getByTestId('call-consult-cancel').waitFor();
    await expect
      .poll(() => page.getByTestId('intake-live-call').innerText())
      .toContain('一键转110将把来电人交给该专席');
    await ct.shot('call-taker-transfers-a-live-call-5-consulting');

    await page.getByTestId('intake-content').fill(`${m} 楼下有人拿着刀追着一个女的在跑，就在小区门口`);
    await expect
      .poll(() => page.getByTestId('triage-route').innerText(), { timeout: 15_000 })
      .toContain('110报警服务台');
    await page.keyboard.press('Alt+2');
    const result = page.getByTestId('intake-result');
    await result.waitFor({ timeout: 30_000 });
    expect(await result.innerText()).toMatch(/已转110[\s\S]*通话已转至110专席/);

    const [c, p, z] = [await caller, await phone, await specialist];
    expect([c.code, p.code, z.code], c.stderr + p.stderr + z.stderr).toEqual([0, 0, 0]);
    // her phone: pointed at the specialist while they spoke, then released
    expect(p.dialogue).toEqual(CONSULTING_SEAT);
    // one call at the 110 seat: the consultation, then the caller's media on it
    expect(z.dialogue.filter((l) => l === 'recv INVITE')).toHaveLength(2);
    await expect.poll(() => page.getByTestId('agent-state').innerText()).toBe('分机 8001 · 话后整理');
    expectNoConsoleErrors(ct);
  });
});
