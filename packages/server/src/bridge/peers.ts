/**
 * Where messages go and whose signatures are accepted: the peer desk (deployment settings) and the
 * connectors (database, reloaded when an administrator edits them and every 30 s for other processes).
 */
import type { BridgeConfig } from '../config.ts';
import type { Db } from '../db/pool.ts';
import type { InboundKey } from './signing.ts';

export interface Peer {
  id: string;
  url: string;
  keyId: string;
  key: string;
  alg: 'hmac-sha256' | 'hmac-sm3';
  connector: boolean;
}

const RELOAD_MS = 30_000;

export class PeerDirectory {
  private peers = new Map<string, Peer>();
  private inbound = new Map<string, InboundKey>();
  /** inbound key id → the peer it identifies, so a connector can only speak for itself */
  private keyOwner = new Map<string, string>();
  private loadedAt = 0;

  constructor(
    private readonly db: Db,
    private readonly desk: BridgeConfig | null,
  ) {}

  async reload(): Promise<void> {
    const peers = new Map<string, Peer>();
    const inbound = new Map<string, InboundKey>();
    const owner = new Map<string, string>();
    if (this.desk) {
      peers.set(this.desk.peerId, {
        id: this.desk.peerId,
        url: this.desk.peerUrl,
        keyId: this.desk.keyId,
        key: this.desk.key,
        alg: this.desk.alg,
        connector: false,
      });
      for (const [k, v] of this.desk.inboundKeys) {
        inbound.set(k, { secret: v, alg: this.desk.alg });
        owner.set(k, this.desk.peerId);
      }
    }
    const rows = await this.db.query<{
      id: string;
      endpoint_url: string;
      key_id: string;
      key_secret: string;
      inbound_key_id: string;
      inbound_key_secret: string;
      alg: Peer['alg'];
    }>(
      'SELECT id, endpoint_url, key_id, key_secret, inbound_key_id, inbound_key_secret, alg FROM connectors WHERE active',
    );
    for (const c of rows.rows) {
      peers.set(c.id, {
        id: c.id,
        url: c.endpoint_url.replace(/\/$/, ''),
        keyId: c.key_id,
        key: c.key_secret,
        alg: c.alg,
        connector: true,
      });
      inbound.set(c.inbound_key_id, { secret: c.inbound_key_secret, alg: c.alg });
      owner.set(c.inbound_key_id, c.id);
    }
    this.peers = peers;
    this.inbound = inbound;
    this.keyOwner = owner;
    this.loadedAt = Date.now();
  }

  async fresh(): Promise<this> {
    if (Date.now() - this.loadedAt > RELOAD_MS) await this.reload();
    return this;
  }

  peer(id: string): Peer | undefined {
    return this.peers.get(id);
  }
  inboundKeys(): Map<string, InboundKey> {
    return this.inbound;
  }
  ownerOf(keyId: string): string | undefined {
    return this.keyOwner.get(keyId);
  }
  all(): Peer[] {
    return [...this.peers.values()];
  }
}
