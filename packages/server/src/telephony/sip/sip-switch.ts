/**
 * The desk's SIP switch: a back-to-back user agent between callers and seats. It answers the caller
 * only when a seat answers (media flows end to end, caller ↔ seat; the desk carries signalling),
 * relays holds, performs transfers — the seat's REFER (RFC 3515, progress by NOTIFY with sipfrag) and
 * the console's one-click transfer — by calling the target and re-INVITEing the caller to it, performs
 * the console's attended transfer (咨询转接: the caller held, the seat speaking to the target first,
 * then the caller given to the target or taken back), and reports every step as a CTI event. Calls
 * between the two desks are plain SIP with the call's reference in `X-Liandong-Call-Ref`.
 */
import { randomUUID } from 'node:crypto';
import type { Message } from 'sip';
import type { CtiAdapter, CtiEvent, TransferMode, TransferOutcome } from '../cti.ts';
import { Dialog, header, sdpDirection, uriUser } from './dialog.ts';
import { Registrar } from './registrar.ts';
import { SipStack, type Flow, type SipLogger } from './stack.ts';

export interface SipSwitchOptions {
  host: string;
  port: number;
  deskId: string;
  /** the SIP host:port of the peer desk, for numbers that belong there */
  peer: { host: string; port: number; protocol: 'UDP' | 'TCP' } | null;
  /** numbers dialled at this desk that are the peer's (e.g. `110` and `specialist` on the 12345 desk's REFER) */
  peerNumbers?: ReadonlySet<string>;
  seatHa1(extension: string): string | null;
  logger?: SipLogger;
  /** a transfer whose target has not answered in this time is cancelled; the call stays where it was (30) */
  transferRingSeconds?: number;
}

interface Leg {
  dialog: Dialog;
  kind: 'seat' | 'peer';
  target: string;
  state: 'calling' | 'early' | 'confirmed' | 'ended';
  /** the INVITE sent, for a CANCEL */
  invite: Message | null;
  sdp: string | null;
}

interface Call {
  id: string;
  callRef: string;
  a: Dialog;
  aInvite: Message;
  aSdp: string | null;
  aAnswered: boolean;
  /** the 2xx sent to the caller, re-sent until the ACK (UDP) */
  aOk: Message | null;
  b: Leg | null;
  /** the leg being set up by a transfer */
  c: Leg | null;
  /** legs the call has left (a transferor still hanging up) */
  retired: Leg[];
  transfer: { target: string; mode: TransferMode; referFrom: Leg | null; done: (o: TransferOutcome) => void } | null;
  /** an attended transfer under way: the target's leg (also `c`), and whether the seat is speaking to it */
  consult: { target: string; leg: Leg; talking: boolean } | null;
  ended: boolean;
}

/** The SDP with its direction set to `inactive`: the caller held while the seat consults. */
function heldSdp(sdp: string | null): string | undefined {
  if (!sdp) return undefined;
  const lines = sdp.split(/\r?\n/).filter((l) => !/^a=(sendrecv|sendonly|recvonly|inactive)\s*$/.test(l));
  const end = lines.length && lines[lines.length - 1] === '' ? lines.length - 1 : lines.length;
  lines.splice(end, 0, 'a=inactive');
  return lines.join('\r\n');
}

/** The parser reads messages byte for byte (latin1); a display name is UTF-8 (RFC 3261 §25.1). */
const utf8 = (s: string) => Buffer.from(s, 'latin1').toString('utf8');

export class SipSwitch implements CtiAdapter {
  private stack!: SipStack;
  private registrar!: Registrar;
  private readonly calls = new Map<string, Call>();
  /** Call-ID of every dialog the desk holds → its call */
  private readonly byDialog = new Map<string, Call>();
  private readonly listeners: ((e: CtiEvent) => void)[] = [];
  /** the last re-INVITE the desk sent on each dialog, so the next waits for it */
  private readonly reinvites = new WeakMap<Dialog, Promise<Message | null>>();

  private constructor(private readonly opts: SipSwitchOptions) {}

  static async start(opts: SipSwitchOptions): Promise<SipSwitch> {
    const s = new SipSwitch(opts);
    s.registrar = new Registrar(
      () => s.stack,
      opts.deskId,
      (ext) => opts.seatHa1(ext),
      (extension, registered) =>
        s.emit(
          registered
            ? { type: 'seat_registered', at: new Date(), extension }
            : { type: 'seat_unregistered', at: new Date(), extension },
        ),
    );
    s.stack = await SipStack.listen({
      host: opts.host,
      port: opts.port,
      logger: opts.logger,
      onRequest: (rq, from) => s.onRequest(rq, from),
      onStrayResponse: (rs) => s.onStray2xx(rs),
    });
    return s;
  }

  get port(): number {
    return this.stack.port;
  }

  private get contact(): string {
    return `sip:desk@${this.stack.host}:${this.stack.port}`;
  }

  onEvent(listener: (e: CtiEvent) => void): void {
    this.listeners.push(listener);
  }

  private emit(e: CtiEvent): void {
    for (const l of this.listeners) l(e);
  }

  isRegistered(extension: string): boolean {
    return this.registrar.find(extension) !== null;
  }

  // ---- requests from the network ----

  private onRequest(rq: Message, from: Flow): void {
    const method = rq.method!;
    if (method === 'REGISTER') return this.registrar.handle(rq, from);
    if (method === 'OPTIONS') {
      this.stack.respond(rq, 200, 'OK', { headers: { allow: 'INVITE, ACK, CANCEL, BYE, REFER, NOTIFY, OPTIONS' } });
      return;
    }
    const call = this.byDialog.get(rq.headers['call-id']!);
    if (method === 'CANCEL') return this.onCancel(rq, call);
    if (method === 'ACK') return this.onAck(rq, call);
    const toTag = rq.headers.to?.params.tag;
    if (method === 'INVITE' && !toTag) return this.onInvite(rq, from);
    const leg = call && this.legOf(call, rq);
    if (call && leg === 'retired' && method === 'BYE') {
      this.stack.respond(rq, 200, 'OK');
      return;
    }
    if (!call || !leg || leg === 'retired' || call.ended) {
      this.stack.respond(rq, 481, 'Call/Transaction Does Not Exist');
      return;
    }
    if (method === 'BYE') return this.onBye(call, leg, rq);
    if (method === 'INVITE') return this.onReinvite(call, leg, rq);
    if (method === 'REFER') return this.onRefer(call, leg, rq);
    if (method === 'INFO' || method === 'UPDATE' || method === 'NOTIFY') {
      this.stack.respond(rq, 200, 'OK');
      return;
    }
    this.stack.respond(rq, 405, 'Method Not Allowed', { headers: { allow: 'INVITE, ACK, CANCEL, BYE, REFER' } });
  }

  private legOf(call: Call, m: Message): 'a' | 'b' | 'c' | 'retired' | null {
    if (call.a.matches(m)) return 'a';
    const mine = (l: Leg | null) =>
      l && l.dialog.callId === m.headers['call-id'] && m.headers.to?.params.tag === l.dialog.localTag;
    if (mine(call.b)) return 'b';
    if (mine(call.c)) return 'c';
    if (call.retired.some(mine)) return 'retired';
    return null;
  }

  private onInvite(rq: Message, from: Flow): void {
    const line = uriUser(rq.uri);
    if (!line) {
      this.stack.respond(rq, 404, 'Not Found');
      return;
    }
    this.stack.respond(rq, 100, 'Trying');
    const id = randomUUID();
    const a = Dialog.fromInvite(rq, from, this.contact);
    const call: Call = {
      id,
      callRef: `${this.opts.deskId}:${id}`,
      a,
      aInvite: rq,
      aSdp: rq.content || null,
      aAnswered: false,
      aOk: null,
      b: null,
      c: null,
      retired: [],
      transfer: null,
      consult: null,
      ended: false,
    };
    this.calls.set(id, call);
    this.byDialog.set(a.callId, call);
    // Queued calls ring back (180) until a seat answers: the desk plays no media of its own here.
    this.stack.respond(rq, 180, 'Ringing', { headers: { to: { ...rq.headers.to!, params: { tag: a.localTag } } } });
    const fromAddr = rq.headers.from!;
    this.emit({
      type: 'offered',
      at: new Date(),
      call: {
        callId: id,
        callRef: call.callRef,
        line,
        callerNumber: uriUser(fromAddr.uri),
        callerName: fromAddr.name ? utf8(fromAddr.name.replace(/^"|"$/g, '')) : null,
        peerCallRef: header(rq, 'x-liandong-call-ref')?.slice(0, 200) ?? null,
      },
    });
  }

  private onCancel(rq: Message, call: Call | undefined): void {
    this.stack.respond(rq, 200, 'OK');
    if (!call || call.aAnswered || call.ended) return;
    this.stack.respond(call.aInvite, 487, 'Request Terminated', {
      headers: { to: { ...call.aInvite.headers.to!, params: { tag: call.a.localTag } } },
    });
    this.end(call, 'caller', '来电人挂机（排队或振铃中）');
  }

  private onAck(rq: Message, call: Call | undefined): void {
    if (call && call.aOk && call.a.matches(rq)) call.aOk = null; // stops the 2xx retransmission
  }

  private onBye(call: Call, leg: 'a' | 'b' | 'c', rq: Message): void {
    this.stack.respond(rq, 200, 'OK');
    if (leg === 'a') return this.end(call, 'caller', '来电人挂机');
    const l = leg === 'b' ? call.b! : call.c!;
    l.state = 'ended';
    // The transferor hangs up after its REFER (RFC 5589): the caller stays, waiting for the target.
    if (leg === 'b' && call.transfer) {
      call.b = null;
      return;
    }
    // The seat hangs up while speaking to the target: the caller goes to the target (as on a PBX); while
    // the target still rings, the caller is not left alone: the attempt ends with the call.
    if (leg === 'b' && call.consult?.talking) {
      void this.finishConsult(call, true);
      return;
    }
    // The target hangs up during the consultation: the caller is back with the seat.
    if (leg === 'c' && call.consult) {
      call.c = null;
      void this.abandonConsult(call, '对方已挂机');
      return;
    }
    if (leg === 'b')
      return this.end(call, l.kind === 'peer' ? 'peer' : 'agent', l.kind === 'peer' ? '对方平台挂机' : '坐席挂机');
    call.c = null;
  }

  /** A re-INVITE from one side (hold, resume, new media) is passed to the other. */
  private onReinvite(call: Call, leg: 'a' | 'b' | 'c', rq: Message): void {
    const other = leg === 'a' ? call.b : call.a;
    const sdp = rq.content || null;
    const answer = (status: number, reason: string, content?: string) =>
      this.stack.respond(rq, status, reason, {
        headers: {
          contact: [{ uri: this.contact, params: {} }],
          ...(content ? { 'content-type': 'application/sdp' } : {}),
        },
        ...(content ? { content } : {}),
      });
    // During a consultation the desk holds the media where it is: a hold or new media from one side is
    // answered with what that side already has, not passed on.
    if (call.consult) {
      const now = leg === 'a' ? heldSdp(call.b?.sdp ?? null) : leg === 'b' ? call.consult.leg.sdp : call.b?.sdp;
      answer(200, 'OK', now ?? undefined);
      return;
    }
    if (!other || (other instanceof Dialog ? false : other.state !== 'confirmed')) {
      answer(200, 'OK', leg === 'a' ? (call.b?.sdp ?? undefined) : (call.aSdp ?? undefined));
      return;
    }
    const dialog = other instanceof Dialog ? other : other.dialog;
    const reinvite = dialog.request('INVITE', {}, sdp ?? undefined);
    this.stack.request(reinvite, dialog.flow, (rs) => {
      if (rs.status! < 200) return;
      if (rs.status! < 300) {
        this.stack.sendRaw(dialog.request('ACK'), dialog.flow);
        if (leg === 'a') {
          call.aSdp = sdp;
          if (call.b) call.b.sdp = rs.content || call.b.sdp;
        } else {
          if (call.b) call.b.sdp = sdp;
          call.aSdp = rs.content || call.aSdp;
        }
        answer(200, 'OK', rs.content || undefined);
        if (leg === 'b') {
          const dir = sdpDirection(sdp ?? undefined);
          this.emit({
            type: dir === 'sendrecv' || dir === 'recvonly' ? 'resumed' : 'held',
            at: new Date(),
            callId: call.id,
            extension: call.b?.kind === 'seat' ? call.b.target : null,
          });
        }
      } else answer(rs.status!, rs.reason ?? '');
    });
  }

  private onRefer(call: Call, leg: 'a' | 'b' | 'c', rq: Message): void {
    const referTo = (rq.headers['refer-to'] as { uri: string } | undefined)?.uri;
    const target = uriUser(referTo?.replace(/\?.*$/, ''));
    if (leg !== 'b' || !target || !call.b) {
      this.stack.respond(rq, leg !== 'b' ? 403 : 400, leg !== 'b' ? 'Forbidden' : 'Bad Request');
      return;
    }
    if (call.transfer) {
      this.stack.respond(rq, 491, 'Request Pending');
      return;
    }
    const from = call.b;
    this.stack.respond(rq, 202, 'Accepted', { headers: { contact: [{ uri: this.contact, params: {} }] } });
    const notify = (frag: string, final: boolean) => {
      if (from.state === 'ended') return;
      const m = from.dialog.request(
        'NOTIFY',
        {
          event: 'refer',
          'subscription-state': final ? 'terminated;reason=noresource' : 'active;expires=60',
          'content-type': 'message/sipfrag;version=2.0',
        },
        frag,
      );
      this.stack.request(m, from.dialog.flow, () => undefined);
    };
    notify('SIP/2.0 100 Trying\r\n', false);
    void this.startTransfer(call, target, 'blind', from).then((o) =>
      notify(
        o.ok ? 'SIP/2.0 200 OK\r\n' : `SIP/2.0 ${o.reason.startsWith('4') ? o.reason : '503 Service Unavailable'}\r\n`,
        true,
      ),
    );
  }

  private onStray2xx(rs: Message): void {
    // Our ACK was lost and the far side retransmits its 2xx: ACK it again.
    const call = this.byDialog.get(rs.headers['call-id']!);
    const leg = call && [call.b, call.c].find((l) => l?.dialog.callId === rs.headers['call-id']);
    if (leg) this.stack.sendRaw(leg.dialog.request('ACK'), leg.dialog.flow);
  }

  // ---- commands from the ACD and the console ----

  deliver(callId: string, extension: string): void {
    const call = this.calls.get(callId);
    const binding = this.registrar.find(extension);
    if (!call || call.ended) return;
    if (!binding) {
      this.emit({ type: 'no_answer', at: new Date(), callId, extension, reason: '坐席话机未注册' });
      return;
    }
    const info = call.aInvite.headers.from!;
    const h = this.call(
      call,
      binding.contact,
      binding.flow,
      'seat',
      extension,
      { 'x-liandong-call-id': call.id },
      info.name?.replace(/^"|"$/g, '') ?? uriUser(info.uri) ?? undefined,
      `sip:${uriUser(info.uri) ?? 'anonymous'}@${this.stack.host}`,
    );
    const leg = h.leg;
    call.b = leg;
    h.onProgress = (rs) => {
      if (rs.status === 180 || rs.status === 183) this.emit({ type: 'ringing', at: new Date(), callId, extension });
    };
    h.onFinal = (rs) => {
      if (call.ended) return;
      if (rs.status! >= 200 && rs.status! < 300) {
        this.connectCaller(call, leg, () => this.emit({ type: 'answered', at: new Date(), callId, extension }));
      } else {
        if (call.b === leg) call.b = null;
        this.emit({
          type: 'no_answer',
          at: new Date(),
          callId,
          extension,
          reason: rs.status === 487 ? '振铃超时' : `坐席拒接（${rs.status}）`,
        });
      }
    };
  }

  withdraw(callId: string): void {
    const call = this.calls.get(callId);
    if (call?.b && call.b.state !== 'confirmed') this.cancelLeg(call.b);
  }

  transfer(callId: string, target: string, mode: TransferMode): Promise<TransferOutcome> {
    const call = this.calls.get(callId);
    if (!call || call.ended || !call.b || call.b.state !== 'confirmed')
      return Promise.resolve({ ok: false, reason: '该通话不在通话中，无法转接' });
    if (call.transfer || call.consult) return Promise.resolve({ ok: false, reason: '该通话正在转接' });
    return this.startTransfer(call, target, mode, null);
  }

  consult(callId: string, target: string): Promise<TransferOutcome> {
    const call = this.calls.get(callId);
    if (!call || call.ended || !call.b || call.b.state !== 'confirmed')
      return Promise.resolve({ ok: false, reason: '该通话不在通话中，无法转接' });
    if (call.transfer || call.consult) return Promise.resolve({ ok: false, reason: '该通话正在转接' });
    const dest = this.targetFor(target);
    if (!dest) return Promise.resolve({ ok: false, reason: '404 Not Found' });
    const seat = call.b;
    this.emit({ type: 'transferring', at: new Date(), callId: call.id, target, mode: 'attended' });
    // The caller waits on hold; the target is offered the seat's media, so the two speak directly.
    void this.reinvite(call, call.a, heldSdp(seat.sdp));
    const h = this.callTarget(call, dest, target, seat.sdp);
    call.c = h.leg;
    call.consult = { target, leg: h.leg, talking: false };
    return new Promise<TransferOutcome>((resolve) => {
      const ring = this.ringLimit(call, h.leg);
      h.onFinal = (rs) => {
        ring.stop();
        if (call.ended || call.consult?.leg !== h.leg) {
          if (rs.status! < 300) this.bye(h.leg.dialog);
          return resolve({ ok: false, reason: '487 Request Terminated' });
        }
        if (rs.status! >= 200 && rs.status! < 300) {
          // The seat's phone is pointed at the target: they speak while the caller waits.
          void this.reinvite(call, seat.dialog, h.leg.sdp ?? undefined).then(() => {
            if (call.consult?.leg !== h.leg) return resolve({ ok: false, reason: '487 Request Terminated' });
            call.consult.talking = true;
            this.emit({ type: 'consulting', at: new Date(), callId: call.id, target });
            resolve({ ok: true });
          });
          return;
        }
        call.c = null;
        const reason = ring.timedOut() ? `对方${ring.seconds}秒内无人接听` : `${rs.status} ${rs.reason ?? ''}`.trim();
        void this.abandonConsult(call, reason);
        resolve({ ok: false, reason });
      };
    });
  }

  completeConsult(callId: string): Promise<TransferOutcome> {
    const call = this.calls.get(callId);
    if (!call || call.ended || !call.consult?.talking)
      return Promise.resolve({ ok: false, reason: '没有正在咨询的转接' });
    return this.finishConsult(call, false);
  }

  cancelConsult(callId: string): Promise<TransferOutcome> {
    const call = this.calls.get(callId);
    if (!call || call.ended || !call.consult) return Promise.resolve({ ok: false, reason: '没有正在咨询的转接' });
    const leg = call.consult.leg;
    call.c = null;
    this.cancelLeg(leg);
    return this.abandonConsult(call, '坐席取消了转接').then(() => ({ ok: true }) as const);
  }

  hangup(callId: string): void {
    const call = this.calls.get(callId);
    if (!call || call.ended) return;
    if (!call.aAnswered) {
      this.stack.respond(call.aInvite, 480, 'Temporarily Unavailable', {
        headers: { to: { ...call.aInvite.headers.to!, params: { tag: call.a.localTag } } },
      });
    } else this.bye(call.a);
    this.end(call, 'desk', '平台挂断');
  }

  // ---- the machinery ----

  private targetFor(target: string): { uri: string; flow: Flow; kind: 'seat' | 'peer' } | null {
    const seat = this.registrar.find(target);
    if (seat) return { uri: seat.contact, flow: seat.flow, kind: 'seat' };
    const p = this.opts.peer;
    if (p && (this.opts.peerNumbers?.has(target) ?? true))
      return {
        uri: `sip:${target}@${p.host}:${p.port}`,
        flow: { protocol: p.protocol, address: p.host, port: p.port },
        kind: 'peer',
      };
    return null;
  }

  private startTransfer(
    call: Call,
    target: string,
    mode: TransferMode,
    referFrom: Leg | null,
  ): Promise<TransferOutcome> {
    const dest = this.targetFor(target);
    if (!dest) return Promise.resolve({ ok: false, reason: '404 Not Found' });
    return new Promise<TransferOutcome>((resolve) => {
      call.transfer = { target, mode, referFrom, done: resolve };
      this.emit({ type: 'transferring', at: new Date(), callId: call.id, target, mode });
      const leg = this.callTarget(call, dest, target, call.aSdp);
      call.c = leg.leg;
      const ring = this.ringLimit(call, leg.leg);
      leg.onFinal = (rs) => {
        ring.stop();
        const t = call.transfer;
        call.transfer = null;
        if (call.ended) {
          if (rs.status! < 300) this.bye(leg.leg.dialog);
          t?.done({ ok: false, reason: '487 Request Terminated' });
          return;
        }
        if (rs.status! >= 200 && rs.status! < 300) {
          const old = call.b;
          if (old) call.retired.push(old);
          call.b = leg.leg;
          call.c = null;
          this.connectCaller(call, leg.leg, () => {
            this.emit({ type: 'transferred', at: new Date(), callId: call.id, target, mode });
            // The console's transfer releases the seat; after a REFER the seat hangs up itself.
            if (old && old.state === 'confirmed' && mode === 'console') this.bye(old.dialog);
            t?.done({ ok: true });
          });
        } else {
          call.c = null;
          const reason = ring.timedOut() ? `对方${ring.seconds}秒内无人接听` : `${rs.status} ${rs.reason ?? ''}`.trim();
          this.emit({ type: 'transfer_failed', at: new Date(), callId: call.id, target, reason });
          t?.done({ ok: false, reason });
          // A blind transfer whose transferor has gone leaves the caller with nobody: the ACD takes it back.
          if (!call.b)
            this.emit({ type: 'returned', at: new Date(), callId: call.id, reason: `转接失败（${reason}）` });
        }
      };
    });
  }

  /**
   * The attended transfer's end: the target is given the caller's media and the caller the target's,
   * and the seat is released (`seatGone`: it has hung up already).
   */
  private async finishConsult(call: Call, seatGone: boolean): Promise<TransferOutcome> {
    const k = call.consult!;
    const seat = call.b!;
    call.consult = null;
    call.retired.push(seat);
    call.b = k.leg;
    call.c = null;
    if (seat.state !== 'ended' && !seatGone) this.bye(seat.dialog);
    seat.state = 'ended';
    const toTarget = await this.reinvite(call, k.leg.dialog, call.aSdp ?? undefined);
    if (toTarget?.content) k.leg.sdp = toTarget.content;
    const toCaller = await this.reinvite(call, call.a, k.leg.sdp ?? undefined);
    if (toCaller?.content) call.aSdp = toCaller.content;
    if (call.ended) return { ok: false, reason: '487 Request Terminated' };
    this.emit({ type: 'transferred', at: new Date(), callId: call.id, target: k.target, mode: 'attended' });
    return { ok: true };
  }

  /** The consultation given up (the target did not answer, hung up, or the seat cancelled): caller and seat speak again. */
  private async abandonConsult(call: Call, reason: string): Promise<void> {
    const k = call.consult;
    if (!k) return;
    call.consult = null;
    this.emit({ type: 'transfer_failed', at: new Date(), callId: call.id, target: k.target, reason });
    const seat = call.b;
    if (!seat || seat.state !== 'confirmed' || call.ended) return;
    if (k.talking) await this.reinvite(call, seat.dialog, call.aSdp ?? undefined);
    await this.reinvite(call, call.a, seat.sdp ?? undefined);
  }

  /**
   * A re-INVITE the desk sends on one of the call's dialogs, after any still outstanding on the same
   * dialog (two at once would be refused 491); resolves with the final response, or null.
   */
  private reinvite(call: Call, d: Dialog, sdp: string | undefined): Promise<Message | null> {
    const prior = this.reinvites.get(d) ?? Promise.resolve(null);
    const next = prior.then(
      () =>
        new Promise<Message | null>((resolve) => {
          if (call.ended) return resolve(null);
          this.stack.request(d.request('INVITE', {}, sdp), d.flow, (rs) => {
            if (rs.status! < 200) return;
            if (rs.status! < 300) this.stack.sendRaw(d.request('ACK'), d.flow);
            resolve(rs.status! < 300 ? rs : null);
          });
        }),
    );
    this.reinvites.set(d, next);
    return next;
  }

  /** Calls a transfer's target as the caller (name and number), with the call's reference, offering `offer`. */
  private callTarget(
    call: Call,
    dest: { uri: string; flow: Flow; kind: Leg['kind'] },
    target: string,
    offer: string | null,
  ) {
    const from = call.aInvite.headers.from!;
    return this.call(
      call,
      dest.uri,
      dest.flow,
      dest.kind,
      target,
      { 'x-liandong-call-ref': call.callRef },
      from.name?.replace(/^"|"$/g, '') ?? undefined,
      `sip:${uriUser(from.uri) ?? 'anonymous'}@${this.stack.host}`,
      offer,
    );
  }

  /**
   * Nobody answering at a transfer's target must not hold the call (nor the console's request) for ever:
   * the leg is cancelled after `transferRingSeconds` (30) unless it was answered or ended first.
   */
  private ringLimit(call: Call, leg: Leg) {
    let timedOut = false;
    const seconds = this.opts.transferRingSeconds ?? 30;
    const timer = setTimeout(() => {
      if (call.c !== leg || leg.state === 'confirmed' || leg.state === 'ended') return;
      timedOut = true;
      this.cancelLeg(leg);
    }, seconds * 1000);
    timer.unref();
    return { seconds, timedOut: () => timedOut, stop: () => clearTimeout(timer) };
  }

  /** Starts an outgoing INVITE leg, offering the caller's media. */
  private call(
    call: Call,
    uri: string,
    flow: Flow,
    kind: Leg['kind'],
    target: string,
    headers: Record<string, string>,
    fromName: string | undefined,
    fromUri: string,
    offer: string | null = call.aSdp,
  ): { leg: Leg; onProgress?: (rs: Message) => void; onFinal?: (rs: Message) => void } {
    const dialog = Dialog.outgoing(uri, fromUri, flow, this.contact, fromName);
    const leg: Leg = { dialog, kind, target, state: 'calling', invite: null, sdp: null };
    const handle: { leg: Leg; onProgress?: (rs: Message) => void; onFinal?: (rs: Message) => void } = { leg };
    const invite = dialog.request('INVITE', headers, offer ?? undefined);
    leg.invite = invite;
    this.byDialog.set(dialog.callId, call);
    let final = false;
    this.stack.request(invite, flow, (rs) => {
      if (rs.status! < 200) {
        if (leg.state === 'calling') leg.state = 'early';
        handle.onProgress?.(rs);
        return;
      }
      if (rs.status! < 300) {
        dialog.confirm(rs);
        this.stack.sendRaw(dialog.request('ACK'), flow);
        if (final) return; // a retransmitted 2xx: ACKed again above
        leg.state = leg.state === 'ended' ? 'ended' : 'confirmed';
        leg.sdp = rs.content || null;
        final = true;
        if (leg.state === 'ended') return this.bye(dialog); // cancelled too late: hang up at once
        handle.onFinal?.(rs);
        return;
      }
      if (final) return;
      final = true;
      leg.state = 'ended';
      this.byDialog.delete(dialog.callId);
      handle.onFinal?.(rs);
    });
    return handle;
  }

  /** Connects the caller to a leg that has answered: the first 200 to the caller, or a re-INVITE afterwards. */
  private connectCaller(call: Call, leg: Leg, then: () => void): void {
    if (!call.aAnswered) {
      call.aAnswered = true;
      const ok = this.stack.respond(call.aInvite, 200, 'OK', {
        headers: {
          to: { ...call.aInvite.headers.to!, params: { tag: call.a.localTag } },
          contact: [{ uri: this.contact, params: {} }],
          ...(leg.sdp ? { 'content-type': 'application/sdp' } : {}),
        },
        ...(leg.sdp ? { content: leg.sdp } : {}),
      });
      call.aOk = ok ?? null;
      if (ok && call.a.flow.protocol === 'UDP') this.retransmitOk(call, ok);
      then();
      return;
    }
    const reinvite = call.a.request('INVITE', {}, leg.sdp ?? undefined);
    this.stack.request(reinvite, call.a.flow, (rs) => {
      if (rs.status! < 200) return;
      if (rs.status! < 300) {
        this.stack.sendRaw(call.a.request('ACK'), call.a.flow);
        call.aSdp = rs.content || call.aSdp;
      }
      then();
    });
  }

  /** RFC 6026 §8.1: the UAS core re-sends the 2xx at T1, 2·T1 … until the ACK comes (at most 64·T1). */
  private retransmitOk(call: Call, ok: Message): void {
    let t = 500;
    let total = 0;
    const tick = () => {
      if (call.aOk !== ok || call.ended || total > 32_000) return;
      this.stack.resend(ok);
      total += t;
      t = Math.min(t * 2, 4000);
      setTimeout(tick, t).unref();
    };
    setTimeout(tick, t).unref();
  }

  private cancelLeg(leg: Leg): void {
    if (leg.state === 'confirmed') return this.bye(leg.dialog);
    if (!leg.invite || leg.state === 'ended') return;
    leg.state = 'ended';
    const inv = leg.invite;
    const cancel: Message = {
      method: 'CANCEL',
      uri: inv.uri,
      headers: {
        via: [inv.headers.via![0]!],
        to: inv.headers.to,
        from: inv.headers.from,
        'call-id': inv.headers['call-id'],
        cseq: { seq: inv.headers.cseq!.seq, method: 'CANCEL' },
        'max-forwards': 70,
      },
    };
    this.stack.request(cancel, leg.dialog.flow, () => undefined);
  }

  private bye(d: Dialog | Leg): void {
    const dialog = d instanceof Dialog ? d : d.dialog;
    this.stack.request(dialog.request('BYE'), dialog.flow, () => undefined);
  }

  private end(call: Call, by: 'caller' | 'agent' | 'peer' | 'desk', reason: string): void {
    if (call.ended) return;
    call.ended = true;
    const duringTransfer = call.transfer !== null || call.consult !== null;
    for (const leg of [call.b, call.c]) if (leg && leg.state !== 'ended') this.cancelLeg(leg);
    if (by !== 'caller' && by !== 'desk' && call.aAnswered) this.bye(call.a);
    call.transfer?.done({ ok: false, reason: '487 Request Terminated' });
    call.consult = null;
    this.emit({ type: 'ended', at: new Date(), callId: call.id, by, reason, duringTransfer, recordingRef: null });
    // Keep the dialogs a little for late retransmissions, then forget the call.
    setTimeout(() => {
      this.calls.delete(call.id);
      for (const [k, v] of this.byDialog) if (v === call) this.byDialog.delete(k);
    }, 32_000).unref();
  }

  async close(): Promise<void> {
    for (const call of this.calls.values()) if (!call.ended) this.hangup(call.id);
    this.registrar.close();
    await new Promise((r) => setTimeout(r, 20));
    await this.stack.close();
  }
}
