/** SIP dialogs (RFC 3261 §12) and the header helpers the desk's user agent needs. */
import sip, { type Message, type NameAddr } from 'sip';
import { newBranch, newTag, type Flow } from './stack.ts';

export function uriUser(uri: string | undefined): string | null {
  if (!uri) return null;
  const u = sip.parseUri(uri);
  return u?.user ? decodeURIComponent(u.user) : null;
}

export function contactUri(m: Message): string | null {
  const c = m.headers.contact;
  return Array.isArray(c) && c[0] ? c[0].uri : null;
}

export const header = (m: Message, name: string): string | undefined => {
  const v = m.headers[name.toLowerCase()];
  return typeof v === 'string' ? v : undefined;
};

/** The media direction an SDP body asks for (hold is sendonly or inactive, RFC 3264 §8.4). */
export function sdpDirection(sdp: string | undefined): 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive' {
  const m = /^a=(sendrecv|sendonly|recvonly|inactive)\s*$/m.exec(sdp ?? '');
  if (m) return m[1] as 'sendrecv';
  return /^c=IN IP4 0\.0\.0\.0/m.test(sdp ?? '') ? 'inactive' : 'sendrecv';
}

export class Dialog {
  localSeq = Math.floor(Math.random() * 10_000) + 1;
  remoteSeq = 0;
  remoteTag: string | null = null;
  remoteTarget: string;
  /** CSeq of the last INVITE sent, for its ACK */
  inviteSeq = 0;

  constructor(
    readonly callId: string,
    readonly localTag: string,
    readonly localUri: string,
    readonly remoteUri: string,
    remoteTarget: string,
    /** where the other side's messages come from; in-dialog requests go back there (symmetric, as an SBC does) */
    public flow: Flow,
    readonly contact: string,
    readonly localName?: string,
  ) {
    this.remoteTarget = remoteTarget;
  }

  /** The desk as UAS of an incoming INVITE. */
  static fromInvite(rq: Message, flow: Flow, contact: string): Dialog {
    const from = rq.headers.from!;
    const to = rq.headers.to!;
    const d = new Dialog(
      rq.headers['call-id']!,
      (to.params.tag as string | undefined) ?? newTag(),
      to.uri,
      from.uri,
      contactUri(rq) ?? from.uri,
      flow,
      contact,
    );
    d.remoteTag = (from.params.tag as string | null) ?? null;
    d.remoteSeq = rq.headers.cseq!.seq;
    return d;
  }

  /** The desk as UAC: a new call to `targetUri`, sent to `flow`. */
  static outgoing(targetUri: string, fromUri: string, flow: Flow, contact: string, fromName?: string): Dialog {
    return new Dialog(
      `${newTag()}${newTag()}@liandong`,
      newTag(),
      fromUri,
      targetUri,
      targetUri,
      flow,
      contact,
      fromName,
    );
  }

  private addr(uri: string, tag: string | null, name?: string): NameAddr {
    return { ...(name ? { name: `"${name}"` } : {}), uri, params: tag ? { tag } : {} };
  }

  request(method: string, extra: Record<string, unknown> = {}, content?: string): Message {
    const seq = method === 'ACK' ? this.inviteSeq : ++this.localSeq;
    if (method === 'INVITE') this.inviteSeq = seq;
    return {
      method,
      uri: this.remoteTarget,
      headers: {
        to: this.addr(this.remoteUri, this.remoteTag),
        from: this.addr(this.localUri, this.localTag, this.localName),
        'call-id': this.callId,
        cseq: { seq, method },
        contact: [{ uri: this.contact, params: {} }],
        'max-forwards': 70,
        ...(method === 'ACK' ? { via: [{ params: { branch: newBranch() } }] } : {}),
        ...(content ? { 'content-type': 'application/sdp' } : {}),
        ...extra,
      },
      ...(content ? { content } : {}),
    };
  }

  /** Learns the other side's tag and target from a 2xx (or 1xx with a tag). */
  confirm(rs: Message): void {
    const tag = rs.headers.to?.params.tag;
    if (typeof tag === 'string') this.remoteTag = tag;
    const c = contactUri(rs);
    if (c) this.remoteTarget = c;
  }

  /** Whether an in-dialog request belongs here. */
  matches(m: Message): boolean {
    return (
      m.headers['call-id'] === this.callId &&
      (m.headers.to?.params.tag ?? null) === this.localTag &&
      (this.remoteTag === null || (m.headers.from?.params.tag ?? null) === this.remoteTag)
    );
  }
}
