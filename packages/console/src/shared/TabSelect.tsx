/**
 * A Select that a keyboard user leaves with Tab. Ant Design's Select takes Tab, like Enter, as "choose
 * the highlighted option" and keeps the focus; a call-taker typing 渝中 and pressing Tab expects the
 * district chosen and the cursor in the next field. The choice is still the Select's own; this only moves
 * the focus on, to the next (or, with Shift, the previous) field, when the Select kept it.
 */
import { Select, type SelectProps } from 'antd';
import type { KeyboardEvent } from 'react';

const TABBABLE = 'input, textarea, select, button, a[href], [tabindex]:not([tabindex="-1"])';

/** The fields a Tab can reach, in order; disabled ones too (a district's choice is about to enable the street). */
function fields(): HTMLElement[] {
  return Array.from(document.querySelectorAll<HTMLElement>(TABBABLE)).filter(
    (el) =>
      (el.tabIndex >= 0 || el.hasAttribute('disabled')) &&
      el.getAttribute('aria-hidden') !== 'true' &&
      (el.offsetParent !== null || el === document.activeElement),
  );
}

export function TabSelect<V = unknown>(props: SelectProps<V>) {
  const onKeyDownCapture = (e: KeyboardEvent<HTMLSpanElement>) => {
    if (e.key !== 'Tab' || e.altKey || e.ctrlKey || e.metaKey) return;
    // The Select still sees the key (and chooses the highlighted option); the move is ours, made after
    // the form has re-rendered with the choice, so a field the choice enables is not skipped.
    e.preventDefault();
    const wrapper = e.currentTarget;
    const back = e.shiftKey;
    let tries = 0;
    const move = () => {
      if (!wrapper.contains(document.activeElement)) return;
      const all = fields();
      const inside = all.filter((el) => wrapper.contains(el));
      if (inside.length === 0) return;
      const step = back ? -1 : 1;
      let at = all.indexOf(back ? inside[0]! : inside[inside.length - 1]!) + step;
      // the next field may be waiting for this choice to enable it (a district's streets are fetched): give
      // it up to a second, then pass it by
      if (all[at]?.hasAttribute('disabled') && tries++ < 30) {
        window.setTimeout(move, 30);
        return;
      }
      while (all[at]?.hasAttribute('disabled')) at += step;
      all[at]?.focus();
    };
    window.setTimeout(move, 0);
  };
  return (
    <span style={{ display: 'block' }} onKeyDownCapture={onKeyDownCapture}>
      <Select<V> {...props} />
    </span>
  );
}
