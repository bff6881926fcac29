import type { Room, RoomEventMap } from '../../../sdk/src/index.js';

type Payload<E extends keyof RoomEventMap> = Parameters<RoomEventMap[E]>[0];

/** Resolves with the next `event` of `room` that satisfies `match`. */
export function nextEvent<
  E extends 'message' | 'file' | 'member' | 'closed' | 'reconnect' | 'error' | 'dropped' | 'key_changed' | 'typing',
>(room: Room<unknown>, event: E, match: (payload: Payload<E>) => boolean = () => true, timeoutMs = 10_000): Promise<Payload<E>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = room.on(event, ((payload: Payload<E>) => {
      if (!match(payload)) return;
      clearTimeout(timer);
      off();
      resolve(payload);
    }) as RoomEventMap[E]);
  });
}

/** Records every `event` of `room`, in order. */
export function record<
  E extends 'message' | 'file' | 'member' | 'closed' | 'reconnect' | 'error' | 'disconnect' | 'dropped' | 'key_changed' | 'typing',
>(room: Room<unknown>, event: E): Array<Payload<E>> {
  const seen: Array<Payload<E>> = [];
  room.on(event, ((payload: Payload<E>) => {
    seen.push(payload);
  }) as RoomEventMap[E]);
  return seen;
}

/** Fast reconnects for tests. */
export const FAST_REALTIME = { ackTimeoutMs: 5000, socket: { reconnectionDelay: 50, reconnectionDelayMax: 200 } };

/** Waits until `condition` holds (polling), or fails after `timeoutMs`. */
export async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
