import { useEffect, useRef } from 'react';
import { session } from '../api/client.ts';

/**
 * Subscribes to a server-sent-event stream of the server (EventSource cannot send headers, so the
 * session token goes in the query). EventSource reconnects by itself after a network break; every
 * (re)connection says `ready`, and `onReconnect` then reloads what may have changed in between, since
 * events sent while the console was disconnected are not replayed.
 */
export function useEventStream<T>(
  path: string | null,
  event: string,
  onEvent: (data: T) => void,
  onReconnect?: () => void,
): void {
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const reconnect = useRef(onReconnect);
  reconnect.current = onReconnect;
  useEffect(() => {
    if (!path || !session.token) return undefined;
    const es = new EventSource(`${path}?access_token=${encodeURIComponent(session.token)}`);
    const listener = (e: MessageEvent<string>) => {
      try {
        handler.current(JSON.parse(e.data) as T);
      } catch {
        /* ignore a malformed event */
      }
    };
    let connections = 0;
    const ready = () => {
      if (connections++ > 0) reconnect.current?.();
    };
    es.addEventListener(event, listener as EventListener);
    es.addEventListener('ready', ready);
    return () => {
      es.removeEventListener(event, listener as EventListener);
      es.removeEventListener('ready', ready);
      es.close();
    };
  }, [path, event]);
}
