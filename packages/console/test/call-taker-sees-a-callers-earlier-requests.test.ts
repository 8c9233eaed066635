import { describe, expect, it } from 'vitest';
import { apiAs, expectNoConsoleErrors, fileOrder, logIn, mark, useBrowser } from './browser.ts';

useBrowser();

const number = () => `139${String(Date.now() % 100_000_000).padStart(8, '0')}`;

describe('a caller who rings again is recognised by the number', () => {
  it('the call-taker types the number and sees the earlier requests, the 保密 one marked, and opens one', async () => {
    const phone = number();
    const m = mark();
    const first = await fileOrder({
      caller: { name: '周敏', phone },
      content: `${m} 楼下烧烤店油烟很大，晚上十一点还在营业`,
      categoryCode: 'CSGL01',
    });
    const second = await fileOrder({
      caller: { phone },
      confidential: true,
      content: `${m} 第二次反映楼下烧烤店噪音扰民，请不要透露我的信息`,
      categoryCode: 'CSGL01',
    });

    const ct = await logIn('hotline01');
    const { page } = ct;
    await page.getByTestId('caller-phone').fill(phone);
    const panel = page.getByTestId('caller-panel');
    await expect.poll(() => panel.innerText().catch(() => '')).toContain('此前诉求 2 件');
    expect(await panel.innerText()).toContain('周敏');
    const rows = panel.getByTestId('caller-request');
    await expect.poll(() => rows.count()).toBe(2);
    // newest first; the confidential one says so
    expect(await rows.nth(0).innerText()).toContain(second.no);
    expect(await rows.nth(0).innerText()).toContain('保密');
    expect(await rows.nth(1).innerText()).toContain(first.no);
    expect(await rows.nth(1).innerText()).not.toContain('保密');
    expect(await rows.nth(1).innerText()).toContain('油烟很大');
    // the order number stays on one line
    const link = rows.nth(1).getByText(first.no);
    const box = await link.boundingBox();
    expect(box!.height).toBeLessThan(24);
    await ct.shot('call-taker-sees-a-callers-earlier-requests');
    await link.click();
    const drawer = page.getByTestId('work-order-drawer');
    await expect.poll(() => drawer.innerText().catch(() => '')).toContain(first.no);
    expectNoConsoleErrors(ct);
  });

  it('a silent call and an abusive one are recorded with no work order, and the number then shows both', async () => {
    const phone = number();
    const ct = await logIn('hotline01');
    const { page } = ct;
    const record = async (kind: string | null, note: string) => {
      await page.getByTestId('caller-phone').fill(phone);
      await page.getByTestId('action-invalid-call').click();
      const dialog = page.getByRole('dialog', { name: '记为无效来电或骚扰来电（不生成工单）' });
      await dialog.waitFor();
      if (kind) await dialog.getByText(kind).click();
      await dialog.getByTestId('invalid-call-note').fill(note);
      await dialog.getByTestId('invalid-call-confirm').click();
      await dialog.waitFor({ state: 'hidden' });
    };
    await record(null, '无声电话');
    await expect.poll(() => page.getByText('已记为无效来电，未生成工单').count()).toBe(1);
    // the form is ready for the next call
    expect(await page.getByTestId('caller-phone').inputValue()).toBe('');
    await record('骚扰来电：辱骂话务员、恶意骚扰', '反复辱骂话务员');
    await page.getByTestId('caller-phone').fill(phone);
    const panel = page.getByTestId('caller-panel');
    await expect
      .poll(() => panel.getByTestId('caller-request-invalid').allInnerTexts())
      .toEqual(['骚扰来电', '无效来电']);
    expect(await panel.innerText()).toContain('骚扰来电：反复辱骂话务员');
    await ct.shot('call-taker-records-a-harassing-call');
    // no work order was made of either
    const hotline = await apiAs('hotline01');
    const orders = (await hotline('GET', `/api/work-orders?q=${phone}`)) as { total: number };
    expect(orders.total).toBe(0);
    expectNoConsoleErrors(ct);
  });

  it('a number never heard before says so', async () => {
    const ct = await logIn('hotline01');
    await ct.page.getByTestId('caller-phone').fill('13000000001');
    await expect
      .poll(() =>
        ct.page
          .getByTestId('caller-panel')
          .innerText()
          .catch(() => ''),
      )
      .toContain('新来电人：该号码没有历史诉求');
    expectNoConsoleErrors(ct);
  });

  it('the 110 dispatcher types the number of a caller who rang before and sees the incident', async () => {
    const phone = number();
    const dispatch = await apiAs('dispatch01', 'dispatch');
    const inc = await dispatch<{ no: string }>('POST', '/api/incidents', {
      caller: { phone },
      content: `${mark()} 邻居家里传来打砸声和呼救声`,
      districtCode: '500103',
      category: 'public_order',
      priority: 1,
    });
    const dp = await logIn('dispatch01', 'dispatch');
    await dp.page.getByLabel('报警电话').fill(phone);
    const panel = dp.page.getByTestId('caller-panel');
    await expect.poll(() => panel.innerText().catch(() => '')).toContain('此前诉求 1 件');
    expect(await panel.innerText()).toContain(inc.no);
    await dp.shot('dispatcher-sees-a-callers-earlier-incident');
    expectNoConsoleErrors(dp);
  });
});
