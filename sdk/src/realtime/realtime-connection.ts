/**
 * One Socket.IO connection to a Sealroom server, shared by the rooms a client joined, typed with the event
 * declarations generated from asyncapi.yaml (generated/realtime/events.ts). It routes server events to the
 * room they name, turns acks into results or typed errors, and reconnects: Socket.IO retries dropped
 * connections by itself, and this class also reconnects after the server dropped it on purpose (which
 * Socket.IO leaves to the application).
 */
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { SealroomError, SealroomServerError } from '../errors.js';
import type {
  ClientEventName,
  ClientToServerEvents,
  ErrorAck,
  FileSharePayload,
  MessageSendPayload,
  OkAck,
  RoomJoinAck,
  RoomJoinPayload,
  RoomLeavePayload,
  RoomTypingPayload,
  SendAck,
  ServerEventName,
  ServerEventPayload,
  ServerToClientEvents,
} from '@sealroom/contracts';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A server event with its payload, as a union that narrows on `event`. */
export type ServerEvent = { [E in ServerEventName]: { event: E; payload: ServerEventPayload<E> } }[ServerEventName];

/** What a room receives from the connection. */
export interface RoomChannel {
  /** A server event for this room. */
  receive(event: ServerEvent): void;
  /** The connection dropped; it is being re-established. */
  disconnected(): void;
  /** The connection is back. `recovered`: Socket.IO restored the session, rooms and missed events included. */
  reconnected(recovered: boolean): void;
}

export interface RealtimeOptions {
  /** How long to wait for an acknowledgement before retrying or failing, in ms (10,000). */
  ackTimeoutMs?: number;
  /** Passed to socket.io-client's `io()` (e.g. `reconnectionDelay`, `transports`, `extraHeaders`). */
  socket?: Partial<ManagerOptions & SocketOptions>;
}

const DEFAULT_ACK_TIMEOUT_MS = 10_000;

export class RealtimeConnection {
  private readonly socket: ClientSocket;
  private readonly channels = new Map<string, RoomChannel>();
  private readonly ackTimeoutMs: number;
  private everConnected = false;
  private closed = false;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(baseUrl: string, options: RealtimeOptions = {}) {
    this.ackTimeoutMs = options.ackTimeoutMs ?? DEFAULT_ACK_TIMEOUT_MS;
    const url = new URL(baseUrl);
    // A BASE_URL with a path prefix (https://host/sealroom) serves Socket.IO under that prefix.
    const path = `${url.pathname.replace(/\/+$/, '')}/socket.io/`;
    this.socket = io(url.origin, {
      path,
      transports: ['websocket', 'polling'], // websocket first (PROTOCOL.md, 8.1); long-polling where websockets are blocked
      forceNew: true,
      ...options.socket,
    });
    this.socket.on('connect', () => {
      const reconnect = this.everConnected;
      this.everConnected = true;
      if (reconnect) for (const channel of [...this.channels.values()]) channel.reconnected(this.socket.recovered);
    });
    this.socket.on('disconnect', (reason) => {
      if (this.closed) return;
      for (const channel of [...this.channels.values()]) channel.disconnected();
      // Socket.IO reconnects by itself except after the server disconnected this socket on purpose.
      if (reason === 'io server disconnect') {
        const delay = options.socket?.reconnectionDelay ?? 1000;
        this.reconnectTimer = setTimeout(() => this.socket.connect(), delay);
      }
    });
    this.socket.on('member:joined', (payload) => this.route({ event: 'member:joined', payload }));
    this.socket.on('member:left', (payload) => this.route({ event: 'member:left', payload }));
    this.socket.on('message:new', (payload) => this.route({ event: 'message:new', payload }));
    this.socket.on('file:new', (payload) => this.route({ event: 'file:new', payload }));
    this.socket.on('room:closed', (payload) => this.route({ event: 'room:closed', payload }));
    this.socket.on('member:typing', (payload) => this.route({ event: 'member:typing', payload }));
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  /** Rooms registered on this connection. */
  get roomCount(): number {
    return this.channels.size;
  }

  register(roomId: string, channel: RoomChannel): void {
    this.channels.set(roomId, channel);
  }

  unregister(roomId: string, channel: RoomChannel): void {
    if (this.channels.get(roomId) === channel) this.channels.delete(roomId);
  }

  /**
   * Resolves once connected. Before the first connection, a failure rejects (NETWORK_ERROR, or the server's
   * TOO_MANY_CONNECTIONS) instead of waiting for Socket.IO's retries; afterwards it waits for the reconnect.
   */
  ready(): Promise<void> {
    if (this.socket.connected) return Promise.resolve();
    if (this.closed) return Promise.reject(new SealroomError('NETWORK_ERROR', 'the connection is closed'));
    return new Promise<void>((resolve, reject) => {
      const onConnect = () => {
        this.socket.off('connect_error', onError);
        resolve();
      };
      const onError = (error: Error) => {
        if (this.everConnected) return; // a reconnect attempt failed; Socket.IO tries again
        this.socket.off('connect', onConnect);
        this.socket.off('connect_error', onError);
        reject(
          error.message === 'TOO_MANY_CONNECTIONS'
            ? new SealroomServerError('TOO_MANY_CONNECTIONS', 'the server refused the connection: too many from this address')
            : new SealroomError('NETWORK_ERROR', `could not connect to the Sealroom server: ${error.message}`, { cause: error }),
        );
      };
      this.socket.once('connect', onConnect);
      this.socket.on('connect_error', onError);
      if (!this.socket.active) this.socket.connect();
    });
  }

  /** `room:join`; resolves with the members present and the backlog. @throws see {@link settle} */
  join(payload: RoomJoinPayload): Promise<RoomJoinAck> {
    return this.settle('room:join', () => this.withAckTimeout().emitWithAck('room:join', payload));
  }

  /** `room:leave`. @throws see {@link settle} */
  leave(payload: RoomLeavePayload): Promise<OkAck> {
    return this.settle('room:leave', () => this.withAckTimeout().emitWithAck('room:leave', payload));
  }

  /** `message:send`; resolves with the server's sequence number and time. @throws see {@link settle} */
  sendMessage(payload: MessageSendPayload): Promise<SendAck> {
    return this.settle('message:send', () => this.withAckTimeout().emitWithAck('message:send', payload));
  }

  /** `file:share`; resolves with the server's sequence number and time. @throws see {@link settle} */
  shareFile(payload: FileSharePayload): Promise<SendAck> {
    return this.settle('file:share', () => this.withAckTimeout().emitWithAck('file:share', payload));
  }

  /** `room:typing`. @throws see {@link settle} */
  typing(payload: RoomTypingPayload): Promise<OkAck> {
    return this.settle('room:typing', () => this.withAckTimeout().emitWithAck('room:typing', payload));
  }

  private withAckTimeout() {
    return this.socket.timeout(this.ackTimeoutMs);
  }

  /**
   * Sends (if connected) and turns the acknowledgement into a result.
   * @throws SealroomServerError (the ack's error code, with `retryAfterSeconds` for RATE_LIMITED),
   *   SealroomError `TIMEOUT` (no ack in time) or `NETWORK_ERROR` (not connected, or the connection dropped)
   */
  private async settle<R extends { ok: true }>(event: ClientEventName, send: () => Promise<R | ErrorAck>): Promise<R> {
    if (!this.socket.connected) throw new SealroomError('NETWORK_ERROR', 'not connected to the Sealroom server');
    let reply: R | ErrorAck;
    try {
      reply = await send();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (/timed out/i.test(message))
        throw new SealroomError('TIMEOUT', `no answer to ${event} within ${this.ackTimeoutMs} ms`, { cause: error });
      throw new SealroomError('NETWORK_ERROR', `${event} was not acknowledged: ${message}`, { cause: error });
    }
    if (reply.ok) return reply;
    const { code, message, retry_after: retryAfter } = reply.error;
    throw new SealroomServerError(code, message, retryAfter !== undefined ? { retryAfterSeconds: retryAfter } : {});
  }

  /** Disconnects for good. */
  close(): void {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    this.channels.clear();
    this.socket.disconnect();
  }

  /** For tests: the underlying socket's id (the server's handle on this connection). */
  get socketId(): string | undefined {
    return this.socket.id;
  }

  private route(event: ServerEvent): void {
    this.channels.get(event.payload.room_id)?.receive(event);
  }
}
