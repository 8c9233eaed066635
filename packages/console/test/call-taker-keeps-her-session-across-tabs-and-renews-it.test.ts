/**
 * A working day's session (issue 14): the log-in holds across a reload and a second tab of the same
 * desk, a warning comes some minutes before the idle timeout and 继续工作 renews it, and what was being
 * typed in the intake survives the session ending — by idling out or by being revoked on the server.
 * The browser's clock is moved forward (Playwright's clock) instead of waiting the desk's 30 minutes;
 * the server's timeout is the real one, so the renewal is checked against the real server. A session
 * also lives 12 hours at most: a quarter of an hour before, it says when, and offers to log in again.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { apiAs, desks, expectNoConsoleErrors, fileOrder, logIn, mark, PASSWORD, useBrowser } from './browser.ts';
import { expectPageClean, overflowProblems } from './page-checks.ts';

useBrowser();

const warning = (page: Page) => page.getByRole('dialog', { name: '登录即将过期' });
const loggedIn = (page: Page) => page.getByTestId('current-user');
const loginForm = (page: Page) => page.getByLabel('用户名');
/** The intake draft kept in this browser (shared/drafts.ts), as stored. */
const draftText = (page: Page) =>
  page.evaluate<string>(
    `Object.keys(localStorage).filter((k) => k.startsWith('liandong.draft.')).map((k) => localStorage.getItem(k)).join('|')`,
  );
/** The session token this desk's tabs share. */
const tokenOf = (page: Page) => page.evaluate<string>(`localStorage.getItem('liandong.session.token') ?? ''`);

async function logInAgain(page: Page, username: string) {
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await loggedIn(page).waitFor();
}

describe('call-taker keeps her session through the day', () => {
  it('is logged in after a reload and in a second tab, is warned before the idle timeout and 继续工作 keeps the session; logging out in one tab logs out both', async () => {
    const ct = await logIn('hotline01');
    const { page } = ct;
    const ctx = page.context();
    await ctx.clock.install();
    await page.reload();
    await loggedIn(page).waitFor();

    const second = await ctx.newPage();
    await second.goto(desks().hotline);
    await loggedIn(second).waitFor();
    expect(await loginForm(second).count()).toBe(0);

    // both tabs have loaded what they load: a request either makes counts as use, and would renew
    await page.waitForLoadState('networkidle');
    await second.waitForLoadState('networkidle');
    // 27½ of the 30 idle minutes pass without a request: the warning, with the time left
    await page.clock.fastForward('27:30');
    await warning(page).waitFor();
    expect(await warning(page).innerText()).toMatch(/您已较长时间未操作，2 分 \d\d 秒 后将自动退出登录/);
    await ct.shot('call-taker-keeps-her-session-1-expiry-warning');
    expect(await overflowProblems(page)).toEqual([]);
    await page.getByRole('button', { name: '继续工作' }).click();
    await warning(page).waitFor({ state: 'hidden' });
    // the server renewed it: another 27 minutes later the warning is not there yet
    await page.clock.fastForward('20:00');
    await page.waitForTimeout(1500);
    expect(await warning(page).count()).toBe(0);
    const me = await fetch(`${desks().hotline}/api/auth/me`, {
      headers: { authorization: `Bearer ${await tokenOf(page)}` },
    });
    expect(me.status).toBe(200);

    // 退出 in the second tab ends the session in the first as well
    await second.getByRole('button', { name: /退\s*出/ }).click();
    await loginForm(second).waitFor();
    await loginForm(page).waitFor();
    expectNoConsoleErrors(ct);
  });

  it('finds the call she was typing again after the session idled out and after it was ended on the server, once logged in again', async () => {
    const ct = await logIn('hotline01');
    const { page } = ct;
    await page.context().clock.install();
    await page.reload();
    await loggedIn(page).waitFor();
    const m = mark();
    await page.getByTestId('caller-phone').fill('13983000114');
    await page.getByTestId('intake-content').fill(`${m} 小区门口夜间施工噪音扰民`);
    await page.getByTestId('intake-address').fill('解放碑街道民族路88号');

    // she is called away: 31 minutes later the session has idled out and the log-in page says why
    await page.clock.fastForward('31:00');
    await page.getByTestId('session-ended').waitFor();
    expect(await page.getByTestId('session-ended').innerText()).toContain('因长时间未操作，已自动退出登录');
    await ct.shot('call-taker-keeps-her-session-2-idled-out');
    await expectPageClean(page, '登录页（已自动退出）');
    await logInAgain(page, 'hotline01');
    await expect.poll(() => page.getByTestId('intake-content').inputValue()).toBe(`${m} 小区门口夜间施工噪音扰民`);
    expect(await page.getByTestId('caller-phone').inputValue()).toBe('13983000114');
    expect(await page.getByTestId('intake-address').inputValue()).toBe('解放碑街道民族路88号');

    // the session ends on the server (as when her password is reset) while she types on
    const out = await fetch(`${desks().hotline}/api/auth/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await tokenOf(page)}` },
    });
    expect(out.status).toBe(204);
    await page.getByTestId('intake-content').fill(`${m} 小区门口夜间施工噪音扰民，每晚十一点后`);
    // kept in this browser as typed
    await expect.poll(() => draftText(page)).toContain('每晚十一点后');
    // the next request (the triage of the text) is refused: back to the log-in page, the text kept
    await page.getByTestId('session-ended').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('session-ended').innerText()).toContain('登录已失效');
    await logInAgain(page, 'hotline01');
    await expect
      .poll(() => page.getByTestId('intake-content').inputValue())
      .toBe(`${m} 小区门口夜间施工噪音扰民，每晚十一点后`);
    await ct.shot('call-taker-keeps-her-session-3-draft-restored');

    // filed, the draft is gone: the next log-in starts with an empty form
    await page.getByTestId('action-create').click();
    await page.getByTestId('intake-result').waitFor();
    await page.reload();
    await loggedIn(page).waitFor();
    expect(await page.getByTestId('intake-content').inputValue()).toBe('');
    // the refused triage and the revoked log-out answered 401
    expectNoConsoleErrors(ct, [401]);
  });

  it('is told a quarter of an hour before the 12-hour lifetime ends, may put it off, logs in again between calls, and the session ends by itself at the end', async () => {
    const ct = await logIn('hotline01');
    const { page } = ct;
    await page.context().clock.install();
    await page.reload();
    await loggedIn(page).waitFor();
    const lifetime = (page: Page) => page.getByRole('dialog', { name: '本次登录即将到期' });
    /** A working day in the browser's clock: her tabs are in use (recorded as such) every 20 minutes. */
    const work = async (minutes: number) => {
      for (let m = 0; m < minutes; m += 20) {
        await page.clock.fastForward(`${String(Math.min(20, minutes - m)).padStart(2, '0')}:00`);
        await page.evaluate(`localStorage.setItem('liandong.session.used', String(Date.now()))`);
      }
    };
    const m = mark();
    await page.getByTestId('intake-content').fill(`${m} 路灯不亮`);
    await work(11 * 60 + 40);
    expect(await lifetime(page).count()).toBe(0);
    await work(6);
    await lifetime(page).waitFor();
    const text = await lifetime(page).innerText();
    expect(text).toContain('每次登录最长有效 12 小时');
    expect(text).toMatch(/还剩 1[34] 分 \d\d 秒/);
    expect(await page.getByTestId('session-life-end').innerText()).toMatch(/^\d\d:\d\d$/);
    expect(await warning(page).count()).toBe(0);
    await ct.shot('call-taker-keeps-her-session-4-lifetime-notice');
    // 稍后提醒: not again until the last three minutes
    await page.getByRole('button', { name: '稍后提醒' }).click();
    await lifetime(page).waitFor({ state: 'hidden' });
    await work(8);
    expect(await lifetime(page).count()).toBe(0);
    await work(4);
    await lifetime(page).waitFor();
    expect(await lifetime(page).innerText()).toMatch(/还剩 [0-2] 分 \d\d 秒/);
    // 现在重新登录, between two calls: the log-in page, and what she was typing is back after it
    await page.getByRole('button', { name: '现在重新登录' }).click();
    await page.getByTestId('session-ended').waitFor();
    expect(await page.getByTestId('session-ended').innerText()).toContain('已退出本次登录，请重新登录');
    await logInAgain(page, 'hotline01');
    await expect.poll(() => page.getByTestId('intake-content').inputValue()).toBe(`${m} 路灯不亮`);

    // the new log-in's 12 hours run out without her answering the notice: logged out, and told why
    await work(12 * 60 + 1);
    await page.getByTestId('session-ended').waitFor();
    expect(await page.getByTestId('session-ended').innerText()).toContain('本次登录已达最长有效时间');
    await expectPageClean(page, '登录页（登录已到期）');
    expectNoConsoleErrors(ct);
  });

  it('a handler finds the reply she was writing in 办结答复 again after her session idled out; cancelling the form discards it', async () => {
    const m = mark();
    const order = await fileOrder({
      content: `${m} 八一路人行道护栏倒了`,
      address: '渝中区八一路',
      streetCode: '500103003',
      categoryCode: 'CSGL01',
      leadUnitId: 'd500103.urban-mgmt',
    });
    await (
      await apiAs('chengguan01')
    )('POST', `/api/work-orders/${order.id}/sign`, {});
    const handler = await logIn('chengguan01');
    const { page } = handler;
    await page.context().clock.install();
    await page.reload();
    await loggedIn(page).waitFor();
    const openReply = async () => {
      await page.getByTestId('order-search').locator('input').fill(order.no);
      await page.keyboard.press('Enter');
      await page.getByTestId('work-order-table').locator('tr', { hasText: order.no }).click();
      await page.getByTestId('work-order-drawer').getByTestId('do-reply').click();
    };
    await openReply();
    await page.getByTestId('field-reply').fill('已联系施工单位于今日下午扶正并加固护栏');
    await page.waitForLoadState('networkidle');
    await page.clock.fastForward('31:00');
    await page.getByTestId('session-ended').waitFor();
    await logInAgain(page, 'chengguan01');
    await openReply();
    await page.getByTestId('action-draft-restored').waitFor();
    expect(await page.getByTestId('field-reply').inputValue()).toBe('已联系施工单位于今日下午扶正并加固护栏');
    await handler.shot('handler-finds-her-reply-again');
    // cancelled on purpose: gone
    await page.getByRole('button', { name: /取\s*消/ }).click();
    await page.getByTestId('work-order-drawer').getByTestId('do-reply').click();
    await page.getByTestId('field-reply').waitFor();
    expect(await page.getByTestId('field-reply').inputValue()).toBe('');
    expect(await page.getByTestId('action-draft-restored').count()).toBe(0);
    expectNoConsoleErrors(handler);
  });
});
