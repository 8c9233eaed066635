import { generateSync } from 'otplib';
import { describe, expect, it } from 'vitest';
import { apiAs, expectNoConsoleErrors, logIn, useBrowser } from './browser.ts';

useBrowser();

const codeAt = (secret: string, offsetSteps: number) =>
  generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + offsetSteps * 30 });

describe('a supervisor binds an authenticator, then logs in with the password and the code', () => {
  it('binds it under 账号安全; at the next log-in a wrong code is refused with the reason and the right one opens the console', async () => {
    const username = `sv${Date.now().toString(36)}`;
    const password = 'Jiefangbei-88';
    const admin = await apiAs('admin');
    await admin('POST', '/api/admin/users', { username, displayName: '何晴', password, role: 'supervisor' });

    // Binding: the dialog shows the QR code and the secret; the first code completes it.
    const p = await logIn(username, 'hotline', password);
    const { page } = p;
    await page.getByTestId('account-security').click();
    const dialog = page.getByTestId('account-security-dialog');
    expect(await dialog.getByTestId('totp-status').innerText()).toContain('未绑定');
    await dialog.getByTestId('totp-start').click();
    const secret = (await dialog.getByTestId('totp-secret').innerText()).replace(/\s+/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(await dialog.locator('canvas, svg').count()).toBeGreaterThan(0); // the QR code
    await p.shot('supervisor-binds-an-authenticator');
    await dialog.getByLabel('动态验证码').fill(codeAt(secret, 0));
    await dialog.getByRole('button', { name: /完成绑定/ }).click();
    await expect
      .poll(() =>
        dialog
          .getByTestId('totp-status')
          .innerText()
          .catch(() => ''),
      )
      .toContain('已绑定');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: /退\s*出/ }).click();

    // The next log-in: the password, then the code.
    await page.getByLabel('用户名').fill(username);
    await page.getByLabel('密码').fill(password);
    await page.getByRole('button', { name: /登\s*录/ }).click();
    const step = page.getByTestId('totp-step');
    await step.waitFor();
    expect(await step.innerText()).toContain('请输入身份验证器应用显示的6位动态验证码');
    expect(await page.getByTestId('current-user').count()).toBe(0);

    await page.getByLabel('动态验证码').fill(codeAt(secret, 8));
    await page.getByRole('button', { name: /验证并登录/ }).click();
    await expect
      .poll(() =>
        page
          .getByTestId('login-error')
          .innerText()
          .catch(() => ''),
      )
      .toBe('动态验证码不正确或已使用');
    await p.shot('supervisor-one-time-code-refused');

    await page.getByLabel('动态验证码').fill(codeAt(secret, 1));
    await page.getByRole('button', { name: /验证并登录/ }).click();
    await page.getByTestId('current-user').waitFor();
    expect(await page.getByTestId('current-user').innerText()).toContain('何晴');
    expect(await page.getByTestId('main-menu').innerText()).toContain('督办');
    await p.shot('supervisor-logged-in-with-one-time-code');
    expectNoConsoleErrors(p, [401]);
  });
});
