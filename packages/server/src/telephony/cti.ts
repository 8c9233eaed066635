/**
 * The CTI adapter: what the call centre needs from a switch, whoever runs it. Liandong's own SIP desk
 * (sip/sip-switch.ts) implements it; a city whose switch is another vendor's writes an adapter that
 * turns that switch's events into these and its commands into the switch's (its call records can be
 * imported as CSV meanwhile). The ACD, agent states, call records and the wallboard sit above it.
 */

export interface CallInfo {
  callId: string;
  /** the call's name across desks: `<deskId>:<callId>` (bridge-protocol.md 1.1 `callRef`) */
  callRef: string;
  /** the number dialled (the line: 12345, 110, or a specialist queue) */
  line: string;
  callerNumber: string | null;
  callerName: string | null;
  /** a call transferred in from the peer desk carries the peer's call reference */
  peerCallRef: string | null;
}

export type CtiEvent =
  | { type: 'offered'; at: Date; call: CallInfo }
  | { type: 'ringing'; at: Date; callId: string; extension: string }
  | { type: 'answered'; at: Date; callId: string; extension: string }
  | { type: 'no_answer'; at: Date; callId: string; extension: string; reason: string }
  | { type: 'held' | 'resumed'; at: Date; callId: string; extension: string | null }
  | { type: 'transferring'; at: Date; callId: string; target: string; mode: TransferMode }
  | { type: 'transferred'; at: Date; callId: string; target: string; mode: TransferMode }
  | { type: 'transfer_failed'; at: Date; callId: string; target: string; reason: string }
  /** an attended transfer's target has answered: the seat speaks to it while the caller waits */
  | { type: 'consulting'; at: Date; callId: string; target: string }
  | { type: 'conferenced'; at: Date; callId: string; target: string }
  /** the caller is back with the desk and nobody (a failed blind transfer): the ACD queues the call again */
  | { type: 'returned'; at: Date; callId: string; reason: string }
  | {
      type: 'ended';
      at: Date;
      callId: string;
      by: 'caller' | 'agent' | 'peer' | 'desk';
      reason: string;
      /** the caller was lost while the call was being moved (漏接回拨) */
      duringTransfer: boolean;
      /** a reference to the recording, where the switch records */
      recordingRef: string | null;
    }
  | { type: 'seat_registered'; at: Date; extension: string }
  | { type: 'seat_unregistered'; at: Date; extension: string };

/**
 * `blind`: the seat's REFER (the phone's transfer key); `console`: the desk moves the call when the far
 * side answers; `attended` (咨询转接): the seat speaks to the far side first, then gives it the caller.
 */
export type TransferMode = 'blind' | 'console' | 'attended';

export type TransferOutcome = { ok: true } | { ok: false; reason: string };

export interface CtiAdapter {
  onEvent(listener: (e: CtiEvent) => void): void;
  /** Offers a waiting call to a seat's phone. */
  deliver(callId: string, extension: string): void;
  /** Withdraws an offer that was not answered in time (the ACD's ring timeout). */
  withdraw(callId: string): void;
  /** Moves the live call to `target` (a number of the peer desk or a local extension). */
  transfer(callId: string, target: string, mode: TransferMode): Promise<TransferOutcome>;
  /**
   * 咨询转接: holds the caller and calls `target` for the seat; resolves when the target has answered and
   * speaks to the seat, or with why not (the caller is then back with the seat).
   */
  consult(callId: string, target: string): Promise<TransferOutcome>;
  /** Gives the held caller to the target the seat is consulting, and releases the seat. */
  completeConsult(callId: string): Promise<TransferOutcome>;
  /** Ends the consultation (hangs up or stops ringing the target): the caller is back with the seat. */
  cancelConsult(callId: string): Promise<TransferOutcome>;
  hangup(callId: string): void;
  isRegistered(extension: string): boolean;
  close(): Promise<void>;
}
