import { describe, expect, it } from 'vitest';
import { expectNoConsoleErrors, openConsole, openPhone, useBrowser } from './browser.ts';
import { expectPageClean } from './page-checks.ts';

useBrowser();

describe('a citizen reads which line takes what (/guide, no log-in)', () => {
  it('on a phone and on a desk: every line with examples, the catalogue version named, nothing sticking out', async () => {
    const phone = await openPhone('/guide');
    const { page } = phone;
    expect(await page.getByTestId('guide-version').innerText()).toMatch(
      /职责清单第 \d+ 版（\d{4}-\d{2}-\d{2} 起施行）/,
    );
    for (const name of [
      '110报警服务台',
      '119消防救援',
      '120医疗急救',
      '水电气抢修',
      '12345政务服务便民热线',
      '挪车服务',
    ])
      await expect.poll(() => page.getByRole('heading', { name, level: 2 }).count()).toBe(1);
    await expectPageClean(page, '受理范围宣传（手机）', ['APP']);
    await phone.shot('citizen-reads-the-guide-on-a-phone');
    expectNoConsoleErrors(phone);

    const desk = await openConsole();
    await desk.page.goto(`${desk.page.url().replace(/\/[^/]*$/, '')}/guide`);
    await desk.page.getByTestId('guide-version').waitFor();
    await expectPageClean(desk.page, '受理范围宣传', ['APP']);
    expectNoConsoleErrors(desk);
  });
});
