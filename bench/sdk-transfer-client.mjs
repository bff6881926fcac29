#!/usr/bin/env node
// One client-side transfer of the SDK benchmark (bench/sdk-transfer.bench.ts), in its own process so that its
// peak RSS is its own. Runs against the built SDK (sdk/dist), as an installed package would.
//
//   node bench/sdk-transfer-client.mjs sdk-upload     <server url> <input file>   -> {seconds, bytes, link}
//   node bench/sdk-transfer-client.mjs sdk-download   <file link>                 -> {seconds, bytes}
//   node bench/sdk-transfer-client.mjs plain-upload   <server url> <input file>   -> {seconds, bytes, fileId}
//   node bench/sdk-transfer-client.mjs plain-download <server url> <file id>      -> {seconds, bytes}
//
// Prints one JSON line with the result, `cpuSeconds` (this process's CPU time during the timed part) and
// `peakRssMB` (this process's maxRSS). The timed part excludes start-up, room creation and joining. Bodies are drained and counted, not hashed (the SDK's download
// authenticates every record as it decrypts; a wrong byte fails it).
import { createHmac, generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import { createReadStream } from 'node:fs';
import { SealroomClient, base64urlEncode, deriveRoomKeys, generateRoomSecret, makeProof, randomId } from '../sdk/dist/node.js';

const [mode, ...args] = process.argv.slice(2);

let cpuStart = process.cpuUsage();
const seconds = (start) => Number(process.hrtime.bigint() - start) / 1e9;
/** Starts the clock (wall and CPU). */
function startTimer() {
  cpuStart = process.cpuUsage();
  return process.hrtime.bigint();
}
function cpuSeconds() {
  const used = process.cpuUsage(cpuStart);
  return (used.user + used.system) / 1e6;
}

async function drain(stream) {
  let bytes = 0;
  const reader = stream.getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) bytes += r.value.byteLength;
  return bytes;
}

async function sdkUpload(baseUrl, input) {
  const client = new SealroomClient({ baseUrl });
  const room = await client.join((await client.createRoom()).link, { name: 'Bench' });
  const start = startTimer();
  // One download each: the server deletes the file after it, so rounds do not fill its storage.
  const file = await room.shareFile(createReadStream(input, { highWaterMark: 256 * 1024 }), {
    type: 'application/octet-stream',
    maxDownloads: 1,
  });
  const result = { seconds: seconds(start), cpuSeconds: cpuSeconds(), bytes: file.size, link: file.link };
  await client.close();
  return result;
}

async function sdkDownload(link) {
  const client = new SealroomClient();
  const start = startTimer();
  const download = await client.downloadFile(link);
  const bytes = await drain(download.stream);
  return { seconds: seconds(start), cpuSeconds: cpuSeconds(), bytes };
}

/**
 * The download key of the plain transfers: they upload the file as is, so there is no file key to derive it from,
 * and the downloading process (another one) needs the same key to make its download proof.
 */
const PLAIN_DOWNLOAD_KEY = Buffer.alloc(32, 7);

/** Plain fetch: a room made with the SDK's crypto (not timed), then the file as is, in a multipart Blob read from disk. */
async function plainUpload(baseUrl, input) {
  const roomId = randomId();
  const keys = await deriveRoomKeys({ roomId, secret: generateRoomSecret() });
  const created = await fetch(`${baseUrl}/create_room`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      protocol: 'sealroom/v2',
      room_id: roomId,
      auth: base64urlEncode(keys.authRaw),
      owner_key: generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x,
    }),
  });
  if (created.status !== 201) throw new Error(`create_room answered ${created.status}`);
  const proof = await makeProof(keys.auth, 'upload', roomId);
  const start = startTimer();
  const file = await fs.openAsBlob(input);
  const boundary = `----bench${randomId()}`;
  const field = (name, value) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const body = new Blob([
    field('protocol', 'sealroom/v2') +
      field('room_id', roomId) +
      field('proof', proof) +
      field('size', String(file.size)) +
      field('download_key', PLAIN_DOWNLOAD_KEY.toString('base64url')) +
      field('max_downloads', '1'),
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="blob"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    file,
    `\r\n--${boundary}--\r\n`,
  ]);
  const response = await fetch(`${baseUrl}/upload_file`, {
    method: 'POST',
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    body,
  });
  const uploaded = await response.json();
  if (response.status !== 201) throw new Error(`upload answered ${response.status}: ${JSON.stringify(uploaded)}`);
  return { seconds: seconds(start), cpuSeconds: cpuSeconds(), bytes: file.size, fileId: uploaded.file_id };
}

async function plainDownload(baseUrl, fileId) {
  const start = startTimer();
  const ts = Math.floor(Date.now() / 1000);
  const mac = createHmac('sha256', PLAIN_DOWNLOAD_KEY).update(`sealroom/v2|download|${fileId}|${ts}`).digest('base64url');
  const response = await fetch(`${baseUrl}/get_file?filename=${fileId}`, { headers: { 'x-download-proof': `${ts}.${mac}` } });
  if (response.status !== 200) throw new Error(`download answered ${response.status}`);
  const bytes = await drain(response.body);
  return { seconds: seconds(start), cpuSeconds: cpuSeconds(), bytes };
}

const modes = { 'sdk-upload': sdkUpload, 'sdk-download': sdkDownload, 'plain-upload': plainUpload, 'plain-download': plainDownload };
if (!modes[mode]) {
  console.error(`unknown mode ${mode}`);
  process.exit(2);
}
const result = await modes[mode](...args);
console.log(JSON.stringify({ ...result, peakRssMB: process.resourceUsage().maxRSS / 1024 }));
