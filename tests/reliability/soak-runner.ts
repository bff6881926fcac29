import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { download, upload } from '../support/multipart';
import { startServerProcess, type ServerProcess } from '../support/process-server';
import { createRoom, type TestRoom } from '../support/rooms';
import { tempDataDir, TEST_ENV } from '../support/server';
import { connect, connected, contractViolations, newId, request, sealed, type ClientSocket } from '../support/sockets';
import { eventually } from '../support/storage';

/**
 * A bounded soak: many clients in a few rooms chat and share small files while clients join, leave, reconnect
 * and lose their transport at random, against a server in its own process (so that its RSS and file descriptors
 * are its own). Every delivery is accounted for per recipient by message id; every shared file is downloaded and
 * compared byte for byte. Used by the short test in the default suite and by `npm run soak` (long).
 */
export interface SoakOptions {
  clients: number;
  rooms: number;
  durationMs: number;
  /** Mean pause between one client's actions. */
  thinkMs: number;
  log?: (line: string) => void;
}

export interface SoakReport {
  clients: number;
  rooms: number;
  durationMs: number;
  messagesSent: number;
  filesShared: number;
  fileBytes: number;
  downloadsChecked: number;
  deliveriesChecked: number;
  joins: number;
  leaves: number;
  reconnects: number;
  transportDrops: number;
  recovered: number;
  lost: string[];
  duplicated: string[];
  invented: string[];
  corruptFiles: string[];
  failedActions: string[];
  contractViolations: string[];
  rss: Array<{ atMs: number; bytes: number }>;
  rssFirstMinuteMiB: number;
  rssLastMinuteMiB: number;
  fdBaseline: number;
  fdPeak: number;
  fdAfter: number;
}

interface Membership {
  /** The simulated person; a sender's other memberships are not owed its own messages. */
  client: number;
  memberId: string;
  roomId: string;
  joinedAt: number;
  /** When the client asked to leave (or dropped without recovery); Infinity while still in. */
  leftAt: number;
  /** Left by a transport drop that was not recovered: only deliveries before its last received seq are owed. */
  lenientEnd: boolean;
  maxSeqSeen: number;
  received: Map<string, number>;
}

interface Sent {
  client: number;
  id: string;
  roomId: string;
  memberId: string;
  firstEmitAt: number;
  ackAt: number;
  seq: number;
}

const ACK_TIMEOUT_MS = 5_000;
const SERVER_ENV: Record<string, string> = {
  ...TEST_ENV,
  LOG_LEVEL: 'warn',
  ROOM_MAX_MEMBERS: '1000',
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const rssOf = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
const fdsOf = (pid: number) => fs.readdirSync(`/proc/${pid}/fd`).length;
const mib = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const log = options.log ?? (() => undefined);
  const dataDir = tempDataDir();
  const server = await startServerProcess({ ...SERVER_ENV, DATA_DIR: dataDir });
  const pid = server.child.pid as number;
  try {
    return await soak(server, pid, options, log);
  } finally {
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function soak(server: ServerProcess, pid: number, options: SoakOptions, log: (line: string) => void): Promise<SoakReport> {
  const rooms: TestRoom[] = [];
  for (let i = 0; i < options.rooms; i++) rooms.push(await createRoom(server.url));
  const files = new Map<string, { sha: string; size: number; roomId: string }>();
  const checkedFiles = new Set<string>();
  const memberships: Membership[] = [];
  const sent = new Map<string, Sent>();
  const report: SoakReport = {
    clients: options.clients,
    rooms: options.rooms,
    durationMs: options.durationMs,
    messagesSent: 0,
    filesShared: 0,
    fileBytes: 0,
    downloadsChecked: 0,
    deliveriesChecked: 0,
    joins: 0,
    leaves: 0,
    reconnects: 0,
    transportDrops: 0,
    recovered: 0,
    lost: [],
    duplicated: [],
    invented: [],
    corruptFiles: [],
    failedActions: [],
    contractViolations: [],
    rss: [],
    rssFirstMinuteMiB: 0,
    rssLastMinuteMiB: 0,
    fdBaseline: 0,
    fdPeak: 0,
    fdAfter: 0,
  };

  /** Downloads a file and compares it with what its sender uploaded. */
  const checkFile = async (fileId: string) => {
    const expected = files.get(fileId);
    const res = await download(server.url, fileId);
    report.downloadsChecked++;
    checkedFiles.add(fileId);
    if (!expected || res.status !== 200 || res.body.length !== expected.size || sha256(res.body) !== expected.sha) {
      report.corruptFiles.push(`${fileId}: status ${res.status}, ${res.body.length} bytes`);
    }
  };

  // Warm up every path once, then take the file-descriptor baseline with no client connected.
  {
    const warm = connect(server.url);
    const warmMember = await joinAs(warm, rooms[0]);
    const data = randomBytes(1_000);
    const up = await upload(server.url, rooms[0].roomId, rooms[0].proof('upload'), data);
    files.set(up.json().file_id, { sha: sha256(data), size: data.length, roomId: rooms[0].roomId });
    await checkFile(up.json().file_id);
    warmMember.leftAt = Date.now();
    warm.disconnect();
    // Past the server's 5 s keep-alive, so that idle HTTP connections of the set-up are not in the baseline.
    await sleep(6_000);
    report.fdBaseline = fdsOf(pid);
  }

  const started = Date.now();
  const sampler = setInterval(
    () => {
      const bytes = rssOf(pid);
      report.rss.push({ atMs: Date.now() - started, bytes });
      report.fdPeak = Math.max(report.fdPeak, fdsOf(pid));
    },
    Math.min(5_000, Math.max(1_000, options.durationMs / 20)),
  );
  report.rss.push({ atMs: 0, bytes: rssOf(pid) });

  let stopping = false;
  const deadline = started + options.durationMs;

  /** Joins `room` with a fresh member id and records the membership from the moment the ack arrived. */
  async function joinAs(socket: ClientSocket, room: TestRoom, client = -1): Promise<Membership> {
    await connected(socket);
    const memberId = newId();
    const reply = await request(socket, 'room:join', {
      protocol: 'sealroom/v2',
      room_id: room.roomId,
      member_id: memberId,
      proof: room.proof('join'),
      profile: sealed(64),
    });
    if (!reply.ok) throw new Error(`join refused: ${reply.error.code}`);
    const m: Membership = {
      client,
      memberId,
      roomId: room.roomId,
      joinedAt: Date.now(),
      leftAt: Infinity,
      lenientEnd: false,
      maxSeqSeen: 0,
      received: new Map(),
    };
    memberships.push(m);
    report.joins++;
    return m;
  }

  /** One simulated person: a connection, a room, and a loop of random actions until the deadline. */
  async function client(index: number): Promise<ClientSocket> {
    const room = rooms[index % rooms.length];
    let socket = connect(server.url);
    let me: Membership | null = null;
    const wire = (s: ClientSocket) => {
      const record = (id: string, seq: number) => {
        if (!me) return;
        me.received.set(id, (me.received.get(id) ?? 0) + 1);
        me.maxSeqSeen = Math.max(me.maxSeqSeen, seq);
      };
      s.on('message:new', (m) => record(m.id, m.seq));
      s.on('file:new', (f) => {
        record(f.file_id, f.seq);
        // The first member to hear of a file downloads and checks it.
        if (!checkedFiles.has(f.file_id)) {
          checkedFiles.add(f.file_id);
          void checkFile(f.file_id).catch((e: Error) => report.failedActions.push(`download: ${e.message}`));
        }
      });
      s.on('connect', () => {
        if (!me) return;
        if (s.recovered) {
          report.recovered++;
        } else if (me.leftAt === Infinity) {
          // Not recovered: the old membership ended at the drop; only what came before its last seq is owed.
          me.leftAt = Date.now();
          me.lenientEnd = true;
          me = null;
          void joinAs(s, room, index).then(
            (m) => (me = m),
            (e: Error) => report.failedActions.push(`rejoin: ${e.message}`),
          );
        }
      });
    };
    wire(socket);
    me = await joinAs(socket, room, index);

    /** Sends with retries under the same id until acknowledged; the server must deliver it once. */
    const sendReliably = async (event: 'message:send' | 'file:share', id: string, payload: () => Record<string, string>) => {
      const firstEmitAt = Date.now();
      for (let attempt = 0; attempt < 10; attempt++) {
        if (!me) {
          await sleep(100);
          continue;
        }
        const emit = socket.timeout(ACK_TIMEOUT_MS).emitWithAck as unknown as (
          e: string,
          p: unknown,
        ) => Promise<{ ok: boolean; seq?: number; error?: { code: string } }>;
        const reply = await emit.call(socket.timeout(ACK_TIMEOUT_MS), event, { room_id: room.roomId, ...payload() }).catch(() => null);
        if (reply?.ok && reply.seq !== undefined) {
          if (!sent.has(id))
            sent.set(id, { client: index, id, roomId: room.roomId, memberId: me.memberId, firstEmitAt, ackAt: Date.now(), seq: reply.seq });
          return;
        }
        await sleep(100);
      }
      report.failedActions.push(`${event} ${id} never acknowledged`);
    };

    while (!stopping && Date.now() < deadline) {
      await sleep(Math.random() * options.thinkMs * 2);
      if (stopping || Date.now() >= deadline) break;
      const dice = Math.random();
      try {
        if (dice < 0.72) {
          const id = newId();
          report.messagesSent++;
          const body = sealed(200);
          await sendReliably('message:send', id, () => ({ id, ...body }));
        } else if (dice < 0.82) {
          const data = randomBytes(1 + Math.floor(Math.random() * 16 * 1024));
          const up = await upload(server.url, room.roomId, room.proof('upload'), data);
          if (up.status !== 201) throw new Error(`upload answered ${up.status}`);
          const fileId = up.json().file_id as string;
          files.set(fileId, { sha: sha256(data), size: data.length, roomId: room.roomId });
          report.filesShared++;
          report.fileBytes += data.length;
          const meta = sealed(300);
          await sendReliably('file:share', fileId, () => ({ file_id: fileId, ...meta }));
        } else if (dice < 0.9 && me) {
          // Leave and come back as a new member.
          // Until the leave is acknowledged, what arrives still belongs to the old membership.
          me.leftAt = Date.now();
          await request(socket, 'room:leave', { room_id: room.roomId });
          me = null;
          report.leaves++;
          me = await joinAs(socket, room, index);
        } else if (dice < 0.96 && me) {
          // Leave, close the connection, and come back on a new one.
          me.leftAt = Date.now();
          await request(socket, 'room:leave', { room_id: room.roomId });
          me = null;
          socket.disconnect();
          socket = connect(server.url);
          wire(socket);
          report.reconnects++;
          me = await joinAs(socket, room, index);
        } else if (me) {
          // The network drops under the client: Socket.IO reconnects and should recover the session.
          report.transportDrops++;
          socket.io.engine.close();
          await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
        }
      } catch (e) {
        report.failedActions.push(`client ${index}: ${(e as Error).message}`);
      }
    }
    return socket;
  }

  const sockets = await Promise.all(Array.from({ length: options.clients }, (_, i) => sleep(i * 20).then(() => client(i))));
  stopping = true;
  await sleep(2_000); // the last relays and downloads in flight
  clearInterval(sampler);
  report.rss.push({ atMs: Date.now() - started, bytes: rssOf(pid) });

  // Every file shared was checked by a recipient; check those nobody heard of (their rooms were empty).
  for (const fileId of files.keys()) if (!checkedFiles.has(fileId)) await checkFile(fileId);
  await eventually(() => report.downloadsChecked >= files.size, 'downloads in flight', 30_000).catch(() => undefined);

  // Accounting, per recipient membership.
  const byRoom = new Map<string, Sent[]>();
  for (const s of sent.values()) byRoom.set(s.roomId, [...(byRoom.get(s.roomId) ?? []), s]);
  for (const m of memberships) {
    const roomSent = byRoom.get(m.roomId) ?? [];
    const known = new Set(roomSent.map((s) => s.id));
    for (const [id, count] of m.received) {
      if (count > 1) report.duplicated.push(`${m.memberId} got ${id} ${count} times`);
      if (!known.has(id)) report.invented.push(`${m.memberId} got unknown ${id}`);
    }
    for (const s of roomSent) {
      if (s.client === m.client) continue; // senders do not hear their own
      // Owed: sent after the recipient's join was acknowledged, and acknowledged before it left.
      const owed = m.joinedAt < s.firstEmitAt && (m.lenientEnd ? s.seq < m.maxSeqSeen : s.ackAt < m.leftAt);
      if (!owed) continue;
      report.deliveriesChecked++;
      if (!m.received.has(s.id)) report.lost.push(`${m.memberId} missed ${s.id} (seq ${s.seq})`);
    }
  }

  sockets.forEach((s) => s.disconnect());
  report.contractViolations = contractViolations.splice(0);
  // Let the server notice the closed connections, then count its descriptors again.
  await eventually(() => fdsOf(pid) <= report.fdBaseline, 'file descriptors back to the baseline', 20_000).catch(() => undefined);
  report.fdAfter = fdsOf(pid);

  const window = Math.min(60_000, options.durationMs / 3);
  const avg = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  const end = report.rss.at(-1)?.atMs ?? 0;
  report.rssFirstMinuteMiB = mib(avg(report.rss.filter((s) => s.atMs <= window).map((s) => s.bytes)));
  report.rssLastMinuteMiB = mib(avg(report.rss.filter((s) => s.atMs >= end - window).map((s) => s.bytes)));
  log(
    `soak: ${report.clients} clients, ${report.rooms} rooms, ${Math.round(options.durationMs / 1000)} s; ` +
      `${report.messagesSent} messages, ${report.filesShared} files (${report.fileBytes} bytes), ${report.deliveriesChecked} deliveries owed and checked, ` +
      `${report.downloadsChecked} downloads checked; ${report.joins} joins, ${report.leaves} leaves, ${report.reconnects} reconnects, ` +
      `${report.transportDrops} transport drops (${report.recovered} recovered); lost ${report.lost.length}, duplicated ${report.duplicated.length}, ` +
      `invented ${report.invented.length}, corrupt files ${report.corruptFiles.length}, failed actions ${report.failedActions.length}; ` +
      `RSS first ${report.rssFirstMinuteMiB} MiB, last ${report.rssLastMinuteMiB} MiB (window ${Math.round(window / 1000)} s); ` +
      `fds baseline ${report.fdBaseline}, peak ${report.fdPeak}, after ${report.fdAfter}`,
  );
  return report;
}
