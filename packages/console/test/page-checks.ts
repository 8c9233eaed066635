/**
 * What every page of the console must pass, whatever role it serves (issue 14): at the page's
 * viewport (the tests open 1366×768) nothing overflows, and no English word shows outside proper names.
 *
 *   await expectPageClean(p.page, '用户与角色');
 *
 * Proper names and codes that are shown on purpose (log-in names, unit ids, connector URLs) are marked
 * in the console with the HTML attribute `translate="no"`; text inside such an element is not read.
 * A few proper names used in running Chinese text (SIP, Excel, CSV, …) are allowed everywhere; a page may
 * pass more. The checks run in the page as strings, since the test code is type-checked without the
 * DOM library.
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** Names and formats that are proper in a Chinese screen: standards, file formats, protocols, brands. */
export const PROPER_NAMES: readonly string[] = [
  'Excel',
  'xlsx',
  'CSV',
  'csv',
  'SIP',
  'URL',
  'HTTP',
  'HTTPS',
  'HMAC',
  'SHA',
  'SM',
  'EIDO',
  'NENA',
  'Open311',
  'GB',
  'UTF',
  'ID',
  'IP',
  'PDF',
  'KTV',
  'APP',
  'ICU',
  'Erlang',
  // keys on the keyboard, as shortcuts name them
  'Alt',
  'Ctrl',
  'Shift',
  'Enter',
  'Esc',
  'Tab',
];

/**
 * Each visible thing that sticks out: the page scrolling sideways, an element reaching past the viewport,
 * a table or box whose content is wider than itself (a sideways scroll bar or cut content), a text cut
 * without an ellipsis. Each problem is a short description naming the element's text.
 */
export function overflowProblems(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(`(() => {
    const out = [];
    const vw = document.documentElement.clientWidth;
    const vh = document.documentElement.clientHeight;
    const name = (el) => {
      const t = (el.innerText || el.getAttribute('aria-label') || el.getAttribute('placeholder') || '').trim().replace(/\\s+/g, ' ');
      const cls = typeof el.className === 'string' ? el.className.split(' ').filter(Boolean).slice(0, 2).join('.') : '';
      return el.tagName.toLowerCase() + (cls ? '.' + cls : '') + (t ? ' «' + t.slice(0, 40) + '»' : '');
    };
    if (document.documentElement.scrollWidth > vw + 1) out.push('页面可横向滚动：' + document.documentElement.scrollWidth + ' > ' + vw);
    const visible = (el) => {
      if (el.offsetParent === null && getComputedStyle(el).position !== 'fixed') return false;
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.height > 0;
    };
    // Elements that scroll or clip sideways on purpose do so with an ellipsis, or are scroll boxes that are
    // not wider than their content (the check below); menus collapsed by Ant Design are measured hidden.
    const skip = (el) => el.closest('.ant-select-dropdown, .ant-picker-dropdown, .ant-tooltip, .ant-popover, .ant-message, .ant-notification, [aria-hidden="true"]');
    for (const el of document.body.querySelectorAll('*')) {
      if (skip(el) || !visible(el)) continue;
      const r = el.getBoundingClientRect();
      if (r.right > vw + 1 && r.left < vw) out.push('超出窗口右侧：' + name(el));
      const cs = getComputedStyle(el);
      const sideways = cs.overflowX === 'auto' || cs.overflowX === 'scroll' || cs.overflowX === 'hidden' || cs.overflowX === 'clip';
      if (sideways && el.scrollWidth > el.clientWidth + 1 && el !== document.documentElement && el !== document.body) {
        const scrolls = cs.overflowX === 'auto' || cs.overflowX === 'scroll';
        // A box that scrolls sideways hides content; one that clips matters when it clips text.
        if (!scrolls && ![...el.childNodes].some((c) => c.nodeType === 3 && c.textContent.trim()) && !el.innerText.trim()) continue;
        // An ellipsis says "there is more" (and the full text is a hover away); it may not cut a text to a stub.
        if (cs.textOverflow === 'ellipsis' && el.clientWidth >= 60) continue;
        out.push((scrolls ? '出现横向滚动条：' : '内容被截断：') + name(el));
      }
    }
    // The same element reported through each of its ancestors says one thing.
    return [...new Set(out)].slice(0, 20);
  })()`);
}

/**
 * Latin words a person reads on the page (text, placeholders, titles, read-only values), outside elements
 * marked translate="no" and outside the allowed proper names. Words of two or more letters; single letters
 * (a building's 'A' block) and letters glued to digits (an order number GD2026…) do not count.
 */
export function englishWords(page: Page, allowed: readonly string[] = []): Promise<string[]> {
  const ok = JSON.stringify([...PROPER_NAMES, ...allowed]);
  return page.evaluate<string[]>(`(() => {
    const ok = new Set(${ok});
    const found = new Set();
    const read = (text) => {
      // A run of letters glued to digits is a number (an order's GD2026…, a unit's 12345), not a word.
      for (const m of (text || '').matchAll(/(?<![A-Za-z0-9_])[A-Za-z][A-Za-z_]+(?![A-Za-z0-9_])/g)) if (!ok.has(m[0])) found.add(m[0]);
    };
    const hidden = (el) => {
      if (!el) return true;
      if (el.closest('[translate="no"]')) return true;
      if (el.closest('[aria-hidden="true"], .ant-select-dropdown-hidden, .ant-picker-dropdown-hidden')) return true;
      return el.offsetParent === null && getComputedStyle(el).position !== 'fixed';
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || hidden(el) || el.closest('script, style, noscript')) continue;
      read(n.textContent);
    }
    // What shows without being text: a placeholder, a tooltip title. (aria-labels are for screen readers, and
    // Ant Design's own are English: they are not checked here.)
    for (const el of document.body.querySelectorAll('[placeholder], [title]')) {
      if (hidden(el)) continue;
      read(el.getAttribute('placeholder'));
      read(el.getAttribute('title'));
    }
    // An input's value that the console filled in (a default, a chosen option) is read too.
    for (const el of document.body.querySelectorAll('input:not([type=hidden]):not([type=password]):not([type=checkbox]):not([type=radio]), textarea')) {
      if (hidden(el) || el.closest('[translate="no"]')) continue;
      if (el.readOnly || el.disabled) read(el.value);
    }
    return [...found].sort();
  })()`);
}

/** Both checks, with the page's name in the failure. Waits for the page to be idle first. */
export async function expectPageClean(page: Page, label: string, allowed: readonly string[] = []): Promise<void> {
  await page.waitForLoadState('networkidle');
  expect(await overflowProblems(page), `${label}：溢出`).toEqual([]);
  expect(await englishWords(page, allowed), `${label}：英文`).toEqual([]);
}
