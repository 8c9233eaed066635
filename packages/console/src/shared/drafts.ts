/**
 * What a person was typing, kept in this browser until it is filed: a session that ends (idle, expired,
 * revoked) takes the person to the log-in page, and after logging in again the form comes back as it was.
 * Kept per user, so the next person at the same workstation never sees it; an explicit log-out (退出登录)
 * discards the user's drafts, as the person chose to leave.
 */
const PREFIX = 'liandong.draft.';

const keyOf = (userId: string, form: string) => `${PREFIX}${userId}.${form}`;

export function saveDraft(userId: string, form: string, values: Record<string, unknown>): void {
  const kept = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined && v !== '' && v !== null));
  try {
    if (Object.keys(kept).length) localStorage.setItem(keyOf(userId, form), JSON.stringify(kept));
    else localStorage.removeItem(keyOf(userId, form));
  } catch {
    /* storage full or off: the form still works, it is just not kept */
  }
}

export function loadDraft<T extends object>(userId: string, form: string): Partial<T> | null {
  const raw = localStorage.getItem(keyOf(userId, form));
  if (!raw) return null;
  try {
    const v: unknown = JSON.parse(raw);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Partial<T>) : null;
  } catch {
    return null;
  }
}

export function clearDraft(userId: string, form: string): void {
  localStorage.removeItem(keyOf(userId, form));
}

/** Every draft of one user (on an explicit log-out). */
export function clearDrafts(userId: string): void {
  for (let i = localStorage.length - 1; i >= 0; i--) {
    const k = localStorage.key(i);
    if (k?.startsWith(`${PREFIX}${userId}.`)) localStorage.removeItem(k);
  }
}
