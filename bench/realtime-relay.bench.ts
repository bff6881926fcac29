/**
 * Realtime relay benchmark: Sealroom's chat channel (contract validation, membership, rate limits, sequence
 * numbers, de-duplication, acknowledgements, connection-state recovery) against a bare Socket.IO relay
 * (join → socket.join, message → socket.to(room).emit, nothing else) in the same run, on loopback, websocket
 * transport. A third server, the bare relay acknowledging each message with `{ok: true}`, shows how much
 * of the difference is the acknowledgement the contract requires (one more packet per 9 deliveries).
 * Each server is its own process; this process is the load generator. 10 rooms × 10 members,
 * 256-byte payloads (sealed: 12-byte iv and 272 bytes of ciphertext, 363 base64url characters).
 *
 *  1. open loop, 20 messages/s per sender: deliveries/s, p50/p95/p99 latency, server CPU µs per delivery;
 *  2. closed loop to saturation: each sender keeps a window of messages in flight (one is done when all its
 *     recipients have it), the window doubling step by step; the best step's deliveries/s, and every message
 *     sent must arrive (zero loss);
 *  3. 5,000 idle connections in rooms of 10: server RSS per connection;
 *  4. sustained (only when asked for: BENCH_PHASES=sustained): one server process per target under the open
 *     loop for BENCH_MINUTES (10) minutes, figures per minute: p50/p99/max latency, server CPU per delivery,
 *     RSS, and from inside the server (bench/support/server-monitor.cjs) GC pauses and event-loop delay; the load
 *     generator's own CPU per delivery, a fixed workload, shows whether the machine's speed moved meanwhile.
 * Rounds alternate which server goes first; each figure is the median of its rounds. Sealroom runs with its
 * defaults except the rate limits and caps, raised so that the load generator (one IP) is not refused.
 *
 *   npm run bench:realtime                 npm run bench:realtime:sustained
 *   BENCH_ROUNDS=3 BENCH_SECONDS=15 BENCH_STEP_SECONDS=4 BENCH_WINDOWS=1,2,...,64 BENCH_IDLE=5000
 *   BENCH_PHASES=open,closed,idle   BENCH_TARGETS=bare,acked,sealroom   BENCH_PIN=0 (no CPU pinning)
 *   BENCH_PROFILE=<dir> (V8 CPU profiles: <phase>-<server>[-<round>].cpuprofile; a sustained run also writes
 *   where its minutes start and end, which `npm run bench:profile-by-minute -- <profile>` reads)
 *   BENCH_SEALROOM_ENV=SOCKET_RECOVERY_WINDOW=0,...  (extra Sealroom env)   BENCH_NODE_ARGS=... (both servers)
 */
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { Socket } from 'socket.io-client';
import { PROTOCOL, newRoomBody } from './support/v2-room';
import { makeProof } from '../src/services/proof';
import { cpuMicros, median, rssMb, startProcess, stopProcess } from './support/processes';
import {
  connectWebsocket,
  DeliveryLedger,
  freePort,
  nowUs,
  percentile,
  sealedPayload as payloadTemplate,
  sleep,
  unthrottledSealroomEnv,
} from './support/relay-load';

const ROOT = path.resolve(__dirname, '..');
const ROOMS = 10;
const MEMBERS = 10;
const RATE = 20; // messages per second per sender, open loop
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const WARMUP_SECONDS = 3;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** Closed loop: messages in flight per sender at each step, and how long each step settles and runs. */
const CLOSED_WINDOWS = (process.env.BENCH_WINDOWS ?? '1,2,4,8,16,32,64').split(',').map(Number);
const STEP_SETTLE_SECONDS = 1;
const STEP_SECONDS = Number(process.env.BENCH_STEP_SECONDS ?? 4);
const IDLE = Number(process.env.BENCH_IDLE ?? 5000);
const SUSTAINED_MINUTES = Number(process.env.BENCH_MINUTES ?? 10);
/** The servers measured: the bare relay (the baseline), the bare relay acknowledging each message, Sealroom. */
type ServerKind = 'bare' | 'acked' | 'sealroom';
type Phase = 'open' | 'closed' | 'idle' | 'sustained';
/** One server's figures in one phase (a round's, or the median of the rounds). */
type Figures = Record<string, number>;
type PhaseFigures = Partial<Record<ServerKind, Figures>>;
const TARGETS = (process.env.BENCH_TARGETS ?? 'bare,acked,sealroom').split(',') as ServerKind[];

interface Target {
  name: string;
  port: number;
  /** Joins `socket` to room `r` (0-based); resolves when joined. */
  join(socket: Socket, r: number, member: number): Promise<void>;
  send(socket: Socket, r: number, id: string): void;
  onDelivery(socket: Socket, cb: (id: string) => void): void;
}

/** The bare relay; `acked`: each message asks for an acknowledgement, as every Sealroom `message:send` does. */
function bareTarget(port: number, acked: boolean): Target {
  const noop = () => undefined;
  return {
    name: acked ? 'bare relay + ack' : 'bare Socket.IO relay',
    port,
    join: (socket, r) => new Promise((resolve) => socket.emit('join', `room-${r}`, () => resolve())),
    send: acked
      ? (socket, r, id) => socket.emit('message', `room-${r}`, { id, ...payloadTemplate }, noop)
      : (socket, r, id) => socket.emit('message', `room-${r}`, { id, ...payloadTemplate }),
    onDelivery: (socket, cb) => socket.on('message', (p: { id: string }) => cb(p.id)),
  };
}

async function sealroomTarget(port: number, rooms: number): Promise<Target> {
  const created: Array<{ roomId: string; auth: string }> = [];
  for (let r = 0; r < rooms; r++) {
    const { body, auth } = newRoomBody();
    const res = await fetch(`http://127.0.0.1:${port}/create_room`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    created.push({ roomId: ((await res.json()) as { room_id: string }).room_id, auth });
  }
  const noop = () => undefined;
  return {
    name: 'Sealroom',
    port,
    join: (socket, r, member) =>
      new Promise((resolve, reject) => {
        const { roomId, auth } = created[r];
        const memberId = `m${r}x${member}`.padEnd(6, '0');
        socket.emit(
          'room:join',
          {
            protocol: PROTOCOL,
            room_id: roomId,
            member_id: memberId,
            proof: makeProof(auth, 'join', roomId, Date.now()),
            profile: payloadTemplate,
          },
          (ack: { ok: boolean }) => (ack.ok ? resolve() : reject(new Error(JSON.stringify(ack)))),
        );
      }),
    send: (socket, r, id) => socket.emit('message:send', { room_id: created[r].roomId, id, ...payloadTemplate }, noop),
    onDelivery: (socket, cb) => socket.on('message:new', (p: { id: string }) => cb(p.id)),
  };
}

/** BENCH_NODE_ARGS: extra node options for both servers (e.g. --max-semi-space-size=32), space-separated. */
const serverNodeArgs = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
/** BENCH_PROFILE=<dir> writes a V8 CPU profile of each server process there. */
const profileArgs = (name: string) =>
  process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`, `--cpu-prof-name=${name}.cpuprofile`] : [];
/** Both servers carry the same in-process monitor (GC pauses, event-loop delay), asked over IPC. */
const monitorArgs = ['--require', path.join(__dirname, 'support/server-monitor.cjs')];
/** Each field's median over several runs; for losses, the worst run (zero loss means in every run). */
function medianOf(runs: Figures[]): Figures {
  return Object.fromEntries(
    Object.keys(runs[0]).map((k) => [k, k === 'undelivered' ? Math.max(...runs.map((r) => r[k])) : median(runs.map((r) => r[k]))]),
  );
}
/** The rooms' connected members (`sockets[room][member]`) and the ledger of their messages. */
class Mesh extends DeliveryLedger {
  readonly sockets: Socket[][] = [];
}

async function buildMesh(target: Target): Promise<Mesh> {
  const mesh = new Mesh();
  for (let r = 0; r < ROOMS; r++) {
    const row: Socket[] = [];
    for (let m = 0; m < MEMBERS; m++) {
      const socket = await connectWebsocket(target.port);
      await target.join(socket, r, m);
      target.onDelivery(socket, (id) => mesh.delivered(id));
      row.push(socket);
    }
    mesh.sockets.push(row);
  }
  return mesh;
}

function sendOne(target: Target, mesh: Mesh, r: number, m: number): string {
  const id = mesh.sent(MEMBERS - 1);
  target.send(mesh.sockets[r][m], r, id);
  return id;
}

/** Starts every sender at RATE messages/s, their ticks spread over the interval so the load is smooth; returns the stop. */
function startOpenLoop(target: Target, mesh: Mesh): () => void {
  const timers: NodeJS.Timeout[] = [];
  for (let r = 0; r < ROOMS; r++)
    for (let m = 0; m < MEMBERS; m++) {
      const start = setTimeout(
        () => timers.push(setInterval(() => sendOne(target, mesh, r, m), 1000 / RATE)),
        ((r * MEMBERS + m) * (1000 / RATE)) / (ROOMS * MEMBERS),
      );
      timers.push(start);
    }
  return () => timers.forEach((t) => clearInterval(t));
}

/** Latency percentiles of the deliveries measured since the last call, which it forgets. */
function takeLatencies(mesh: Mesh) {
  const sorted = mesh.latenciesUs.splice(0).sort((a, b) => a - b);
  return {
    p50Ms: percentile(sorted, 50) / 1000,
    p95Ms: percentile(sorted, 95) / 1000,
    p99Ms: percentile(sorted, 99) / 1000,
    maxMs: sorted[sorted.length - 1] / 1000,
  };
}

async function openLoop(target: Target, pid: number) {
  const mesh = await buildMesh(target);
  const stop = startOpenLoop(target, mesh);
  await sleep(WARMUP_SECONDS * 1000);
  const cpu0 = cpuMicros(pid);
  const t0 = nowUs();
  mesh.measuring = true;
  await sleep(SECONDS * 1000);
  mesh.measuring = false;
  const elapsed = (nowUs() - t0) / 1e6;
  const cpu = cpuMicros(pid) - cpu0;
  stop();
  await sleep(1000);
  const lost = mesh.remaining.size;
  mesh.sockets.flat().forEach((s) => s.disconnect());
  const { p50Ms, p95Ms, p99Ms } = takeLatencies(mesh);
  return {
    deliveriesPerSecond: mesh.deliveries / elapsed,
    p50Ms,
    p95Ms,
    p99Ms,
    cpuUsPerDelivery: cpu / mesh.deliveries,
    undelivered: lost,
  };
}

/** What bench/support/server-monitor.cjs measured inside the server since it was last asked. */
interface ServerStats {
  gcCount: number;
  gcTotalMs: number;
  gcMaxMs: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  heapUsedMb: number;
  /** When the server answered, in microseconds on the clock of its V8 CPU profile. */
  clockUs: number;
}

function serverStats(child: ChildProcess): Promise<ServerStats> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(m as ServerStats));
    child.send('stats');
  });
}

/**
 * The open loop held for BENCH_MINUTES on one server process, as users live with it: each minute's latency
 * percentiles, CPU per delivery, RSS, GC pauses and event-loop delay. Every message must arrive.
 */
async function sustainedLoop(target: Target, child: ChildProcess, profileName: string) {
  const pid = child.pid as number;
  const mesh = await buildMesh(target);
  const stop = startOpenLoop(target, mesh);
  await sleep(WARMUP_SECONDS * 1000);
  // Where each minute starts and ends on the server's profile clock, for bench/profile-by-minute.ts.
  const boundariesUs = [(await serverStats(child)).clockUs];
  const minutes: Figures[] = [];
  for (let minute = 1; minute <= SUSTAINED_MINUTES; minute++) {
    const cpu0 = cpuMicros(pid);
    const loadCpu0 = process.cpuUsage();
    const deliveries0 = mesh.deliveries;
    const t0 = nowUs();
    mesh.measuring = true;
    await sleep(60_000);
    mesh.measuring = false;
    const elapsed = (nowUs() - t0) / 1e6;
    const deliveries = mesh.deliveries - deliveries0;
    const { clockUs, ...inside } = await serverStats(child);
    boundariesUs.push(clockUs);
    const figures = {
      minute,
      deliveriesPerSecond: deliveries / elapsed,
      ...takeLatencies(mesh),
      cpuUsPerDelivery: (cpuMicros(pid) - cpu0) / deliveries,
      // The load generator's work per delivery is the same every minute: its cost is the machine's speed, so a
      // server whose CPU per delivery rises while this one rises with it was slowed by the machine, not itself.
      loadCpuUsPerDelivery: ((u) => (u.user + u.system) / deliveries)(process.cpuUsage(loadCpu0)),
      rssMb: rssMb(pid),
      ...inside,
    };
    minutes.push(figures);
    console.log(
      `  ${target.name} minute ${minute}: ${JSON.stringify(figures, (_k, v: unknown) => (typeof v === 'number' ? Math.round(v * 100) / 100 : v))}`,
    );
  }
  stop();
  if (process.env.BENCH_PROFILE) {
    fs.writeFileSync(path.join(process.env.BENCH_PROFILE, `${profileName}.minutes.json`), `${JSON.stringify(boundariesUs)}\n`);
  }
  const deadline = Date.now() + 10_000;
  while (mesh.remaining.size > 0 && Date.now() < deadline) await sleep(50);
  const undelivered = mesh.remaining.size;
  mesh.sockets.flat().forEach((s) => s.disconnect());
  return { minutes, undelivered };
}

/**
 * Closed loop to saturation: every sender keeps `window` messages in flight (a message is done when all its
 * recipients have it) and the window doubles at each step, until more load brings no more deliveries. The
 * figure is the best step; at the end sending stops and everything sent must arrive (zero loss).
 */
async function closedLoop(target: Target, pid: number) {
  const mesh = await buildMesh(target);
  let window = 0;
  const inFlight = new Map<string, number>(); // message id → sender index
  const perSender = new Array<number>(ROOMS * MEMBERS).fill(0);
  const topUp = (sender: number) => {
    const r = Math.floor(sender / MEMBERS);
    const m = sender % MEMBERS;
    while (perSender[sender] < window) {
      perSender[sender]++;
      inFlight.set(sendOne(target, mesh, r, m), sender);
    }
  };
  mesh.onFullyDelivered = (id) => {
    const sender = inFlight.get(id);
    if (sender === undefined) return;
    inFlight.delete(id);
    perSender[sender]--;
    topUp(sender);
  };
  const steps: Array<{ window: number; deliveriesPerSecond: number; serverCpuShare: number; loadCpuShare: number }> = [];
  for (const w of CLOSED_WINDOWS) {
    window = w;
    for (let sender = 0; sender < ROOMS * MEMBERS; sender++) topUp(sender);
    await sleep(STEP_SETTLE_SECONDS * 1000);
    const serverCpu0 = cpuMicros(pid);
    const ownCpu0 = process.cpuUsage();
    const deliveries0 = mesh.deliveries;
    const t0 = nowUs();
    mesh.measuring = true;
    await sleep(STEP_SECONDS * 1000);
    mesh.measuring = false;
    const elapsedUs = nowUs() - t0;
    const ownCpu = process.cpuUsage(ownCpu0);
    steps.push({
      window: w,
      deliveriesPerSecond: ((mesh.deliveries - deliveries0) * 1e6) / elapsedUs,
      serverCpuShare: (cpuMicros(pid) - serverCpu0) / elapsedUs,
      loadCpuShare: (ownCpu.user + ownCpu.system) / elapsedUs,
    });
  }
  window = 0;
  // Drain: every message sent must reach all its recipients.
  const deadline = Date.now() + 10_000;
  while (mesh.remaining.size > 0 && Date.now() < deadline) await sleep(50);
  const lost = mesh.remaining.size;
  mesh.sockets.flat().forEach((s) => s.disconnect());
  const best = steps.reduce((a, b) => (b.deliveriesPerSecond > a.deliveriesPerSecond ? b : a));
  console.log(
    `  ${target.name}: ${steps.map((st) => `w${st.window} ${Math.round(st.deliveriesPerSecond)}/s (server ${Math.round(st.serverCpuShare * 100)}% cpu)`).join(', ')}`,
  );
  return {
    deliveriesPerSecond: best.deliveriesPerSecond,
    bestWindow: best.window,
    serverCpuUsPerDelivery: (best.serverCpuShare * 1e6) / best.deliveriesPerSecond,
    serverCpuShare: best.serverCpuShare,
    loadCpuShare: best.loadCpuShare,
    undelivered: lost,
  };
}

async function idleConnections(target: Target, pid: number) {
  await sleep(1000);
  const before = rssMb(pid);
  const sockets: Socket[] = [];
  for (let i = 0; i < IDLE; i += 100) {
    const batch = await Promise.all(Array.from({ length: Math.min(100, IDLE - i) }, () => connectWebsocket(target.port)));
    await Promise.all(batch.map((s, k) => target.join(s, Math.floor((i + k) / MEMBERS), (i + k) % MEMBERS)));
    sockets.push(...batch);
  }
  await sleep(3000);
  const after = rssMb(pid);
  sockets.forEach((s) => s.disconnect());
  return {
    connections: sockets.length,
    rssBeforeMb: before,
    rssAfterMb: after,
    kbPerConnection: ((after - before) * 1024) / sockets.length,
  };
}

/**
 * With two or more CPUs, the load generator runs on CPU 0 and each server on CPU 1 (all threads). Unpinned,
 * Linux's wake-affine scheduling sometimes puts a ping-ponging pair on one CPU, and both then run at half
 * speed for the rest of the run. BENCH_PIN=0 turns it off.
 */
const PIN = process.env.BENCH_PIN !== '0' && os.cpus().length >= 2 && hasTaskset();
function hasTaskset(): boolean {
  try {
    execSync('taskset -V', { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const pin = (pid: number, cpu: number) => PIN && execSync(`taskset -a -p -c ${cpu} ${pid}`, { stdio: 'ignore' });

async function main(): Promise<void> {
  pin(process.pid, 0);
  if (!fs.existsSync(path.join(ROOT, 'dist/src/main.js'))) execSync('npx tsc -p tsconfig.build.json', { cwd: ROOT, stdio: 'inherit' });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sealroom-relay-'));
  const sealroomEnv = (port: number) => ({
    DATA_DIR: path.join(dataDir, String(port)),
    ...unthrottledSealroomEnv,
    ...(process.env.BENCH_SEALROOM_ENV ? Object.fromEntries(process.env.BENCH_SEALROOM_ENV.split(',').map((kv) => kv.split('='))) : {}),
  });
  const results: Record<string, PhaseFigures> = {};
  const only = process.env.BENCH_PHASES?.split(',') ?? ['open', 'closed', 'idle'];
  const phases = (
    [
      ['open', ROOMS],
      ['closed', ROOMS],
      ['idle', Math.ceil(IDLE / MEMBERS)],
      ['sustained', ROOMS],
    ] as Array<[Phase, number]>
  ).filter(([phase]) => only.includes(phase));
  const sustained: Partial<Record<ServerKind, Awaited<ReturnType<typeof sustainedLoop>>>> = {};
  for (const [phase, rooms] of phases) {
    // Rounds rotate which server goes first; each figure is the median of its rounds. Idle connections
    // send nothing, so the acknowledging variant of the bare relay has nothing to add there; the sustained
    // run is one long round.
    const kinds = TARGETS.filter((kind) => (phase !== 'idle' && phase !== 'sustained') || kind !== 'acked');
    const runs = Object.fromEntries(kinds.map((kind) => [kind, [] as Figures[]])) as Record<ServerKind, Figures[]>;
    const rounds = phase === 'idle' || phase === 'sustained' ? 1 : ROUNDS;
    for (let round = 0; round < rounds; round++) {
      const order = kinds.map((_, k) => kinds[(k + round) % kinds.length]);
      for (const which of order) {
        const port = await freePort();
        const profileName = rounds > 1 ? `${phase}-${which}-${round + 1}` : `${phase}-${which}`;
        const child =
          which !== 'sealroom'
            ? await startProcess(path.join(__dirname, 'support/bare-relay-server.ts'), {}, port, [
                '--require',
                'tsx/cjs',
                ...monitorArgs,
                ...profileArgs(profileName),
                ...serverNodeArgs,
              ])
            : await startProcess(path.join(ROOT, 'dist/src/main.js'), sealroomEnv(port), port, [
                ...monitorArgs,
                ...profileArgs(profileName),
                ...serverNodeArgs,
              ]);
        try {
          const pid = child.pid as number;
          pin(pid, 1);
          const target = which !== 'sealroom' ? bareTarget(port, which === 'acked') : await sealroomTarget(port, rooms);
          if (phase === 'sustained') {
            sustained[which] = await sustainedLoop(target, child, profileName);
            continue;
          }
          const result =
            phase === 'open'
              ? await openLoop(target, pid)
              : phase === 'closed'
                ? await closedLoop(target, pid)
                : await idleConnections(target, pid);
          runs[which].push(result);
          console.log(phase, which, JSON.stringify(result));
        } finally {
          await stopProcess(child);
        }
      }
    }
    if (phase !== 'sustained') results[phase] = Object.fromEntries(kinds.map((kind) => [kind, medianOf(runs[kind])]));
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
  if (sustained.bare && sustained.sealroom) printSustained(sustained.bare, sustained.sealroom);

  // The table has the rows of the phases that ran with both the bare relay and Sealroom.
  const complete = (phase: PhaseFigures | undefined) =>
    phase?.bare && phase.sealroom ? { ...phase, bare: phase.bare, sealroom: phase.sealroom } : null;
  const [o, c, i] = [complete(results.open), complete(results.closed), complete(results.idle)];
  if (!o && !c && !i) return;
  const acked = [o, c].some((phase) => phase?.acked);
  const cell = (v: number | undefined, digits: number) => (v === undefined ? '—' : v.toFixed(digits));
  const row = (label: string, pick: (r: Figures) => number, phase: { bare: Figures; acked?: Figures; sealroom: Figures }, digits = 0) => {
    const [b, a, s] = [pick(phase.bare), phase.acked && pick(phase.acked), pick(phase.sealroom)];
    const cells = [cell(b, digits), ...(acked ? [cell(a, digits)] : []), cell(s, digits), `${(s / b).toFixed(2)}×`];
    if (acked) cells.push(a === undefined ? '—' : `${(s / a).toFixed(2)}×`);
    return `| ${label} | ${cells.join(' | ')} |`;
  };
  console.log(
    `\n| ${ROOMS} rooms × ${MEMBERS} members, 256-byte payloads | bare relay |${acked ? ' bare relay + ack |' : ''} Sealroom | ratio to bare |${acked ? ' ratio to bare + ack |' : ''}`,
  );
  console.log(`|---|---|---|---|${acked ? '---|---|' : ''}`);
  if (o) {
    console.log(row(`open loop ${RATE} msg/s/sender: deliveries/s`, (r) => r.deliveriesPerSecond, o));
    console.log(row('latency p50 ms', (r) => r.p50Ms, o, 2));
    console.log(row('latency p95 ms', (r) => r.p95Ms, o, 2));
    console.log(row('latency p99 ms', (r) => r.p99Ms, o, 2));
    console.log(row('server CPU µs per delivery', (r) => r.cpuUsPerDelivery, o, 1));
  }
  if (c) {
    console.log(row('closed loop to saturation: max deliveries/s', (r) => r.deliveriesPerSecond, c));
    console.log(row('  server CPU µs per delivery at that load', (r) => r.serverCpuUsPerDelivery, c, 1));
  }
  if (i) console.log(row(`idle: server RSS KB per connection (${i.bare.connections} connections)`, (r) => r.kbPerConnection, i, 1));
  const lost = (name: string, phase: PhaseFigures | null) =>
    phase ? [`${name} ${TARGETS.map((k) => phase[k]?.undelivered ?? '—').join('/')}`] : [];
  console.log(`undelivered: ${[...lost('open', o), ...lost('closed', c)].join(', ') || '—'} (${TARGETS.join('/')})`);
  fs.writeFileSync(
    path.join(__dirname, 'results', 'realtime-relay.json'),
    `${JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, results }, null, 2)}\n`,
  );
}

type SustainedRun = Awaited<ReturnType<typeof sustainedLoop>>;

/** The sustained run's table (a row per minute) and its verdicts against the issue's targets. */
function printSustained(bare: SustainedRun, sealroom: SustainedRun): void {
  const f = (v: number, digits = 2) => v.toFixed(digits);
  console.log(
    `\n| minute | bare p99 ms | Sealroom p99 ms | Δ p99 ms | Sealroom p50 ms | Sealroom max ms | bare RSS MB | Sealroom RSS MB | Sealroom longest GC ms | Sealroom GC ms/min | CPU µs/delivery bare / Sealroom | load generator's CPU µs/delivery, bare / Sealroom run |`,
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
  bare.minutes.forEach((b, k) => {
    const s = sealroom.minutes[k];
    console.log(
      `| ${k + 1} | ${f(b.p99Ms)} | ${f(s.p99Ms)} | ${f(s.p99Ms - b.p99Ms)} | ${f(s.p50Ms)} | ${f(s.maxMs, 1)} | ${f(b.rssMb, 0)} | ${f(s.rssMb, 0)} | ${f(s.gcMaxMs, 1)} | ${f(s.gcTotalMs, 0)} | ${f(b.cpuUsPerDelivery, 1)} / ${f(s.cpuUsPerDelivery, 1)} | ${f(b.loadCpuUsPerDelivery, 1)} / ${f(s.loadCpuUsPerDelivery, 1)} |`,
    );
  });
  const worstGap = Math.max(...sealroom.minutes.map((s, k) => s.p99Ms - bare.minutes[k].p99Ms));
  const third = sealroom.minutes[Math.min(2, sealroom.minutes.length - 1)].rssMb;
  const last = sealroom.minutes[sealroom.minutes.length - 1].rssMb;
  const cpu = (run: SustainedRun) => median(run.minutes.map((m) => m.cpuUsPerDelivery));
  console.log(`worst minute: Sealroom p99 ${f(worstGap)} ms above the bare relay's (target ≤ 2 ms)`);
  console.log(
    `Sealroom RSS: last minute ${f(last, 0)} MB, third ${f(third, 0)} MB: ${f(((last - third) / third) * 100, 1)} % (target within 10 %)`,
  );
  console.log(`CPU per delivery (median minute): ${f(cpu(sealroom) / cpu(bare))}× the bare relay's (target ≤ 1.25×)`);
  console.log(`undelivered: bare ${bare.undelivered}, Sealroom ${sealroom.undelivered}`);
  fs.writeFileSync(
    path.join(__dirname, 'results', 'realtime-sustained.json'),
    `${JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, bare, sealroom }, null, 2)}\n`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
