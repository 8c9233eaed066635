/**
 * The call-taker's intake page, in hooks: the triage that follows the text, the streets of the chosen
 * district, the possible duplicates, the partner lines, the keyboard shortcuts, and the one call that
 * carries the intake out (POST /api/intake: the server makes the order and does the rest in one
 * transaction, so the page holds no use case of its own).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, api, errorText, get, post } from '../../api/client.ts';
import type { LinkageItem, TriageOutcome, WorkOrder } from '../../api/types.ts';
import { useDebounced } from '../../shared/useDebounced.ts';
import type { DispatchSuggestions } from './DispatchSuggestions.tsx';

/** What the call-taker does with the call (the body's `handling` of POST /api/intake). */
export type IntakeHandling =
  | { kind: 'order'; reason?: string }
  | { kind: 'transfer'; target?: string; callbackConsent?: boolean }
  | { kind: 'consultation'; callbackConsent?: boolean }
  | { kind: 'answer'; reply: string; knowledge?: { articleId: string; version: number } };

export interface IntakeAnswer {
  workOrder: WorkOrder;
  linkage: LinkageItem | null;
  /** The items to the partner lines (120, 119, a utility) the triage named, opened with the transfer to 110. */
  linked: LinkageItem[];
  triageDecision: 'accepted' | 'overridden' | null;
  /** An order still to be dispatched: the model's three units (智能派单), one click each. */
  dispatchSuggestions: DispatchSuggestions | null;
  /** The live call the intake carried (`callId`): linked to the request; for 一键转110, moved or not. */
  call: {
    id: string;
    callRef: string;
    moved: boolean;
    transferred: boolean;
    reason: string | null;
    /** not moved but still on her line (nobody answered at 110); false and not moved: lost, to be called back */
    withSeat: boolean;
  } | null;
}

export interface Target {
  id: string;
  name: string;
  kind: string;
}

/** A client reference for a create-once request (a retry makes no second record). */
export const newRef = () => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`);

/**
 * Triage as the text is typed (debounced; a newer text cancels the older request). `settle()` gives the
 * suggestion for the text as it stands now, asking at once when the debounced one is not in yet, so a
 * call-taker who answers or files a second after typing still gets the category the triage suggests.
 */
export function useTriage(content: string, onOutcome: (o: TriageOutcome) => void) {
  const [triage, setTriage] = useState<TriageOutcome | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const latest = useRef(onOutcome);
  latest.current = onOutcome;
  /** The text the outcome on the page was for. */
  const outcomeFor = useRef<string | null>(null);
  const current = useRef(content.trim());
  current.current = content.trim();
  const text = useDebounced(content.trim(), 350);
  const ask = useCallback(
    (t: string, signal?: AbortSignal) =>
      api<TriageOutcome>('POST', '/api/triage', { text: t, channel: '12345' }, signal ? { signal } : {}).then((o) => {
        outcomeFor.current = t;
        setTriage(o);
        setError(null);
        latest.current(o);
        return o;
      }),
    [],
  );
  useEffect(() => {
    if (!text) {
      setTriage(null);
      setError(null);
      outcomeFor.current = null;
      return undefined;
    }
    if (outcomeFor.current === text) return undefined;
    const ac = new AbortController();
    setBusy(true);
    ask(text, ac.signal)
      .catch((e: Error) => {
        if (e.name !== 'AbortError') setError(e.message);
      })
      .finally(() => {
        if (!ac.signal.aborted) setBusy(false);
      });
    return () => ac.abort();
  }, [text, ask]);
  const settle = useCallback(async (): Promise<TriageOutcome | null> => {
    const t = current.current;
    if (!t) return null;
    if (outcomeFor.current === t) return triage;
    try {
      return await ask(t);
    } catch {
      // the page goes on without it: the server triages the request again and names what is missing
      return null;
    }
  }, [ask, triage]);
  const clear = useCallback(() => {
    outcomeFor.current = null;
    setTriage(null);
  }, []);
  return { triage, busy, error, clear, settle };
}

/** The streets (towns) of the chosen district. */
export function useStreets(districtCode: string | undefined) {
  const [streets, setStreets] = useState<{ code: string; name: string }[]>([]);
  useEffect(() => {
    // never the previous district's streets: empty (and the street field disabled) until these arrive
    setStreets([]);
    if (!districtCode) return;
    get<{ code: string; name: string }[]>(`/api/reference/districts/${districtCode}/streets`)
      .then(setStreets)
      .catch(() => setStreets([]));
  }, [districtCode]);
  return streets;
}

/** Possible duplicates: same address, or same street and topic, in the last 30 days. */
export function useSimilarOrders(q: {
  address: string;
  districtCode?: string;
  streetCode?: string;
  categoryCode?: string;
}) {
  const [similar, setSimilar] = useState<WorkOrder[]>([]);
  const key = useDebounced(JSON.stringify({ ...q, address: q.address.trim() }), 400);
  useEffect(() => {
    const query = JSON.parse(key) as Record<string, string | undefined>;
    if (!query.address && !query.streetCode) {
      setSimilar([]);
      return undefined;
    }
    const ac = new AbortController();
    get<WorkOrder[]>('/api/work-orders/similar', { ...query, days: 30 }, ac.signal)
      .then(setSimilar)
      .catch(() => undefined);
    return () => ac.abort();
  }, [key]);
  const clear = useCallback(() => setSimilar([]), []);
  return { similar, clear };
}

/** The partner lines (119, 120, utilities …) a call can be transferred to. */
export function usePartnerLines() {
  const [targets, setTargets] = useState<Target[]>([]);
  useEffect(() => {
    get<Target[]>('/api/linkage/targets')
      .then(setTargets)
      .catch(() => setTargets([]));
  }, []);
  return targets;
}

/** Alt+<key> by physical key (e.code, whatever the layout or input method), and Ctrl+Enter for `KeyEnter`. */
export function useShortcuts(keys: Record<string, () => void>) {
  const current = useRef(keys);
  current.current = keys;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const action = current.current[e.code];
      if (e.altKey && !e.ctrlKey && action) {
        e.preventDefault();
        action();
      } else if (e.ctrlKey && e.key === 'Enter' && current.current.KeyEnter) {
        e.preventDefault();
        current.current.KeyEnter();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

/**
 * The intake's one call. The client reference makes a retry (a lost answer, a second click) return what
 * the first attempt made; it is renewed for the next call. A refusal is kept as `error`, except the
 * server's "a danger filed as an order needs a reason", handed to `onNeedsReason`.
 */
export function useIntakeSubmit(onNeedsReason: (route: string | null) => void) {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<{ answer: IntakeAnswer; how: string } | null>(null);
  const clientRef = useRef(newRef());
  const submit = async (
    what: string,
    body: Record<string, unknown>,
    handling: IntakeHandling,
    how: (a: IntakeAnswer) => string,
  ): Promise<string | null> => {
    if (busy) return null;
    setBusy(what);
    setError(null);
    try {
      const answer = await post<IntakeAnswer>('/api/intake', { ...body, clientRef: clientRef.current, handling });
      const text = how(answer);
      setDone({ answer, how: text });
      return text;
    } catch (e) {
      if (e instanceof ApiError && e.code === 'INTAKE_EMERGENCY_NEEDS_REASON')
        onNeedsReason(((e.details as { route?: string } | undefined)?.route ?? null) as string | null);
      else setError(errorText(e));
      return null;
    } finally {
      setBusy(null);
    }
  };
  const reset = useCallback(() => {
    setError(null);
    setDone(null);
    clientRef.current = newRef();
  }, []);
  return { busy, error, done, submit, reset };
}
