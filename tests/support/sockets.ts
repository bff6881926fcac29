import { randomBytes } from 'node:crypto';
import { io as connectClient, type Socket } from 'socket.io-client';
import type {
  ClientEventName,
  ClientEventPayload,
  ClientEventReply,
  ClientToServerEvents,
  ServerEventName,
  ServerEventPayload,
  ServerToClientEvents,
} from '@sealroom/contracts';
import { RealtimeContract } from '../../src/realtime/contract';
import type { TestRoom } from './rooms';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const contract = new RealtimeContract();
const SERVER_EVENT_SCHEMAS: Record<ServerEventName, string> = {
  'member:joined': 'MemberJoinedPayload',
  'member:left': 'MemberLeftPayload',
  'message:new': 'MessageNewPayload',
  'file:new': 'FileNewPayload',
  'room:closed': 'RoomClosedPayload',
  'member:typing': 'MemberTypingPayload',
};
const ACK_SCHEMAS: Record<ClientEventName, string[]> = {
  'room:join': ['RoomJoinAck', 'ErrorAck'],
  'room:leave': ['OkAck', 'ErrorAck'],
  'message:send': ['SendAck', 'ErrorAck'],
  'file:share': ['SendAck', 'ErrorAck'],
  'room:typing': ['OkAck', 'ErrorAck'],
};

/** Every event or ack a test client received that does not match asyncapi.yaml. Tests assert it stays empty. */
export const contractViolations: string[] = [];

function checkAgainst(what: string, schemas: string[], value: unknown): void {
  if (!schemas.some((name) => contract.schema(name)(value))) {
    contractViolations.push(`${what} does not match ${schemas.join(' | ')}: ${JSON.stringify(value).slice(0, 300)}`);
  }
}

/** A real socket.io-client over a websocket; every event it receives is checked against the contract. */
export function connect(url: string, options: { autoConnect?: boolean; reconnection?: boolean } = {}): ClientSocket {
  const socket: ClientSocket = connectClient(url, {
    transports: ['websocket'],
    forceNew: true,
    reconnectionDelay: 50,
    reconnectionDelayMax: 200,
    ...options,
  });
  socket.onAny((event: string, payload: unknown) => {
    const schema = SERVER_EVENT_SCHEMAS[event as ServerEventName];
    if (!schema) contractViolations.push(`unknown server event ${event}`);
    else checkAgainst(event, [schema], payload);
  });
  return socket;
}

export function connected(socket: ClientSocket): Promise<void> {
  if (socket.connected) return Promise.resolve();
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
}

/** Emits an event and resolves with its acknowledgement (checked against the contract). */
export async function request<E extends ClientEventName>(
  socket: ClientSocket,
  event: E,
  payload: ClientEventPayload<E>,
): Promise<ClientEventReply<E>> {
  const emit = socket.timeout(10_000).emitWithAck as unknown as (e: E, p: ClientEventPayload<E>) => Promise<ClientEventReply<E>>;
  const reply = await emit.call(socket.timeout(10_000), event, payload);
  checkAgainst(`${event} ack`, ACK_SCHEMAS[event], reply);
  return reply;
}

/** Resolves with the next `event` the socket receives that satisfies `match`. */
export function next<E extends ServerEventName>(
  socket: ClientSocket,
  event: E,
  match: (p: ServerEventPayload<E>) => boolean = () => true,
  timeoutMs = 10_000,
): Promise<ServerEventPayload<E>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, handler as never);
      reject(new Error(`no ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    const handler = (payload: ServerEventPayload<E>) => {
      if (!match(payload)) return;
      clearTimeout(timer);
      socket.off(event, handler as never);
      resolve(payload);
    };
    socket.on(event, handler as never);
  });
}

/** Collects every `event` a socket receives, in order. */
export function collect<E extends ServerEventName>(socket: ClientSocket, event: E): Array<ServerEventPayload<E>> {
  const seen: Array<ServerEventPayload<E>> = [];
  socket.on(event, ((payload: ServerEventPayload<E>) => seen.push(payload)) as never);
  return seen;
}

export const b64 = (bytes: number) => randomBytes(bytes).toString('base64url');
/** A sealed value of the right shape (the server cannot tell it from a real one). */
export const sealed = (plaintextBytes = 256) => ({ iv: b64(12), ct: b64(plaintextBytes + 16) });
export const newId = () => b64(16);

/** Joins `room` as a fresh member; resolves with the ack (throws if refused). */
export async function join(socket: ClientSocket, room: TestRoom, memberId = newId()) {
  await connected(socket);
  const reply = await request(socket, 'room:join', {
    protocol: 'sealroom/v2',
    room_id: room.roomId,
    member_id: memberId,
    proof: room.proof('join'),
    profile: sealed(),
  });
  if (!reply.ok) throw new Error(`join refused: ${reply.error.code} ${reply.error.message}`);
  return reply;
}

export function sendMessage(socket: ClientSocket, roomId: string, id = newId()) {
  return request(socket, 'message:send', { room_id: roomId, id, ...sealed() });
}
