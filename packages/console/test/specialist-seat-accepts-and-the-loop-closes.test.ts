import { describe, expect, it } from 'vitest';
import { apiAs, closeDrawer, expectNoConsoleErrors, fileOrder, logIn, mark, useBrowser } from './browser.ts';

useBrowser();

describe('specialist seat accepts, 110 feeds back, 12345 confirms: the loop closes', () => {
  it('the 110 seat accepts (an incident is made), the dispatcher feeds back, the 12345 seat confirms closure', async () => {
    const m = mark();
    const hotline = await apiAs('hotline01');
    const order = await fileOrder({
      content: `${m} 来电人反映有人在观音桥步行街发传单时与路人推搡`,
      districtCode: '500105',
      orderType: 'report',
      categoryCode: 'QTSX01',
    });
    await hotline('POST', '/api/linkage/items', { kind: 'transfer', workOrderId: order.id, reason: '涉及治安，转110' });

    // 110 specialist seat accepts in the drawer: the item now carries the incident made on the 110 desk.
    const seat = await logIn('seat01', 'dispatch');
    await seat.page.getByTestId('main-menu').getByText('联动事项').click();
    const row = seat.page.getByTestId('linkage-table').locator('tr', { hasText: m });
    await row.waitFor({ timeout: 20_000 });
    await row.click();
    await seat.page.getByTestId('step-accept').click();
    await seat.page.getByTestId('step-submit').click();
    const drawer = seat.page.getByTestId('linkage-drawer');
    await expect.poll(() => drawer.innerText(), { timeout: 10_000 }).toMatch(/已签收[\s\S]*本方编号\s*JQ\d+/);
    const incidentNo = /本方编号\s*(JQ\d+)/.exec(await drawer.innerText())![1]!;
    await seat.shot('specialist-seat-accepts-1-accepted');
    await closeDrawer(seat.page);

    // The dispatcher handles the incident and reports back from its drawer.
    const dispatcherApi = await apiAs('dispatch01', 'dispatch');
    const found = await dispatcherApi<{ items: { id: string; no: string }[] }>('GET', `/api/incidents?q=${incidentNo}`);
    const incidentId = found.items[0]!.id;
    await dispatcherApi('POST', `/api/incidents/${incidentId}/dispatch`, {
      tier: 'police_station',
      unitId: 'p500105001.station',
    });
    await dispatcherApi('POST', `/api/incidents/${incidentId}/arrive`, {});
    const dp = await logIn('dispatch01', 'dispatch');
    await dp.page.getByTestId('incident-queues').getByText('派出所').click();
    await dp.page.getByTestId('incident-table').locator('tr', { hasText: m }).click();
    await dp.page.getByRole('button', { name: '处置反馈' }).click();
    await dp.page.getByTestId('incident-disposition').click();
    await dp.page.getByTitle('现场处置完毕').click();
    await dp.page.getByTestId('incident-summary').fill('民警到场，双方已和解，发传单人员已离开');
    await dp.page.getByTestId('incident-action-submit').click();
    // The form closes only when the server took the feedback; the incident's history then shows it.
    await dp.page.getByTestId('incident-action-submit').waitFor({ state: 'detached', timeout: 15_000 });
    await expect
      .poll(() => dp.page.locator('.ant-drawer-open').innerText(), { timeout: 15_000 })
      .toMatch(/已反馈[\s\S]*反馈 · 李强：民警到场，双方已和解，发传单人员已离开/);
    await dp.shot('specialist-seat-accepts-2-police-feedback');

    // The 12345 seat sees the feedback waiting for confirmation and closes the loop.
    const origin = await logIn('seat01', 'hotline');
    await origin.page.getByTestId('main-menu').getByText('联动事项').click();
    await origin.page.getByTestId('linkage-tabs').getByText('待确认闭环').click();
    const waiting = origin.page.getByTestId('linkage-table').locator('tr', { hasText: m });
    await waiting.waitFor({ timeout: 20_000 });
    await waiting.click();
    const timeline = origin.page.getByTestId('linkage-timeline');
    await expect.poll(() => timeline.innerText()).toContain('处置反馈');
    expect(await timeline.innerText()).toContain('民警到场，双方已和解，发传单人员已离开');
    await origin.page.getByTestId('step-confirm').click();
    await origin.page.getByTestId('step-submit').click();
    await expect.poll(() => origin.page.getByTestId('linkage-status').innerText(), { timeout: 10_000 }).toBe('已闭环');
    await origin.shot('specialist-seat-accepts-3-loop-closed');
    // And the 110 side sees it closed too.
    await expect
      .poll(
        async () =>
          (await apiAs('seat01', 'dispatch'))<{
            items: { opening: { request?: { content?: string } }; statusLabel: string }[];
          }>('GET', '/api/linkage/items?status=closed&pageSize=50').then((r) =>
            r.items.some((i) => i.opening.request?.content?.includes(m)),
          ),
        { timeout: 15_000 },
      )
      .toBe(true);
    expectNoConsoleErrors(seat);
    expectNoConsoleErrors(dp);
    expectNoConsoleErrors(origin);
  });
});
