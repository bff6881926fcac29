import fs from 'node:fs';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { createRoom, downloadProof } from '../support/rooms';
import { startServer, type TestServer } from '../support/server';
import { upload, uploadForm } from '../support/multipart';
import { blobFolder, eventually, fileRows } from '../support/storage';

/** Open file descriptors of this process (the server runs in it) that point into the blob folder. */
function openBlobHandles(server: TestServer): number {
  const dir = fs.realpathSync(`${server.dataDir}/files`);
  return fs.readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return fs.readlinkSync(`/proc/self/fd/${fd}`).startsWith(dir);
    } catch {
      return false;
    }
  }).length;
}

const connections = (server: TestServer) =>
  new Promise<number>((resolve, reject) => server.sealroom.server.getConnections((err, n) => (err ? reject(err) : resolve(n))));

/** Resolves when the server closes the socket. */
const closedByServer = (socket: net.Socket) => new Promise<void>((resolve) => socket.once('close', () => resolve()));

describe('slow and stalled clients are cut off and hold nothing', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ env: { IDLE_TIMEOUT: '1' } });
  });
  afterAll(() => server.close());

  it('cuts a slowloris upload that stops sending, and gives its reservation back', async () => {
    const room = await createRoom(server.url);
    const { body, contentType } = uploadForm(room.roomId, room.proof('upload'), randomBytes(200_000));
    const socket = net.connect(server.port, '127.0.0.1');
    socket.on('error', () => undefined);
    socket.write(`POST /upload_file HTTP/1.1\r\nHost: x\r\nContent-Type: ${contentType}\r\nContent-Length: ${body.length}\r\n\r\n`);
    socket.write(body.subarray(0, 100_000));
    await eventually(() => blobFolder(server).temps.length === 1, 'the upload to start');
    // ...and then nothing more.
    await closedByServer(socket);
    await eventually(
      async () => blobFolder(server).temps.length === 0 && (await fileRows(server)).length === 0,
      'the stalled upload to be discarded',
    );
    expect(await server.sealroom.services.files.usedBytes()).toBe(0);
  });

  it('cuts a client that starts its request headers and never finishes them', async () => {
    const socket = net.connect(server.port, '127.0.0.1');
    socket.on('error', () => undefined);
    socket.write('GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ');
    await closedByServer(socket);
    expect(socket.destroyed).toBe(true);
  });

  it('cuts a reader that never reads its download, and closes the file', async () => {
    const room = await createRoom(server.url);
    const up = await upload(server.url, room.roomId, room.proof('upload'), randomBytes(16 * 1024 * 1024));
    const fileId = up.json().file_id as string;
    const socket = net.connect({ port: server.port, host: '127.0.0.1' });
    socket.on('error', () => undefined);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(`GET /get_file?filename=${fileId} HTTP/1.1\r\nHost: x\r\nX-Download-Proof: ${downloadProof(fileId)}\r\n\r\n`);
    // Read a little so the response has started, then stop reading for good.
    await new Promise<void>((resolve) => socket.once('data', () => resolve()));
    socket.pause();
    await eventually(() => openBlobHandles(server) === 1, 'the download to hold its file open');
    // The paused client will not notice the close until it reads again; the server must let go by itself.
    await eventually(() => openBlobHandles(server) === 0, 'the file handle to be released');
    await eventually(async () => (await connections(server)) === 0, 'the server to drop the connection');
    socket.destroy();
  });
});
