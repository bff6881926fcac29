/**
 * Cluster relay benchmark: Sealroom's chat channel on one node (in-memory room state and recovery log) and on
 * two nodes behind Redis (Redis Streams adapter, room state and rate limits in Redis), in the same run, on
 * loopback, websocket transport. In the cluster each room's members alternate between the two nodes, so
 * most deliveries cross from one node to the other through Redis. Redis is a private `redis-server` of this
 * run (no persistence), so its CPU can be measured. 10 rooms × 10 members, 256-byte sealed payloads.
 *
 *  1. open loop, BENCH_RATE messages/s per sender (default 10: 9,000 deliveries/s): deliveries/s,
 *     p50/p99 latency, and CPU µs per delivery of the Sealroom processes (summed) and of Redis;
 *  2. closed loop to saturation: each sender keeps a window of messages in flight, the window growing step by
 *     step; the best step's deliveries/s; every message sent must arrive (zero loss).
 *
 *   npx tsx bench/cluster-relay.bench.ts
 *   BENCH_SECONDS=6 BENCH_RATE=10 BENCH_WINDOWS=2,8,32 BENCH_STEP_SECONDS=2.5 BENCH_ROUNDS=1
 * Servers run from the TypeScript sources (node --import tsx), so no build is needed; both setups run the
 * same way, so the ratios compare like with like.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Socket } from 'socket.io-client';
import { PROTOCOL, newRoomBody } from './support/v2-room';
import { makeProof } from '../src/services/proof';
import { createPgDatabase } from '../tests/support/server';
import { cpuMicros, median, startProcess, stopProcess } from './support/processes';
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
const RATE = Number(process.env.BENCH_RATE ?? 10);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);
const WARMUP_SECONDS = 2;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
const CLOSED_WINDOWS = (process.env.BENCH_WINDOWS ?? '2,8,32').split(',').map(Number);
const STEP_SECONDS = Number(process.env.BENCH_STEP_SECONDS ?? 2.5);

/** A private redis-server (no persistence) on a free port; resolves once it answers. */
async function startRedis(): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  for (let i = 0; i < 100; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (up) return { url: `redis://127.0.0.1:${port}`, child };
    await sleep(50);
  }
  throw new Error('redis-server did not start');
}

interface Setup {
  name: string;
  ports: number[];
  pids: number[];
  redisPid: number | null;
  stop(): Promise<void>;
}

const baseEnv = (dataDir: string) => ({ DATA_DIR: dataDir, ...unthrottledSealroomEnv });

const serverArgs = ['--import', 'tsx'];
const MAIN = path.join(ROOT, 'src/main.ts');

/** Both setups on PostgreSQL (a database made for the run, on the machine's server), as a cluster must be. */
async function oneNode(dataDir: string, databaseUrl: string): Promise<Setup> {
  const port = await freePort();
  const child = await startProcess(MAIN, { ...baseEnv(path.join(dataDir, 'one')), DATABASE_URL: databaseUrl }, port, serverArgs);
  return { name: 'one node', ports: [port], pids: [child.pid as number], redisPid: null, stop: () => stopProcess(child) };
}

async function twoNodesOnRedis(dataDir: string, databaseUrl: string): Promise<Setup> {
  const redis = await startRedis();
  const env = { ...baseEnv(path.join(dataDir, 'cluster')), DATABASE_URL: databaseUrl, REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'bench:' };
  const ports = [await freePort(), await freePort()];
  const first = await startProcess(MAIN, env, ports[0], serverArgs);
  const second = await startProcess(MAIN, env, ports[1], serverArgs);
  return {
    name: 'two nodes + Redis',
    ports,
    pids: [first.pid as number, second.pid as number],
    redisPid: redis.child.pid as number,
    stop: async () => {
      await Promise.all([stopProcess(first), stopProcess(second)]);
      redis.child.kill('SIGKILL');
    },
  };
}

/** The rooms' connected members (`sockets[room][member]`), their room ids, and the ledger of their messages. */
class Mesh extends DeliveryLedger {
  readonly sockets: Socket[][] = [];
  readonly rooms: Array<{ roomId: string }> = [];
}

/** Rooms created through the first node; member m of each room connects to node m % nodes. */
async function buildMesh(setup: Setup): Promise<Mesh> {
  const mesh = new Mesh();
  for (let r = 0; r < ROOMS; r++) {
    const { body, auth } = newRoomBody();
    const res = await fetch(`http://127.0.0.1:${setup.ports[0]}/create_room`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const roomId = ((await res.json()) as { room_id: string }).room_id;
    mesh.rooms.push({ roomId });
    const row: Socket[] = [];
    for (let m = 0; m < MEMBERS; m++) {
      const socket = await connectWebsocket(setup.ports[m % setup.ports.length]);
      await new Promise<void>((resolve, reject) =>
        socket.emit(
          'room:join',
          {
            protocol: PROTOCOL,
            room_id: roomId,
            member_id: `m${r}x${m}`.padEnd(6, '0'),
            proof: makeProof(auth, 'join', roomId, Date.now()),
            profile: payloadTemplate,
          },
          (ack: { ok: boolean }) => (ack.ok ? resolve() : reject(new Error(JSON.stringify(ack)))),
        ),
      );
      socket.on('message:new', (p: { id: string }) => mesh.delivered(p.id));
      row.push(socket);
    }
    mesh.sockets.push(row);
  }
  return mesh;
}

const noop = () => undefined;
function sendOne(mesh: Mesh, r: number, m: number): string {
  const id = mesh.sent(MEMBERS - 1);
  mesh.sockets[r][m].emit('message:send', { room_id: mesh.rooms[r].roomId, id, ...payloadTemplate }, noop);
  return id;
}

const cpuOf = (setup: Setup) => ({
  nodes: setup.pids.reduce((sum, pid) => sum + cpuMicros(pid), 0),
  redis: setup.redisPid ? cpuMicros(setup.redisPid) : 0,
});

async function openLoop(setup: Setup) {
  const mesh = await buildMesh(setup);
  const timers: NodeJS.Timeout[] = [];
  for (let r = 0; r < ROOMS; r++)
    for (let m = 0; m < MEMBERS; m++)
      timers.push(
        setTimeout(
          () => timers.push(setInterval(() => sendOne(mesh, r, m), 1000 / RATE)),
          ((r * MEMBERS + m) * (1000 / RATE)) / (ROOMS * MEMBERS),
        ),
      );
  await sleep(WARMUP_SECONDS * 1000);
  const cpu0 = cpuOf(setup);
  const t0 = nowUs();
  mesh.measuring = true;
  await sleep(SECONDS * 1000);
  mesh.measuring = false;
  const elapsed = (nowUs() - t0) / 1e6;
  const cpu1 = cpuOf(setup);
  timers.forEach((t) => clearInterval(t));
  await sleep(1500);
  const undelivered = mesh.remaining.size;
  mesh.sockets.flat().forEach((s) => s.disconnect());
  const sorted = mesh.latenciesUs.sort((a, b) => a - b);
  return {
    deliveriesPerSecond: mesh.deliveries / elapsed,
    p50Ms: percentile(sorted, 50) / 1000,
    p99Ms: percentile(sorted, 99) / 1000,
    nodeCpuUsPerDelivery: (cpu1.nodes - cpu0.nodes) / mesh.deliveries,
    redisCpuUsPerDelivery: (cpu1.redis - cpu0.redis) / mesh.deliveries,
    undelivered,
  };
}

async function closedLoop(setup: Setup) {
  const mesh = await buildMesh(setup);
  let window = 0;
  const inFlight = new Map<string, number>();
  const perSender = new Array<number>(ROOMS * MEMBERS).fill(0);
  const topUp = (sender: number) => {
    while (perSender[sender] < window) {
      perSender[sender]++;
      inFlight.set(sendOne(mesh, Math.floor(sender / MEMBERS), sender % MEMBERS), sender);
    }
  };
  mesh.onFullyDelivered = (id) => {
    const sender = inFlight.get(id);
    if (sender === undefined) return;
    inFlight.delete(id);
    perSender[sender]--;
    topUp(sender);
  };
  const steps: Array<{ window: number; deliveriesPerSecond: number }> = [];
  for (const w of CLOSED_WINDOWS) {
    window = w;
    for (let sender = 0; sender < ROOMS * MEMBERS; sender++) topUp(sender);
    await sleep(500);
    const d0 = mesh.deliveries;
    const t0 = nowUs();
    mesh.measuring = true;
    await sleep(STEP_SECONDS * 1000);
    mesh.measuring = false;
    steps.push({ window: w, deliveriesPerSecond: ((mesh.deliveries - d0) * 1e6) / (nowUs() - t0) });
  }
  window = 0;
  const deadline = Date.now() + 10_000;
  while (mesh.remaining.size > 0 && Date.now() < deadline) await sleep(50);
  const undelivered = mesh.remaining.size;
  mesh.sockets.flat().forEach((s) => s.disconnect());
  console.log(`  ${setup.name}: ${steps.map((st) => `w${st.window} ${Math.round(st.deliveriesPerSecond)}/s`).join(', ')}`);
  const best = steps.reduce((a, b) => (b.deliveriesPerSecond > a.deliveriesPerSecond ? b : a));
  return { maxDeliveriesPerSecond: best.deliveriesPerSecond, bestWindow: best.window, undelivered };
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sealroom-cluster-bench-'));
  const runs: Record<string, Array<Record<string, number>>> = { one: [], two: [] };
  const db = await createPgDatabase();
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? (['one', 'two'] as const) : (['two', 'one'] as const);
      for (const which of order) {
        const setup = which === 'one' ? await oneNode(dataDir, db.url) : await twoNodesOnRedis(dataDir, db.url);
        try {
          const open = await openLoop(setup);
          const closed = await closedLoop(setup);
          const result = { ...open, ...closed, undelivered: open.undelivered + closed.undelivered };
          console.log(setup.name, JSON.stringify(result));
          runs[which].push(result);
        } finally {
          await setup.stop();
        }
      }
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
    await db.drop();
  }
  const med = (which: 'one' | 'two', k: string) =>
    k === 'undelivered' ? Math.max(...runs[which].map((r) => r[k])) : median(runs[which].map((r) => r[k]));
  const row = (label: string, k: string, digits = 0) => {
    const [a, b] = [med('one', k), med('two', k)];
    return `| ${label} | ${a.toFixed(digits)} | ${b.toFixed(digits)} | ${a > 0 ? `${(b / a).toFixed(2)}×` : '–'} |`;
  };
  console.log(
    `\n| ${ROOMS} rooms × ${MEMBERS} members, 256-byte payloads, ${os.cpus().length} CPUs | one node | two nodes + Redis | ratio |`,
  );
  console.log('|---|---|---|---|');
  console.log(row(`open loop ${RATE} msg/s/sender: deliveries/s`, 'deliveriesPerSecond'));
  console.log(row('latency p50 ms', 'p50Ms', 2));
  console.log(row('latency p99 ms', 'p99Ms', 2));
  console.log(row('Sealroom CPU µs per delivery (all nodes)', 'nodeCpuUsPerDelivery', 1));
  console.log(row('Redis CPU µs per delivery', 'redisCpuUsPerDelivery', 1));
  console.log(row('closed loop: max deliveries/s', 'maxDeliveriesPerSecond'));
  console.log(`undelivered (open + closed): ${med('one', 'undelivered')} / ${med('two', 'undelivered')}`);
  fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
  fs.writeFileSync(
    path.join(__dirname, 'results', 'cluster-relay.json'),
    `${JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, runs }, null, 2)}\n`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
