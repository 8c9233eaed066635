/** Types for the parts of the `sip` package (kirm/sip.js 0.0.6, untyped CommonJS) that Liandong uses. */
declare module 'sip' {
  export interface SipUri {
    schema: string;
    user?: string;
    password?: string;
    host: string;
    port?: number;
    params: Record<string, string | null>;
    headers: Record<string, string>;
  }
  export interface NameAddr {
    name?: string;
    uri: string;
    params: Record<string, string | null>;
  }
  export interface Via {
    version?: string;
    protocol?: string;
    host?: string;
    port?: number;
    params: Record<string, string | number | null>;
  }
  export interface Headers {
    via?: Via[];
    to?: NameAddr;
    from?: NameAddr;
    'call-id'?: string;
    cseq?: { seq: number; method: string };
    contact?: NameAddr[] | '*';
    'content-length'?: number;
    [name: string]: unknown;
  }
  export interface Message {
    method?: string;
    uri?: string;
    status?: number;
    reason?: string;
    version?: string;
    headers: Headers;
    content?: string;
  }
  export interface Connection {
    send(m: Message): void;
    protocol: string;
    release(): void;
  }
  export interface ServerTransaction {
    send(m: Message): void;
    message(m: Message): void;
    shutdown(): void;
  }
  export interface ClientTransaction {
    message(m: Message, remote?: unknown): void;
    shutdown(): void;
  }
  export interface TransactionLayer {
    createServerTransaction(rq: Message, cn: Connection): ServerTransaction;
    createClientTransaction(cn: Connection, rq: Message, callback: (rs: Message) => void): ClientTransaction;
    getServer(m: Message): ServerTransaction | undefined;
    getClient(m: Message): ClientTransaction | undefined;
    destroy(): void;
  }
  export function parse(s: string | Buffer): Message | undefined;
  export function stringify(m: Message): string;
  export function parseUri(s: string): SipUri | undefined;
  export function stringifyUri(u: SipUri | string): string;
  export function parseAOR(d: { s: string; i: number }): NameAddr;
  export function makeResponse(
    rq: Message,
    status: number,
    reason?: string,
    extension?: { headers?: Record<string, unknown>; content?: string },
  ): Message;
  export function makeStreamParser(
    onMessage: (m: Message) => void,
    onFlood?: () => void,
    maxBytesHeaders?: number,
    maxContentLength?: number,
  ): (data: string) => void;
  export function makeTransactionLayer(
    options: Record<string, unknown>,
    open: (target: unknown, onError?: (e: Error) => void) => Connection,
  ): TransactionLayer;
  export function generateBranch(): string;
  const sip: {
    parse: typeof parse;
    stringify: typeof stringify;
    parseUri: typeof parseUri;
    stringifyUri: typeof stringifyUri;
    parseAOR: typeof parseAOR;
    makeResponse: typeof makeResponse;
    makeStreamParser: typeof makeStreamParser;
    makeTransactionLayer: typeof makeTransactionLayer;
    generateBranch: typeof generateBranch;
  };
  export default sip;
}
