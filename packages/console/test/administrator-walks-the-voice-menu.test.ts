import { describe, expect, it } from 'vitest';
import { expectNoConsoleErrors, logIn, useBrowser } from './browser.ts';
import { expectPageClean } from './page-checks.ts';

useBrowser();

describe('the administrator reads and walks the voice navigation (导航流程)', () => {
  it('sees the depth and key presses per queue, presses keys in the simulator and ends at an article, then a queue', async () => {
    const admin = await logIn('admin');
    const { page } = admin;
    await page.goto(page.url().replace(/\/[^/]*$/, '/admin?tab=ivr'));
    const panel = page.getByTestId('ivr-panel');
    await panel.waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('ivr-depth').innerText()).toBe('2 层菜单');
    const queues = await page.getByTestId('ivr-queues').innerText();
    expect(queues).toMatch(/人社医保专席\s+2\s+1 → 0/);
    expect(queues).toMatch(/综合咨询坐席\s+1\s+0/);
    await expectPageClean(page, '导航流程');

    await page.getByTestId('ivr-key-1').click();
    await expect.poll(() => page.getByTestId('ivr-path').innerText()).toContain('社保卡申领和补换请按1');
    await page.getByTestId('ivr-key-1').click();
    const end = page.getByTestId('ivr-end');
    await expect.poll(() => end.innerText().catch(() => '')).toContain('播报知识：社会保障卡申领和补换');
    await admin.shot('administrator-walks-the-voice-menu');

    await page.getByRole('button', { name: '重新拨入' }).click();
    await page.getByTestId('ivr-key-2').click();
    await expect.poll(() => end.innerText().catch(() => '')).toContain('结束：人工：投诉举报坐席');
    await expectPageClean(page, '导航流程（模拟结束）');
    expectNoConsoleErrors(admin);
  });
});
