/**
 * Starting a desk's switch: its queues, the seats' credentials, the SIP listener (SIP_PORT, UDP and
 * TCP) and the call centre over it. Without SIP_PORT none of this runs and the console says so.
 */
import type { SipConfig } from '../config.ts';
import type { Db } from '../db/pool.ts';
import { CallCenter } from './call-center.ts';
import { SipSwitch } from './sip/sip-switch.ts';
import type { SipLogger } from './sip/stack.ts';
import { ensureQueues, listSeats } from './telephony.repo.ts';
import { deskQueues } from './telephony.service.ts';

export interface Telephony {
  center: CallCenter;
  sip: SipSwitch;
  reloadSeats(): Promise<void>;
  close(): Promise<void>;
}

/** Numbers a seat or the console may send to the peer desk: its specialist queue and its public line. */
export const PEER_NUMBERS = {
  hotline: new Set(['specialist', '110']),
  dispatch: new Set(['specialist', '12345']),
} as const;

export async function startTelephony(
  db: Db,
  opts: {
    desk: 'hotline' | 'dispatch';
    deskId: string;
    sip: SipConfig;
    log: { error(o: object, m: string): void; warn(o: object, m: string): void };
    sipLogger?: SipLogger;
  },
): Promise<Telephony> {
  await ensureQueues(db, deskQueues(opts.desk));
  let seats = new Map<string, string>();
  const reloadSeats = async () => {
    seats = new Map((await listSeats(db)).map((s) => [s.extension, s.ha1]));
  };
  await reloadSeats();
  const sip = await SipSwitch.start({
    host: opts.sip.host,
    port: opts.sip.port,
    deskId: opts.deskId,
    peer: opts.sip.peer,
    peerNumbers: PEER_NUMBERS[opts.desk],
    ...(opts.sip.transferRingSeconds ? { transferRingSeconds: opts.sip.transferRingSeconds } : {}),
    seatHa1: (ext) => seats.get(ext) ?? null,
    logger: opts.sipLogger ?? { error: (err) => opts.log.warn({ err }, 'sip') },
  });
  const center = new CallCenter(db, sip, opts.log);
  await center.reloadQueues();
  return {
    center,
    sip,
    reloadSeats,
    async close() {
      center.close();
      await sip.close();
      await center.settled();
    },
  };
}
