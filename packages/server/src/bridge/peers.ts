/**
 * Where messages go and whose signatures are accepted: the peer desk (deployment settings) and the
 * connectors (database, reloaded when an administrator edits them and every 30 s for other processes).
 */
import type { BridgeConfig } from '../config.ts';
import type { Db } from '../db/pool.ts';
import { isServiceConnectorKind, type ServiceConnectorKind } from '@liandong/domain';
import type { InboundKey } from './signing.ts';

export interface Peer {
  id: string;
  url: string;
  keyId: string;
  key: string;
  alg: 'hmac-sha256' | 'hmac-sm3';
  connector: boolean;
}

/** A service connector (SMS gateway, 互联网+督查, 好差评): where the desk sends, and the key it is answered with. */
export interface ServicePeer extends Peer {
  kind: ServiceConnectorKind;
  inboundKeyId: string;
  inboundKey: InboundKey;
}

const RELOAD_MS = 30_000;

export class PeerDirectory {
  private peers = new Map<string, Peer>();
  private inbound = new Map<string, InboundKey>();
  /** inbound key id → the peer it identifies, so a connector can only speak for itself */
  private keyOwner = new Map<string, string>();
  private services = new Map<string, ServicePeer>();
  private loadedAt = 0;

  constructor(
    private readonly db: Db,
    private readonly desk: BridgeConfig | null,
  ) {}

  async reload(): Promise<void> {
    const peers = new Map<string, Peer>();
    const inbound = new Map<string, InboundKey>();
    const owner = new Map<string, string>();
    const services = new Map<string, ServicePeer>();
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
      kind: string;
      endpoint_url: string;
      key_id: string;
      key_secret: string;
      inbound_key_id: string;
      inbound_key_secret: string;
      alg: Peer['alg'];
    }>(
      'SELECT id, kind, endpoint_url, key_id, key_secret, inbound_key_id, inbound_key_secret, alg FROM connectors WHERE active',
    );
    for (const c of rows.rows) {
      const peer: Peer = {
        id: c.id,
        url: c.endpoint_url.replace(/\/$/, ''),
        keyId: c.key_id,
        key: c.key_secret,
        alg: c.alg,
        connector: true,
      };
      // Service connectors take no part in linkage: not a transfer target, their keys not taken on the wire.
      if (isServiceConnectorKind(c.kind)) {
        services.set(c.id, {
          ...peer,
          kind: c.kind,
          inboundKeyId: c.inbound_key_id,
          inboundKey: { secret: c.inbound_key_secret, alg: c.alg },
        });
        continue;
      }
      peers.set(c.id, peer);
      inbound.set(c.inbound_key_id, { secret: c.inbound_key_secret, alg: c.alg });
      owner.set(c.inbound_key_id, c.id);
    }
    this.peers = peers;
    this.inbound = inbound;
    this.keyOwner = owner;
    this.services = services;
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
  /** A service connector by id (active), whatever its kind. */
  service(id: string): ServicePeer | undefined {
    return this.services.get(id);
  }
  /** The active service connectors of one kind, by id. */
  servicesOf(kind: ServiceConnectorKind): ServicePeer[] {
    return [...this.services.values()].filter((s) => s.kind === kind).sort((a, b) => a.id.localeCompare(b.id));
  }
  all(): Peer[] {
    return [...this.peers.values()];
  }
}
