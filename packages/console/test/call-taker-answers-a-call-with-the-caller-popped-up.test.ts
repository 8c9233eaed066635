import { describe, expect, inject, it } from 'vitest';
import { freeSipPort, registerSeat, sipp } from '../../server/test/telephony/sipp.ts';
import { PASSWORD, expectNoConsoleErrors, fileOrder, logIn, mark, useBrowser } from './browser.ts';

useBrowser();

describe('a call-taker answers a call with the caller popped up, and the supervisor watches it live', () => {
  it('call-taker-answers-a-call-with-the-caller-popped-up', async () => {
    const sipPort = inject('sipPort');
    // The caller has called before: an earlier order from the same number.
    const m = mark();
    await fileOrder({
      content: `${m} 来电人反映小区门口路灯不亮，晚上出行不便。`,
      categoryCode: 'CSGL01',
      caller: { name: '周先生', phone: '13800000002' },
    });
    // The supervisor has the wallboard open.
    const sv = await logIn('duban01');
    await sv.page.getByTestId('main-menu').getByText('话务监控').click();
    await sv.page.getByTestId('wallboard').waitFor();

    // The call-taker's desk phone (extension 8001) registers; she signs in at it from the console.
    const phonePort = await freeSipPort();
    expect((await registerSeat(sipPort, '8001', PASSWORD, phonePort)).code).toBe(0);
    const ct = await logIn('hotline01');
    await ct.page.getByLabel('坐席分机号').fill('8001');
    await ct.page.getByRole('button', { name: /签\s*入/ }).click();
    await expect.poll(() => ct.page.getByTestId('agent-state').innerText()).toBe('分机 8001 · 示闲');

    // A caller rings 12345; the phone answers; the caller talks for a few seconds and hangs up.
    const phone = sipp('seat-answers.xml', sipPort, { port: phonePort });
    const caller = sipp('caller-hangs-up.xml', sipPort, {
      port: await freeSipPort(),
      service: '12345',
      args: ['-d', '6000'],
    });
    const popup = ct.page.getByTestId('caller-popup');
    await expect.poll(() => popup.innerText().catch(() => '')).toContain('13800000002');
    await expect.poll(() => popup.innerText()).toContain(m);
    expect(await popup.innerText()).toContain('周先生');
    await expect.poll(() => ct.page.getByTestId('agent-state').innerText()).toBe('分机 8001 · 通话中');
    await ct.shot('call-taker-answers-a-call-with-the-caller-popped-up');
    // The harassment watch list is connected and checked: this caller is not on it, so no mark shows.
    expect(await popup.getByTestId('watch-list-off').count()).toBe(0);
    expect(await popup.getByTestId('caller-mark').count()).toBe(0);

    // The wallboard shows her on the call.
    await expect.poll(() => sv.page.getByTestId('wallboard').innerText()).toMatch(/通话中\s*1/);
    await expect.poll(() => sv.page.getByTestId('wallboard').innerText()).toContain('8001');
    await sv.shot('supervisor-watches-the-wallboard');

    const [c, p] = [await caller, await phone];
    expect([c.code, p.code], c.stderr + p.stderr).toEqual([0, 0]);
    // The call ends: the pop-up goes, she is in after-call work until she makes herself ready.
    await expect.poll(() => ct.page.getByTestId('agent-state').innerText()).toBe('分机 8001 · 话后整理');
    expect(await popup.count()).toBe(0);
    await ct.page.getByRole('button', { name: /示\s*闲/ }).click();
    await expect.poll(() => ct.page.getByTestId('agent-state').innerText()).toBe('分机 8001 · 示闲');
    await expect.poll(() => sv.page.getByTestId('wallboard').innerText()).toMatch(/人工接通\s*[1-9]/);
    expectNoConsoleErrors(ct);
    expectNoConsoleErrors(sv);
  });
});
