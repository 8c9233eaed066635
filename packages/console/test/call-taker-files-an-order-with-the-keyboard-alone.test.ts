import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { apiAs, expectNoConsoleErrors, logIn, mark, useBrowser } from './browser.ts';

useBrowser();

/** The label of the form field that holds the focus ('' when none). */
// Run in the page (a string: the tests are type-checked without the DOM's types).
const FOCUSED_LABEL = `(() => {
  const el = document.activeElement;
  const label = el?.closest('.ant-form-item')?.querySelector('.ant-form-item-label label')?.textContent?.trim();
  if (label) return label;
  return el?.closest('label')?.textContent?.trim() ?? el?.getAttribute('data-testid') ?? '';
})()`;
const focused = (page: Page) => page.evaluate<string>(FOCUSED_LABEL);

/** Every element the focus lands on, kept in the page, to read in a failure: where did the focus go, and when. */
const TRAIL = `(() => {
  window.__trail = [];
  const t0 = performance.now();
  document.addEventListener('focusin', (e) => {
    const el = e.target;
    const name = el.getAttribute?.('data-testid') || el.closest?.('label')?.textContent?.trim() || el.id || el.tagName;
    window.__trail.push(Math.round(performance.now() - t0) + 'ms ' + name);
    if (window.__trail.length > 40) window.__trail.shift();
  });
})()`;

/** Tab (or Shift+Tab) and wait for the focus to reach the field expected (a Select moves it on just after the key). */
async function tab(page: Page, expected: string, shift = false) {
  await page.keyboard.press(shift ? 'Shift+Tab' : 'Tab');
  await expect
    .poll(
      async () => {
        const where = await focused(page);
        // where it stands instead, to read in a failure
        return where === expected
          ? where
          : `${where} ${await page.evaluate<string>("document.activeElement?.outerHTML.slice(0, 160) ?? ''")} · trail: ${await page.evaluate<string>("(window.__trail ?? []).slice(-8).join(' → ')")}`;
      },
      { timeout: 3_000 },
    )
    .toBe(expected);
}

describe('call-taker files a complete order with the keyboard alone', () => {
  it('from the first field to the filed order: no mouse, every field kept, Alt+1 files it', async () => {
    const ct = await logIn('hotline01');
    const { page } = ct;
    const m = mark();
    // The page opens with the focus on 诉求内容; the caller's number and name come first.
    await expect.poll(() => focused(page)).toBe('诉求内容');
    await page.evaluate(TRAIL);
    await page.keyboard.type(`${m} 楼上邻居每天晚上十二点以后还在拖动家具，噪音很大，影响休息`);
    await tab(page, '同意转办单位回电', true);
    await tab(page, '要求保密', true);
    await tab(page, '姓名', true);
    await tab(page, '来电号码', true);
    await page.keyboard.type('13800138123');
    await tab(page, '姓名');
    await page.keyboard.type('刘女士');
    await tab(page, '要求保密');
    await tab(page, '同意转办单位回电');
    await page.keyboard.press('Space');
    // 短信告知 is open to a mobile number only, and on unless the caller declines. It opens when the number
    // typed is read as a mobile one (a render later); seen open, as the call-taker sees it, before the Tab.
    // (Once in CI the Tab passed it by and landed in 诉求内容: the number then stood in the failure.)
    await expect
      .poll(
        async () =>
          (await page.getByRole('checkbox', { name: '短信告知' }).isEnabled())
            ? 'enabled'
            : `disabled, 来电号码 = ${await page.getByTestId('caller-phone').inputValue()}`,
        { timeout: 5_000 },
      )
      .toBe('enabled');
    await tab(page, '短信告知');
    expect(await page.getByRole('checkbox', { name: '短信告知' }).isChecked()).toBe(true);
    await tab(page, '诉求内容');
    // A district and a street typed in part and left with Tab are chosen, not lost.
    await tab(page, '区县');
    await page.keyboard.type('渝中');
    await tab(page, '街道（镇）');
    await page.keyboard.type('解放碑');
    await tab(page, '详细地址');
    await page.keyboard.type('民族路188号3栋');
    await tab(page, '工单类型');
    await tab(page, '派单目录分类');
    await page.keyboard.type('噪声污染');
    await page.keyboard.press('Enter');
    await ct.shot('call-taker-files-an-order-with-the-keyboard-alone-1-form');
    await page.keyboard.press('Alt+1');
    const result = page.getByTestId('intake-result');
    await result.waitFor({ timeout: 15_000 });
    const no = /GD\d+/.exec(await result.innerText())![0];

    const hotline = await apiAs('hotline01');
    const found = (await hotline('GET', `/api/work-orders?q=${encodeURIComponent(no)}`)) as {
      items: { id: string }[];
    };
    const order = (await hotline('GET', `/api/work-orders/${found.items[0]!.id}`)) as {
      categoryCode: string;
      request: {
        content: string;
        location: { districtCode: string | null; streetCode: string | null; address: string | null };
        caller: { phone: string | null; name: string | null; callbackConsent?: boolean };
      };
    };
    expect(order.categoryCode).toBe('HJBH01');
    expect(order.request.content).toContain(m);
    expect(order.request.location.districtCode).toBe('500103');
    expect(order.request.location.streetCode).not.toBeNull();
    expect(order.request.location.address).toBe('民族路188号3栋');
    expect(order.request.caller.phone).toBe('13800138123');
    expect(order.request.caller.name).toBe('刘女士');
    // 短信告知 left on: the receipt goes to the caller's mobile (through the demo's reference gateway)
    const texts = (await hotline('GET', `/api/work-orders/${found.items[0]!.id}/texts`)) as {
      items: { purpose: string; status: string }[];
    };
    expect(texts.items.map((t) => t.purpose)).toEqual(['receipt']);
    expect(['queued', 'sent']).toContain(texts.items[0]!.status);
    // The next call starts with the keyboard too.
    await page.keyboard.press('Alt+N');
    await expect.poll(() => focused(page)).toBe('诉求内容');
    expectNoConsoleErrors(ct);
  });

  it('Ctrl+Enter in the 直接答复 dialog answers (it does not file an order), and an empty answer writes nothing', async () => {
    const ct = await logIn('hotline01');
    const { page } = ct;
    const m = mark();
    await expect.poll(() => focused(page)).toBe('诉求内容');
    await page.keyboard.type(`${m} 请问居住证到期了在哪里续签`);
    await page.keyboard.press('Alt+5');
    const answer = page.getByTestId('answer-text');
    await answer.waitFor();
    await answer.fill('');
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => page.getByTestId('answer-error').innerText()).toBe('请填写答复内容');
    const hotline = await apiAs('hotline01');
    const none = (await hotline('GET', `/api/work-orders?text=${m}`)) as { total: number };
    expect(none.total).toBe(0);
    await answer.fill('居住证到期前30日内可到居住地派出所或社区警务室办理签注。');
    await page.keyboard.press('Control+Enter');
    const result = page.getByTestId('intake-result');
    // The result, or the server's refusal in the dialog (named in the failure rather than a bare timeout).
    await result.or(page.getByTestId('answer-error')).waitFor({ timeout: 15_000 });
    expect(
      (await page.getByTestId('answer-error').count()) ? await page.getByTestId('answer-error').innerText() : '',
    ).toBe('');
    expect(await result.innerText()).toMatch(/已直接答复并办结工单 GD\d+[\s\S]*已办结/);
    const made = (await hotline('GET', `/api/work-orders?text=${m}`)) as { total: number };
    expect(made.total).toBe(1);
    expectNoConsoleErrors(ct);
  });

  it('a drill (应急演练) is filed by whoever runs drills, marked on the order and in the list; a call-taker has no such switch', async () => {
    const ct = await logIn('hotline01');
    await expect.poll(() => focused(ct.page)).toBe('诉求内容');
    expect(await ct.page.getByTestId('intake-exercise').count()).toBe(0);
    const admin = await logIn('admin');
    const { page } = admin;
    await page.getByTestId('main-menu').getByText('来电受理').click();
    const m = mark();
    await page.getByTestId('intake-content').fill(`${m} 演练：模拟市民反映解放碑步行街的路灯晚上不亮`);
    await page.getByTestId('intake-exercise').check();
    await page.getByTestId('intake-address').fill('渝中区解放碑步行街');
    await page.getByTestId('intake-category').click();
    await page.keyboard.type('其他');
    await page.keyboard.press('Enter');
    await page.getByTestId('action-create').click();
    const result = page.getByTestId('intake-result');
    await result.waitFor({ timeout: 15_000 });
    const no = /GD\d+/.exec(await result.innerText())![0];
    const api = await apiAs('admin');
    const found = (await api('GET', `/api/work-orders?q=${encodeURIComponent(no)}`)) as {
      items: { id: string; exercise: boolean }[];
    };
    expect(found.items[0]!.exercise).toBe(true);
    await page.getByTestId('main-menu').getByText('工单查询').click();
    await page.getByTestId('order-search').locator('input').fill(no);
    await page.keyboard.press('Enter');
    const row = page.getByTestId('work-order-table').locator('tr', { hasText: no });
    await row.waitFor();
    expect(await row.getByTestId('exercise-tag').innerText()).toBe('演练');
    expectNoConsoleErrors(admin);
    expectNoConsoleErrors(ct);
  });
});
