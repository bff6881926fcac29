/** The outbox: order of sends, retries with the same id, and what ends a send. */
import { SealroomError, SealroomServerError } from '../src/errors.js';
import type { SendAck } from '@sealroom/contracts';
import { Outbox, type OutboxHost } from '../src/realtime/outbox.js';

const ack = (id: string, seq: number): SendAck => ({ ok: true, id, seq, sent_at: 1, duplicate: false });
const tick = () => new Promise((r) => setTimeout(r, 0));
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; !condition(); i++) {
    if (i > 200) throw new Error('the condition never held');
    await tick();
  }
}

function host(): OutboxHost & { canSend: boolean; lost: number } {
  return {
    canSend: true,
    memberId: 'member-1',
    lost: 0,
    membershipLost() {
      this.lost++;
    },
  };
}

describe('Outbox', () => {
  it('emits in submission order even when sealing finishes out of order', async () => {
    const h = host();
    const outbox = new Outbox(h);
    const emitted: string[] = [];
    const delays = [30, 0, 10];
    const sends = ['a', 'b', 'c'].map((id, i) =>
      outbox.submit(id, async () => {
        await new Promise((r) => setTimeout(r, delays[i]));
        return async () => {
          emitted.push(id);
          return ack(id, i + 1);
        };
      }),
    );
    expect((await Promise.all(sends)).map((a) => a.id)).toEqual(['a', 'b', 'c']);
    expect(emitted).toEqual(['a', 'b', 'c']);
    expect(outbox.size).toBe(0);
  });

  it('keeps a send cut off by the connection and sends it again, same id, on flush', async () => {
    const h = host();
    const outbox = new Outbox(h);
    const memberIds: string[] = [];
    let fail = true;
    const sent = outbox.submit('m1', async (memberId) => {
      memberIds.push(memberId);
      return async () => {
        if (fail) throw new SealroomError('NETWORK_ERROR', 'dropped');
        return ack('m1', 7);
      };
    });
    await tick();
    expect(outbox.size).toBe(1);
    h.canSend = false;
    outbox.flush(); // nothing while disconnected
    await tick();
    expect(memberIds).toEqual(['member-1']);
    fail = false;
    h.canSend = true;
    (h as { memberId: string }).memberId = 'member-2';
    outbox.flush();
    await expect(sent).resolves.toMatchObject({ id: 'm1', seq: 7 });
    expect(memberIds).toEqual(['member-1', 'member-2']); // sealed again for the current member id
  });

  it('sends older messages first after a reconnect that came while later ones were still being sealed', async () => {
    // What a dropped connection did: a..c went out on the dying socket (lost), d..f were still being sealed
    // when the socket came back, and the flush's a..c used to go out after them.
    const h = host();
    const outbox = new Outbox(h);
    const wire: string[] = []; // what reached the new connection, in order
    let connection = 1;
    const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
    const sealing: (() => void)[] = [];
    const prepared = new Set<string>();
    const sends = ids.map((id, i) =>
      outbox.submit(id, async () => {
        const first = !prepared.has(id);
        prepared.add(id);
        if (first && i >= 3) await new Promise<void>((r) => sealing.push(r)); // still sealing when the socket drops
        const on = connection;
        return async () => {
          if (on === 1 || connection === 1) throw new SealroomError('NETWORK_ERROR', 'the socket closed');
          wire.push(id);
          return ack(id, wire.length);
        };
      }),
    );
    await until(() => sealing.length === 1);
    h.canSend = false; // the drop is noticed: a..c failed
    connection = 2;
    h.canSend = true; // the reconnect, while d is still being sealed
    outbox.flush();
    let settled = false;
    const all = Promise.all(sends).finally(() => (settled = true));
    while (!settled) {
      sealing.shift()?.();
      await tick();
    }
    const acks = await all;
    expect(wire.filter((id, i) => wire.indexOf(id) === i)).toEqual(ids);
    expect(acks.map((a) => a.id)).toEqual(ids);
    expect(outbox.size).toBe(0);
  });

  it('asks for a rejoin on NOT_IN_ROOM and keeps the send', async () => {
    const h = host();
    const outbox = new Outbox(h);
    let calls = 0;
    const sent = outbox.submit('m1', async () => async () => {
      calls++;
      if (calls === 1) throw new SealroomServerError('NOT_IN_ROOM', 'join first');
      return ack('m1', 1);
    });
    await tick();
    expect(h.lost).toBe(1);
    outbox.flush();
    await expect(sent).resolves.toMatchObject({ seq: 1 });
  });

  it('fails a send the server refuses for good', async () => {
    const outbox = new Outbox(host());
    const sent = outbox.submit('m1', async () => async () => {
      throw new SealroomServerError('PAYLOAD_TOO_LARGE', 'too big');
    });
    await expect(sent).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(outbox.size).toBe(0);
  });

  it('retries after the rate limit says', async () => {
    jest.useFakeTimers();
    try {
      const outbox = new Outbox(host());
      let calls = 0;
      const sent = outbox.submit('m1', async () => async () => {
        calls++;
        if (calls === 1) throw new SealroomServerError('RATE_LIMITED', 'slow down', { retryAfterSeconds: 2 });
        return ack('m1', 1);
      });
      await jest.advanceTimersByTimeAsync(1999);
      expect(calls).toBe(1);
      await jest.advanceTimersByTimeAsync(1);
      await expect(sent).resolves.toMatchObject({ seq: 1 });
      expect(calls).toBe(2);
    } finally {
      jest.useRealTimers();
    }
  });

  it('holds the sends made while a rate-limited one waits, so it keeps its place', async () => {
    // The SDK used to retry only the refused send, after the wait; a message typed meanwhile went out at once,
    // and if the limiter's window had turned it was accepted and numbered before the one typed first.
    jest.useFakeTimers();
    try {
      const outbox = new Outbox(host());
      const wire: string[] = [];
      let refuse = true;
      const send = (id: string) =>
        outbox.submit(id, async () => async () => {
          if (refuse) {
            refuse = false; // the limiter lets the next one through
            throw new SealroomServerError('RATE_LIMITED', 'slow down', { retryAfterSeconds: 1 });
          }
          wire.push(id);
          return ack(id, wire.length);
        });
      const a = send('a');
      await jest.advanceTimersByTimeAsync(0); // a is refused
      const b = send('b');
      const c = send('c');
      await jest.advanceTimersByTimeAsync(999);
      expect(wire).toEqual([]);
      await jest.advanceTimersByTimeAsync(1);
      expect((await Promise.all([a, b, c])).map((x) => x.seq)).toEqual([1, 2, 3]);
      expect(wire).toEqual(['a', 'b', 'c']);
    } finally {
      jest.useRealTimers();
    }
  });

  it('retries a send whose ack timed out before the ones made after it', async () => {
    jest.useFakeTimers();
    try {
      const outbox = new Outbox(host());
      const wire: string[] = [];
      let lose = true;
      const send = (id: string) =>
        outbox.submit(id, async () => async () => {
          if (lose) {
            lose = false;
            throw new SealroomError('TIMEOUT', 'no ack');
          }
          wire.push(id);
          return ack(id, wire.length);
        });
      const a = send('a');
      await jest.advanceTimersByTimeAsync(0);
      const b = send('b');
      await jest.advanceTimersByTimeAsync(500);
      await Promise.all([a, b]);
      expect(wire).toEqual(['a', 'b']);
    } finally {
      jest.useRealTimers();
    }
  });

  it('fails everything pending when the room closes', async () => {
    const h = host();
    h.canSend = false;
    const outbox = new Outbox(h);
    const sent = outbox.submit('m1', async () => async () => ack('m1', 1));
    outbox.failAll(new SealroomError('ROOM_CLOSED', 'closed'));
    await expect(sent).rejects.toMatchObject({ code: 'ROOM_CLOSED' });
  });
});
