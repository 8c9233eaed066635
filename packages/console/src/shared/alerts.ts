import { useCallback, useState } from 'react';

/**
 * Alerts for a matter that cannot wait (issue 11: an emergency handed over must be noticed at once): a
 * beep through Web Audio (no sound file to load) and a desktop notification where the browser permits.
 */
let audio: AudioContext | null = null;

/** Three short high beeps. Silently nothing where the browser has no Web Audio or refuses to play. */
export function beep(): void {
  try {
    audio ??= new AudioContext();
    const ctx = audio;
    if (ctx.state === 'suspended') void ctx.resume().catch(() => undefined);
    for (let i = 0; i < 3; i++) {
      const t = ctx.currentTime + i * 0.28;
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'square';
      osc.frequency.value = 880;
      gain.gain.setValueAtTime(0.0001, t);
      gain.gain.exponentialRampToValueAtTime(0.2, t + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.2);
      osc.connect(gain).connect(ctx.destination);
      osc.start(t);
      osc.stop(t + 0.22);
    }
  } catch {
    /* no audio on this machine */
  }
}

type Permission = NotificationPermission | 'unsupported';
const current = (): Permission => (typeof Notification === 'undefined' ? 'unsupported' : Notification.permission);

/** A desktop notification, when the person allowed them; clicking it brings the console to the front. */
export function notifyDesktop(title: string, body: string, tag: string): void {
  if (current() !== 'granted') return;
  try {
    const n = new Notification(title, { body, tag, requireInteraction: true });
    n.onclick = () => {
      window.focus();
      n.close();
    };
  } catch {
    /* a browser that only notifies from a service worker */
  }
}

/** Whether desktop notifications are allowed, and the request (browsers ask only after a click). */
export function useDesktopNotifications(): { permission: Permission; request: () => void } {
  const [permission, setPermission] = useState<Permission>(current);
  const request = useCallback(() => {
    if (typeof Notification === 'undefined') return;
    void Notification.requestPermission().then(setPermission, () => setPermission(current()));
  }, []);
  return { permission, request };
}
