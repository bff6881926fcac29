import { randomBytes } from 'node:crypto';
import spec from '../../spec/openapi.json';
import { download, send, upload, type RawResponse } from '../support/multipart';
import { createRoom, downloadProof, randomAuthKey } from '../support/rooms';
import { startServer, type TestServer } from '../support/server';
import { collect, connect, join, sendMessage } from '../support/sockets';
import { createUpload, deleteUpload, headUpload, patchUpload, uploadMetadata, uploadUrl, type TusAnswer } from '../support/tus';

/**
 * What the abuse tests in tests/api do not already pin: that no response of any endpoint, REST or socket,
 * carries a room's `auth` key in any encoding; that every HTML page the server sends has the strict CSP; and
 * that `Content-Disposition` cannot be made to carry anything but the server's own file id.
 */
describe('no key in any response, CSP on every page, no header injection', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  /** The auth key as base64url, standard base64 and hex: any of them in a response is a leak. */
  const encodings = (authB64url: string) => {
    const raw = Buffer.from(authB64url, 'base64url');
    return [authB64url, raw.toString('base64'), raw.toString('base64').replace(/=+$/, ''), raw.toString('hex')];
  };
  const text = (res: RawResponse) => `${JSON.stringify(res.headers)}\n${res.body.toString('latin1')}`;

  it('never returns a room auth key, from any operation of the spec or the socket channel', async () => {
    const auth = randomAuthKey();
    const salt = randomBytes(16).toString('base64url');
    const room = await createRoom(server.url, { auth, password: { salt, iterations: 600_000 } });
    const seen: string[] = [];
    const keep = (res: RawResponse) => {
      seen.push(text(res));
      return res;
    };
    // Every operation of the REST contract, called the way a client would.
    const operations = Object.values(spec.paths as Record<string, Record<string, { operationId: string }>>).flatMap((m) =>
      Object.values(m).map((o) => o.operationId),
    );
    const up = keep(await upload(server.url, room.roomId, room.proof('upload'), randomBytes(3_000)));
    const fileId = up.json().file_id as string;
    keep(await send(server.url, { method: 'GET', path: `/room_exists?room_id=${room.roomId}` }));
    keep(await download(server.url, fileId));
    keep(await download(server.url, fileId, {}, { method: 'HEAD' }));
    keep(
      await send(server.url, {
        method: 'GET',
        path: `/file_info?filename=${fileId}`,
        headers: { 'x-download-proof': downloadProof(fileId) },
      }),
    );
    // Resumable uploads (tus): create, ask the offset, send the bytes; create another and abandon it.
    const tus = (answer: TusAnswer) => {
      seen.push(answer.text, JSON.stringify([...answer.headers]));
      return answer;
    };
    const bytes = randomBytes(3_000);
    const resumable = uploadUrl(server.url, tus(await createUpload(server.url, bytes.length, uploadMetadata(room))));
    tus(await headUpload(resumable));
    expect(tus(await patchUpload(resumable, 0, bytes)).status).toBe(200);
    const abandoned = uploadUrl(server.url, tus(await createUpload(server.url, 10, uploadMetadata(room))));
    expect(tus(await deleteUpload(abandoned)).status).toBe(204);
    keep(await send(server.url, { method: 'GET', path: '/health' }));
    keep(await send(server.url, { method: 'GET', path: '/config' }));
    keep(await send(server.url, { method: 'GET', path: '/openapi.json' }));
    keep(await send(server.url, { method: 'GET', path: '/asyncapi.yaml' }));
    keep(
      await send(server.url, {
        method: 'POST',
        path: '/create_room',
        headers: { 'content-type': 'application/json' },
        body: Buffer.from(JSON.stringify({ protocol: 'sealroom/v2', room_id: room.roomId, auth, owner_key: room.ownerKey })),
      }),
    );
    // Realtime: a join ack lists the members present, member:joined and message:new go to the others.
    const [a, b] = [connect(server.url), connect(server.url)];
    const events = [collect(b, 'member:joined'), collect(b, 'message:new')];
    const acks = [await join(b, room), await join(a, room), await sendMessage(a, room.roomId)];
    await new Promise((r) => setTimeout(r, 200));
    seen.push(JSON.stringify(acks), JSON.stringify(events));
    a.disconnect();
    b.disconnect();
    keep(
      await send(server.url, { method: 'DELETE', path: `/rooms/${room.roomId}`, headers: { 'x-owner-signature': room.ownerSignature() } }),
    );

    // Each operation in the spec was called above (a new operation must be added here).
    const called = new Set([
      'CreateRoom',
      'RoomExists',
      'DeleteRoom',
      'UploadFile',
      'CreateUpload',
      'UploadOffset',
      'AppendUpload',
      'TerminateUpload',
      'GetFile',
      'HeadFile',
      'FileInfo',
      'Health',
      'Config',
    ]);
    expect(operations.filter((o) => !called.has(o))).toEqual([]);
    for (const encoded of encodings(auth)) expect(seen.filter((s) => s.includes(encoded))).toEqual([]);
  });

  it('sends the strict CSP with every HTML page it serves', async () => {
    const paths = [
      '/',
      '/docs',
      '/docs/',
      '/docs/index.html',
      '/asyncapi',
      '/asyncapi/',
      '/r/abcdefgh',
      '/f/abcdefgh',
      '/nope',
      '/get_file?filename=../../etc/passwd',
    ];
    let pages = 0;
    for (const path of paths) {
      const res = await send(server.url, { method: 'GET', path });
      const isHtml =
        String(res.headers['content-type'] ?? '').startsWith('text/html') ||
        /^\s*<(!doctype|html)/i.test(res.body.toString('utf8', 0, 100));
      if (!isHtml) continue;
      pages++;
      const csp = String(res.headers['content-security-policy'] ?? '');
      expect({
        path,
        csp: csp.includes("default-src 'self'") && csp.includes("frame-ancestors 'none'") && !/script-src[^;]*unsafe-inline/.test(csp),
      }).toEqual({ path, csp: true });
      expect({ path, nosniff: res.headers['x-content-type-options'], referrer: res.headers['referrer-policy'] }).toEqual({
        path,
        nosniff: 'nosniff',
        referrer: 'no-referrer',
      });
    }

    console.log(`CSP checked on ${pages} HTML pages of ${paths.length} paths`);
    expect(pages).toBeGreaterThan(0); // at least the API docs are HTML
  });

  it('cannot be made to put anything but its own file id into Content-Disposition', async () => {
    const hostile = [
      'x"; filename="evil.html',
      'abcdefgh\r\nSet-Cookie: a=b',
      'abcdefgh%0d%0aSet-Cookie:%20a=b',
      'abc\u0000defgh',
      '../../../../etc/passwd',
      'abcdefgh;.html',
      '\u202eabcdefgh',
    ];
    for (const name of hostile) {
      const res = await download(server.url, name);
      expect({ name, status: res.status }).toEqual({ name, status: 400 });
      expect(res.headers['content-disposition']).toBeUndefined();
      expect(res.headers['set-cookie']).toBeUndefined();
    }
  });
});
