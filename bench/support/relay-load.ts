/**
 * The load generator's parts shared by the relay benchmarks (realtime-relay and cluster-relay): the sealed
 * payload, websocket clients, and the ledger that tracks every message until all its recipients have it.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { io as connectClient, type Socket } from 'socket.io-client';

/** A 256-byte message as the SDK seals it: 12-byte iv and 272 bytes of ciphertext (363 base64url characters). */
export const sealedPayload = { iv: randomBytes(12).toString('base64url'), ct: randomBytes(256 + 16).toString('base64url') };

/** Sealroom's defaults, except the rate limits and caps, raised so that the load generator (one IP) is not refused. */
export const unthrottledSealroomEnv = {
  LOG_LEVEL: 'warn',
  RATE_LIMIT_CREATE_ROOM: '1000000',
  RATE_LIMIT_LOOKUP: '1000000', // a join also counts as a lookup of the room
  SOCKET_SENDS_PER_SECOND: '1000000',
  SOCKET_IP_SENDS_PER_SECOND: '1000000',
  SOCKET_JOINS_PER_MINUTE: '1000000',
  SOCKET_IP_JOINS_PER_MINUTE: '1000000',
  SOCKET_MAX_PER_IP: '1000000',
  ROOM_MAX_MEMBERS: '1000',
};

export const nowUs = () => Number(process.hrtime.bigint() / 1000n);
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** A free TCP port on loopback (asked of the OS, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** A Socket.IO client on the websocket transport, without reconnection: a dropped connection must show. */
export function connectWebsocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connectClient(`http://127.0.0.1:${port}`, { transports: ['websocket'], forceNew: true, reconnection: false });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

/**
 * Every message in flight and when it was sent; a delivery counts (with its latency) while `measuring`, and
 * a message is done when its last recipient has it. What is left in `remaining` at the end was lost.
 */
export class DeliveryLedger {
  readonly sentAt = new Map<string, number>();
  readonly remaining = new Map<string, number>();
  readonly latenciesUs: number[] = [];
  deliveries = 0;
  measuring = false;
  onFullyDelivered?: (id: string) => void;
  private counter = 0;

  /** Records a new message for `recipients` and returns its id. */
  sent(recipients: number): string {
    const id = `b${(this.counter++).toString(36).padStart(7, '0')}`;
    this.sentAt.set(id, nowUs());
    this.remaining.set(id, recipients);
    return id;
  }

  delivered(id: string): void {
    const sent = this.sentAt.get(id);
    if (sent === undefined) return;
    if (this.measuring) {
      this.deliveries++;
      this.latenciesUs.push(nowUs() - sent);
    }
    const left = (this.remaining.get(id) ?? 0) - 1;
    if (left > 0) {
      this.remaining.set(id, left);
      return;
    }
    this.remaining.delete(id);
    this.sentAt.delete(id);
    this.onFullyDelivered?.(id);
  }
}
