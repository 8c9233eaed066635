import { describe, expect, it } from 'vitest';
import { apiAs, closeDrawer, expectNoConsoleErrors, logIn, mark, useBrowser } from './browser.ts';

useBrowser();

/**
 * The page may ring and notify: what it asked of the browser is recorded (a headless browser shows no
 * desktop and plays to no speaker), the real Notification and Web Audio still doing the work.
 */
const RECORD_ALERTS = `
  window.__notified = [];
  window.__beeps = 0;
  const RealNotification = window.Notification;
  if (RealNotification)
    window.Notification = new Proxy(RealNotification, {
      construct(target, args) {
        window.__notified.push(String(args[0]) + ' ' + String((args[1] && args[1].body) || ''));
        return new target(...args);
      },
    });
  const oscillator = AudioContext.prototype.createOscillator;
  AudioContext.prototype.createOscillator = function () {
    window.__beeps += 1;
    return oscillator.call(this);
  };
`;

describe('dispatcher sees an escalated fight at once', () => {
  it('Alt+2 on a fight with an injury tops 接警调度 within 2 s, red, with 120 linked; dispatched from there; the feedback closes the loop on 12345', async () => {
    const m = mark();
    // The 110 dispatcher has 接警调度 open (her page after log-in), desktop notifications allowed.
    const dp = await logIn('dispatch01', 'dispatch', undefined, {
      permissions: ['notifications'],
      initScript: RECORD_ALERTS,
    });
    await dp.page.getByTestId('main-menu').getByText('接警调度').click();
    const table = dp.page.getByTestId('incident-table');
    await table.waitFor();
    // Her own intake files a danger as 一级 by itself (not 二级 by default).
    await dp.page.getByTestId('incident-content').fill('报警人称楼下有人持刀砍人');
    await expect
      .poll(() => dp.page.getByTestId('incident-priority').innerText(), { timeout: 15_000 })
      .toContain('一级');
    await dp.page.getByTestId('incident-content').fill('');

    // The 12345 call-taker takes the call, with the caller's consent to be called back.
    const ct = await logIn('hotline01');
    const { page } = ct;
    await page.getByTestId('caller-phone').fill('13900001111');
    await page.getByText('同意转办单位回电').click();
    await page.getByTestId('intake-address').fill('渝中区大坪正街88号小区门口');
    await page.getByTestId('intake-content').fill(`${m} 两个人在小区门口打架，一个人头上流了很多血`);
    await expect
      .poll(() => page.getByTestId('triage-route').innerText(), { timeout: 15_000 })
      .toContain('110报警服务台');
    expect(await page.getByTestId('triage-panel').innerText()).toContain('120医疗急救');
    await page.keyboard.press('Alt+2'); // 一键转110: and, as the triage says, 120 at the same time
    const result = page.getByTestId('intake-result');
    await result.waitFor({ timeout: 20_000 });
    expect(await result.innerText()).toMatch(/已转110（紧急移交），工单 GD\d+[\s\S]*同时联动/);
    expect(await result.innerText()).not.toMatch(/LK-|cq-12345:/);
    await ct.shot('dispatcher-sees-an-escalated-fight-1-transferred');

    // Within 2 s of the transfer, at the top of 待派警, in red, with the alert, the sound and the notification.
    // "The top" is the 一级 band: another 一级 danger that has waited longer (another test's) may stand above
    // it, nothing of a lower level may.
    const rows = table.locator('tbody tr.ant-table-row');
    const first = rows.filter({ hasText: m });
    await expect.poll(() => first.count(), { timeout: 2_000, interval: 100 }).toBe(1);
    expect(await first.getAttribute('class')).toContain('incident-emergency');
    const above = await rows.evaluateAll(
      new Function(
        'trs',
        'mark',
        `const i = trs.findIndex((tr) => tr.innerText.includes(mark));
         return trs.slice(0, i).map((tr) => tr.className.includes('incident-emergency') && /1级/.test(tr.innerText));`,
      ) as (trs: unknown[], mark: string) => boolean[],
      m,
    );
    expect(above.every(Boolean)).toBe(true);
    const row = await first.innerText();
    expect(row).toContain('紧急');
    expect(row).toMatch(/已联动\s*120/);
    expect(row).toContain('回电 13900001111');
    expect(row).toContain('渝中区大坪正街88号小区门口');
    expect(row).toMatch(/1级/);
    expect(await first.getByTestId('waiting-time').innerText()).toMatch(/\d+秒|\d+分/);
    const alert = dp.page.getByTestId('emergency-alert');
    await alert.waitFor();
    expect(await alert.innerText()).toContain(m);
    expect(await dp.page.evaluate(() => (globalThis as unknown as { __beeps: number }).__beeps)).toBeGreaterThan(0);
    expect(await dp.page.evaluate(() => (globalThis as unknown as { __notified: string[] }).__notified)).toEqual([
      expect.stringContaining(m),
    ]);
    await dp.shot('dispatcher-sees-an-escalated-fight-2-top-of-the-queue');

    // The incident itself names the item it came in on and the 120 line notified with it.
    await first.click();
    await expect
      .poll(() => dp.page.getByTestId('incident-linked').innerText(), { timeout: 10_000 })
      .toContain('重庆市急救医疗中心120');
    await closeDrawer(dp.page);

    // She dispatches from the queue: the nearest police station.
    await first.getByRole('button', { name: /派\s*警/ }).click();
    // On a loaded machine a click on an option while its list is still opening is lost and the list stays
    // open over the next field: choose until the tier shows, then go on once the list has closed.
    const tier = dp.page.getByTestId('incident-tier');
    await expect
      .poll(
        async () => {
          if (!(await tier.innerText()).includes('派出所')) {
            await tier.click();
            await dp.page
              .getByTitle('派出所')
              .click({ timeout: 2_000 })
              .catch(() => undefined);
          }
          return tier.innerText();
        },
        { timeout: 15_000, interval: 500 },
      )
      .toContain('派出所');
    await dp.page.getByTitle('业务警种').waitFor({ state: 'hidden' });
    await dp.page.getByTestId('incident-unitId').click();
    await dp.page.keyboard.type('解放碑');
    await dp.page
      .getByTitle(/解放碑派出所$/)
      .first()
      .click();
    await dp.page.getByTestId('incident-action-submit').click();
    await dp.page.getByTestId('incident-action-submit').waitFor({ state: 'detached', timeout: 15_000 });
    await expect.poll(() => table.innerText(), { timeout: 10_000 }).not.toContain(m);
    await dp.shot('dispatcher-sees-an-escalated-fight-3-dispatched');

    // The police arrive and report back; the feedback reaches 12345, whose seat closes the loop.
    const police = await apiAs('dispatch01', 'dispatch');
    const found = await police<{ items: { id: string; status: string }[] }>(
      'GET',
      `/api/incidents?q=${m}&status=dispatched`,
    );
    const incidentId = found.items[0]!.id;
    await police('POST', `/api/incidents/${incidentId}/arrive`, {});
    await police('POST', `/api/incidents/${incidentId}/feedback`, {
      disposition: 'resolved_on_scene',
      summary: '民警到场制止斗殴，伤者已由120送医',
    });
    const seat = await logIn('seat01', 'hotline');
    await seat.page.getByTestId('main-menu').getByText('联动事项').click();
    await seat.page.getByTestId('linkage-tabs').getByText('待确认闭环').click();
    const waiting = seat.page.getByTestId('linkage-table').locator('tr', { hasText: m });
    await waiting.waitFor({ timeout: 20_000 });
    await waiting.click();
    await expect.poll(() => seat.page.getByTestId('linkage-timeline').innerText()).toContain('民警到场制止斗殴');
    // The 120 line notified with it is on the item and its timeline.
    expect(await seat.page.getByTestId('linkage-linked').innerText()).toContain('重庆市急救医疗中心120');
    // named as the line is (its id, medical-120, is the wire's, not the seat's)
    expect(await seat.page.getByTestId('linkage-timeline').innerText()).toMatch(/同时联动 重庆市急救医疗中心120/);
    await seat.page.getByTestId('step-confirm').click();
    await seat.page.getByTestId('step-submit').click();
    await expect.poll(() => seat.page.getByTestId('linkage-status').innerText(), { timeout: 10_000 }).toBe('已闭环');
    await seat.shot('dispatcher-sees-an-escalated-fight-4-loop-closed');

    // The order's own history holds both transfers, both acceptances, the feedback and the closure.
    const hotline = await apiAs('hotline01');
    const orders = await hotline<{ items: { id: string }[] }>('GET', `/api/work-orders?q=${m}`);
    const order = await hotline<{ actions: { actionLabel: string }[] }>(
      'GET',
      `/api/work-orders/${orders.items[0]!.id}`,
    );
    const log = order.actions.map((a) => a.actionLabel);
    expect(log.filter((l) => l === '对接：紧急移交')).toHaveLength(2);
    expect(log).toEqual(expect.arrayContaining(['对接：签收', '对接：处置反馈', '对接：确认闭环']));
    expectNoConsoleErrors(ct);
    expectNoConsoleErrors(dp);
    expectNoConsoleErrors(seat);
  });
});
