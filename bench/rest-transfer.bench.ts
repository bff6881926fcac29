/**
 * REST transfer benchmark: a 1 GiB file uploaded to and downloaded from Sealroom (multipart parsing, proof
 * check, quota reservation, temp file + rename, database rows; ranged streaming download with accounting),
 * against a bare Express server that pipes the request body to a file and a file to the response, in the
 * same run, on loopback. Servers run as separate processes; this process is the client for all of them.
 * A third target is Sealroom with BLOB_STORE=s3 against s3rver (a real S3-protocol server on the filesystem,
 * in a process of its own): multipart upload to a temporary key, CopyObject on commit, ranged GetObject.
 * Each Sealroom target also takes the file as a resumable (tus) upload whose connection is cut at half the file
 * and which is then resumed (HEAD, PATCH of the rest): its rate counts the whole file over the whole time.
 *
 *   npm run bench:rest               # 1 GiB, 3 rounds
 *   BENCH_MB=256 BENCH_ROUNDS=5 npm run bench:rest
 *   BENCH_S3=0 npm run bench:rest    # without the S3 variant
 */
import { execSync } from 'node:child_process';
import { randomBytes, randomFillSync } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { PROTOCOL, newRoomBody } from './support/v2-room';
import { makeDownloadProof, makeOwnerSignature, makeProof } from '../src/services/proof';
import { median, peakRssMb, startProcess, stopProcess } from './support/processes';
import { startS3Server, type S3TestServer } from '../tests/support/s3-server';

const ROOT = path.resolve(__dirname, '..');
const SIZE = Number(process.env.BENCH_MB ?? 1024) * 1024 * 1024;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WITH_S3 = process.env.BENCH_S3 !== '0';

interface Target {
  name: string;
  upload(file: string): Promise<void>;
  download(): Promise<number>;
  /** A resumable upload cut at half the file and resumed (Sealroom only). */
  resumedUpload?(file: string): Promise<void>;
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function request(port: number, method: string, urlPath: string, headers: http.OutgoingHttpHeaders, body?: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: urlPath, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const TUS = { 'tus-resumable': '1.0.0' };

/**
 * A tus PATCH of the file's bytes from `start`. With `cutAt`, the connection is cut once the bytes up to there
 * are written to the socket, as a dropped network would; otherwise the request ends and its answer is returned.
 */
function patchFile(port: number, urlPath: string, file: string, start: number, cutAt?: number): Promise<Answer | null> {
  const size = fs.statSync(file).size;
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: 'PATCH',
        path: urlPath,
        headers: { ...TUS, 'upload-offset': start, 'content-type': 'application/offset+octet-stream', 'content-length': size - start },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', (e) => (cutAt === undefined ? reject(e) : resolve(null)));
    const source = fs.createReadStream(file, { start, end: (cutAt ?? size) - 1, highWaterMark: 256 * 1024 });
    source.on('data', (chunk) => {
      if (!req.write(chunk)) {
        source.pause();
        req.once('drain', () => source.resume());
      }
    });
    source.on('end', () => {
      if (cutAt === undefined) req.end();
      else req.write(Buffer.alloc(0), () => (req.destroy(), resolve(null)));
    });
    source.on('error', reject);
  });
}

/** Streams `parts` (buffers and a file) as one request body with a known Content-Length. */
function streamUpload(
  port: number,
  urlPath: string,
  headers: http.OutgoingHttpHeaders,
  before: Buffer,
  file: string,
  after: Buffer,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const length = before.length + fs.statSync(file).size + after.length;
    const req = http.request(
      { host: '127.0.0.1', port, method: 'POST', path: urlPath, headers: { ...headers, 'content-length': length } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.write(before);
    const source = fs.createReadStream(file, { highWaterMark: 256 * 1024 });
    source.on('data', (chunk) => {
      if (!req.write(chunk)) {
        source.pause();
        req.once('drain', () => source.resume());
      }
    });
    source.on('end', () => req.end(after));
    source.on('error', reject);
  });
}

/** Downloads and discards a body; returns its byte count. */
function drain(port: number, urlPath: string, headers: http.OutgoingHttpHeaders = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: urlPath, headers }, (res) => {
        let bytes = 0;
        res.on('data', (c: Buffer) => (bytes += c.length));
        res.on('end', () => (res.statusCode === 200 ? resolve(bytes) : reject(new Error(`download answered ${res.statusCode}`))));
      })
      .on('error', reject);
  });
}

function bareTarget(port: number): Target {
  return {
    name: 'bare Express pipe',
    upload: async (file) => {
      const { status } = await streamUpload(
        port,
        '/upload',
        { 'content-type': 'application/octet-stream' },
        Buffer.alloc(0),
        file,
        Buffer.alloc(0),
      );
      if (status !== 201) throw new Error(`bare upload answered ${status}`);
    },
    download: () => drain(port, '/download'),
  };
}

function sealroomTarget(port: number, name = 'Sealroom'): Target {
  // The download key a client would derive from the file key (the benchmark sends random bytes as the file).
  const downloadKey = randomBytes(32).toString('base64url');
  let fileId = '';
  let removePrevious = async () => undefined as unknown;
  /** A fresh room for the next file; the previous round's room (and file) is deleted, so the disk does not fill. */
  const nextRoom = async () => {
    await removePrevious();
    const { body, auth, owner } = newRoomBody();
    const created = await request(port, 'POST', '/create_room', { 'content-type': 'application/json' }, Buffer.from(JSON.stringify(body)));
    const roomId = JSON.parse(created.body).room_id as string;
    removePrevious = () =>
      request(port, 'DELETE', `/rooms/${roomId}`, { 'x-owner-signature': makeOwnerSignature(owner, roomId, Date.now()) });
    return { roomId, auth };
  };
  return {
    name,
    resumedUpload: async (file) => {
      const { roomId, auth } = await nextRoom();
      const size = fs.statSync(file).size;
      const metadata = Object.entries({
        protocol: PROTOCOL,
        room_id: roomId,
        proof: makeProof(auth, 'upload', roomId, Date.now()),
        download_key: downloadKey,
      })
        .map(([k, v]) => `${k} ${Buffer.from(v).toString('base64')}`)
        .join(',');
      const created = await request(port, 'POST', '/uploads', { ...TUS, 'upload-length': size, 'upload-metadata': metadata });
      if (created.status !== 201) throw new Error(`${name} tus creation answered ${created.status}: ${created.body}`);
      const url = new URL(created.headers.location ?? '', `http://127.0.0.1:${port}/uploads`).pathname;
      await patchFile(port, url, file, 0, Math.floor(size / 2));
      // The server lets go of the cut request (and stores what it received) before it answers where to resume.
      let head = await request(port, 'HEAD', url, TUS);
      while (head.status !== 200) head = await request(port, 'HEAD', url, TUS);
      const done = await patchFile(port, url, file, Number(head.headers['upload-offset']));
      if (done?.status !== 200) throw new Error(`${name} resumed PATCH answered ${done?.status}: ${done?.body}`);
      fileId = JSON.parse(done.body).file_id as string;
    },
    upload: async (file) => {
      const { roomId, auth } = await nextRoom();
      const boundary = `----bench${randomBytes(8).toString('hex')}`;
      const field = (name: string, value: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
      const before = Buffer.from(
        field('protocol', PROTOCOL) +
          field('room_id', roomId) +
          field('proof', makeProof(auth, 'upload', roomId, Date.now())) +
          field('size', String(fs.statSync(file).size)) +
          field('download_key', downloadKey) +
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="blob"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      );
      const after = Buffer.from(`\r\n--${boundary}--\r\n`);
      const uploaded = await streamUpload(
        port,
        '/upload_file',
        { 'content-type': `multipart/form-data; boundary=${boundary}` },
        before,
        file,
        after,
      );
      if (uploaded.status !== 201) throw new Error(`Sealroom upload answered ${uploaded.status}: ${uploaded.body}`);
      fileId = JSON.parse(uploaded.body).file_id as string;
    },
    download: () => drain(port, `/get_file?filename=${fileId}`, { 'x-download-proof': makeDownloadProof(downloadKey, fileId, Date.now()) }),
  };
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sealroom-bench-'));
  const sealroomDataDir = path.join(work, 'sealroom');
  const input = path.join(work, 'input.bin');
  console.log(`Writing a ${SIZE / 2 ** 20} MiB random file…`);
  const out = fs.openSync(input, 'w');
  const chunk = Buffer.alloc(4 * 1024 * 1024);
  for (let written = 0; written < SIZE; written += chunk.length)
    fs.writeSync(out, randomFillSync(chunk), 0, Math.min(chunk.length, SIZE - written));
  fs.closeSync(out);

  // Always rebuilt: a stale build would silently ignore settings it does not know (BLOB_STORE among them).
  execSync('npx tsc -p tsconfig.build.json', { cwd: ROOT, stdio: 'inherit' });
  const sealroomEnv = {
    UPLOAD_SIZE_LIMIT: String(Math.ceil(SIZE / 2 ** 20) + 1),
    FOLDER_SIZE_LIMIT: String(Math.ceil((3 * SIZE) / 2 ** 30) + 1),
    // One load generator on one address: the per-address and per-room shares of the quota would refuse the file.
    UPLOAD_IP_SHARE: '100',
    UPLOAD_ROOM_SHARE: '100',
    LOG_LEVEL: 'warn',
    RATE_LIMIT_CREATE_ROOM: '100000',
    RATE_LIMIT_UPLOAD: '100000',
  };
  const sealroom = await startProcess(
    path.join(ROOT, 'dist/src/main.js'),
    { DATA_DIR: sealroomDataDir, ...sealroomEnv },
    5601,
    process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [],
  );
  let s3: S3TestServer | null = null;
  let sealroomS3: Awaited<ReturnType<typeof startProcess>> | null = null;
  if (WITH_S3) {
    s3 = await startS3Server('sealroom-bench');
    sealroomS3 = await startProcess(
      path.join(ROOT, 'dist/src/main.js'),
      { DATA_DIR: path.join(work, 'sealroom-s3'), ...sealroomEnv, ...s3.env },
      5603,
    );
  }
  const bare = await startProcess(path.join(__dirname, 'support/bare-express-server.ts'), { DATA_DIR: path.join(work, 'bare') }, 5602, [
    '--import',
    'tsx',
  ]);
  const targets = [bareTarget(5602), sealroomTarget(5601), ...(WITH_S3 ? [sealroomTarget(5603, 'Sealroom (S3)')] : [])];
  const seconds: Record<string, { up: number[]; down: number[]; resumed: number[] }> = {};
  for (const t of targets) seconds[t.name] = { up: [], down: [], resumed: [] };

  try {
    for (let round = 1; round <= ROUNDS; round++) {
      for (const t of round % 2 ? targets : [...targets].reverse()) {
        seconds[t.name].up.push(await timed(() => t.upload(input)));
      }
      for (const t of round % 2 ? targets : [...targets].reverse()) {
        let bytes = 0;
        seconds[t.name].down.push(await timed(async () => (bytes = await t.download())));
        if (bytes !== SIZE) throw new Error(`${t.name} download returned ${bytes} bytes, expected ${SIZE}`);
      }
      for (const t of round % 2 ? targets : [...targets].reverse()) {
        const resumed = t.resumedUpload;
        if (!resumed) continue;
        seconds[t.name].resumed.push(await timed(() => resumed(input)));
        if ((await t.download()) !== SIZE) throw new Error(`${t.name}'s resumed upload did not give back ${SIZE} bytes`);
      }
      console.log(`round ${round}/${ROUNDS} done`);
    }
    const mbps = (s: number) => SIZE / 2 ** 20 / s;
    const rate = (name: string, way: 'up' | 'down' | 'resumed') => (seconds[name]?.[way].length ? mbps(median(seconds[name][way])) : null);
    const rss = (p: typeof sealroomS3) => (p ? peakRssMb(p.pid as number) : null);
    const result = {
      date: new Date().toISOString(),
      machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`,
      sizeMiB: SIZE / 2 ** 20,
      rounds: ROUNDS,
      uploadMBps: { bare: rate('bare Express pipe', 'up'), sealroom: rate('Sealroom', 'up'), sealroomS3: rate('Sealroom (S3)', 'up') },
      downloadMBps: {
        bare: rate('bare Express pipe', 'down'),
        sealroom: rate('Sealroom', 'down'),
        sealroomS3: rate('Sealroom (S3)', 'down'),
      },
      // Against the bare pipe's plain upload: the cut, the HEAD and the resent bytes are the resumable upload's cost.
      resumedUploadMBps: { bare: null, sealroom: rate('Sealroom', 'resumed'), sealroomS3: rate('Sealroom (S3)', 'resumed') },
      // The S3 variant's RSS is Sealroom's alone; s3rver (the storage server) runs in a process of its own.
      peakRssMB: { bare: rss(bare), sealroom: rss(sealroom), sealroomS3: rss(sealroomS3) },
    };
    const cell = (v: number | null) => (v === null ? '–' : v.toFixed(0));
    const ratio = (a: number | null, b: number | null) => (a === null || b === null ? '–' : `${(a / b).toFixed(2)}×`);
    console.log(`\n| ${SIZE / 2 ** 20} MiB, median of ${ROUNDS} | bare Express pipe | Sealroom | ratio | Sealroom (S3, s3rver) | ratio |`);
    console.log('|---|---|---|---|---|---|');
    for (const [label, r] of [
      ['upload MB/s', result.uploadMBps],
      ['download MB/s', result.downloadMBps],
      ['resumable upload cut at 50 %, MB/s (vs bare upload)', { ...result.resumedUploadMBps, bare: result.uploadMBps.bare }],
    ] as const) {
      const bareCell = label.startsWith('resumable') ? '–' : cell(r.bare);
      console.log(
        `| ${label} | ${bareCell} | ${cell(r.sealroom)} | ${ratio(r.sealroom, r.bare)} | ${cell(r.sealroomS3)} | ${ratio(r.sealroomS3, r.bare)} |`,
      );
    }
    const m = result.peakRssMB;
    console.log(`| server peak RSS MB | ${cell(m.bare)} | ${cell(m.sealroom)} | | ${cell(m.sealroomS3)} | |`);
    fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
    fs.writeFileSync(path.join(__dirname, 'results', 'rest-transfer.json'), `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await Promise.all([stopProcess(sealroom), stopProcess(bare), ...(sealroomS3 ? [stopProcess(sealroomS3)] : [])]);
    await s3?.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
