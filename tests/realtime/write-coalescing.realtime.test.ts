/**
 * Write coalescing: the frames a connection is sent in one event-loop turn leave together, in order, and
 * nothing else about the writes changes.
 */
import type { Duplex } from 'node:stream';
import { Duplex as DuplexStream } from 'node:stream';
import { coalesceWrites } from '../../src/realtime/write-coalescing';
import { startServer, type TestServer } from '../support/server';
import { eventually } from '../support/storage';
import { collect, connect, connected, contractViolations, type ClientSocket } from '../support/sockets';

const nextTurn = () => new Promise((r) => setImmediate(r));

/** A Duplex that records each call to its underlying write: the chunks it was given at once. */
function recordingSocket(): { socket: Duplex; writes: string[][] } {
  const writes: string[][] = [];
  const socket = new DuplexStream({
    read() {},
    write(chunk: Buffer, _encoding, callback) {
      writes.push([chunk.toString()]);
      callback();
    },
    writev(chunks, callback) {
      writes.push(chunks.map(({ chunk }) => (chunk as Buffer).toString()));
      callback();
    },
  });
  return { socket, writes };
}

/** Counts the calls that hand data to a net.Socket's handle (one `write`/`writev` system call each). */
function countHandleWrites(socket: Duplex): { count: number } {
  const counter = { count: 0 };
  const target = socket as Duplex & { _write: (...a: unknown[]) => void; _writev?: (...a: unknown[]) => void };
  const write = target._write.bind(socket);
  target._write = (...args: unknown[]) => {
    counter.count++;
    write(...args);
  };
  const writev = target._writev?.bind(socket);
  if (writev) {
    target._writev = (...args: unknown[]) => {
      counter.count++;
      writev(...args);
    };
  }
  return counter;
}

describe('coalesceWrites', () => {
  it('hands the writes of one turn to the socket at once, in order, and calls every callback', async () => {
    const { socket, writes } = recordingSocket();
    coalesceWrites(socket);
    const done: string[] = [];
    for (const frame of ['a', 'b', 'c']) socket.write(frame, () => done.push(frame));
    expect(writes).toEqual([]); // held until the turn's I/O callbacks have run
    await nextTurn();
    expect(writes).toEqual([['a', 'b', 'c']]);
    await nextTurn();
    expect(done).toEqual(['a', 'b', 'c']);
  });

  it('starts a new batch in the next turn', async () => {
    const { socket, writes } = recordingSocket();
    coalesceWrites(socket);
    socket.write('a');
    await nextTurn();
    socket.write('b');
    socket.write('c');
    await nextTurn();
    socket.write('d');
    await nextTurn();
    expect(writes).toEqual([['a'], ['b', 'c'], ['d']]);
  });

  it('lets end() send what is held at once', async () => {
    const { socket, writes } = recordingSocket();
    coalesceWrites(socket);
    socket.write('a');
    socket.end('b');
    expect(writes.flat()).toEqual(['a', 'b']);
    await nextTurn(); // the scheduled uncork finds nothing corked, and nothing breaks
    expect(socket.writableFinished).toBe(true);
  });

  it('does not cork a socket that was destroyed', async () => {
    const { socket } = recordingSocket();
    coalesceWrites(socket);
    socket.on('error', () => undefined);
    socket.destroy();
    socket.write('a');
    expect(socket.writableCorked).toBe(0);
    await nextTurn();
  });
});

describe('a Sealroom connection', () => {
  let server: TestServer;
  let client: ClientSocket | undefined;
  beforeAll(async () => {
    server = await startServer({ db: 'sqlite' });
  });
  afterEach(() => {
    client?.disconnect();
    expect(contractViolations.splice(0)).toEqual([]);
  });
  afterAll(() => server.close());

  it('is sent the frames of one turn in at most two system calls, and receives them all in order', async () => {
    const upgraded: Duplex[] = [];
    server.sealroom.server.on('upgrade', (_req, socket: Duplex) => upgraded.push(socket));
    client = connect(server.url);
    await connected(client);
    expect(upgraded).toHaveLength(1);
    const handleWrites = countHandleWrites(upgraded[0]);
    const typing = collect(client, 'member:typing');
    const roomId = 'A'.repeat(22);
    const members = ['m1', 'm2', 'm3', 'm4', 'm5'].map((m) => m.padEnd(22, 'x'));
    // Five events for this connection in one turn, as a busy room produces them.
    for (const member_id of members) server.sealroom.io.to(client.id!).emit('member:typing', { room_id: roomId, member_id });
    await eventually(() => typing.length >= members.length, 'the five events');
    expect(typing.map((t) => t.member_id)).toEqual(members);
    // Socket.IO holds a connection's later packets until its first write completes, and those then leave
    // together: two system calls for the five frames, where each frame used to take one.
    expect(handleWrites.count).toBe(2);
  });
});
