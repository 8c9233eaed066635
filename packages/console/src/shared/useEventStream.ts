import { useEffect, useRef } from 'react';
import { session } from '../api/client.ts';

/**
 * Subscribes to a server-sent-event stream of the server (EventSource cannot send headers, so the
 * session token goes in the query). EventSource reconnects by itself after a network break.
 */
export function useEventStream<T>(path: string | null, event: string, onEvent: (data: T) => void): void {
  const handler = useRef(onEvent);
  handler.current = onEvent;
  useEffect(() => {
    if (!path || !session.token) return undefined;
    const es = new EventSource(`${path}?access_token=${encodeURIComponent(session.token)}`);
    const listener = (e: MessageEvent<string>) => {
      try { handler.current(JSON.parse(e.data) as T); } catch { /* ignore a malformed event */ }
    };
    es.addEventListener(event, listener as EventListener);
    return () => { es.removeEventListener(event, listener as EventListener); es.close(); };
  }, [path, event]);
}
