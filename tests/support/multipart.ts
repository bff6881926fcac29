import { randomBytes } from 'node:crypto';
import http from 'node:http';

export type Part = { name: string; value: string } | { name: string; filename: string; data: Buffer; type?: string };

/** A multipart/form-data body with the parts in exactly the given order (tests need to control it). */
export function multipart(parts: Part[]): { body: Buffer; contentType: string } {
  const boundary = `----sealroom${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    if ('filename' in part) {
      chunks.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"; filename="${part.filename}"\r\n` +
            `Content-Type: ${part.type ?? 'application/octet-stream'}\r\n\r\n`,
        ),
        part.data,
        Buffer.from('\r\n'),
      );
    } else {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"\r\n\r\n${part.value}\r\n`));
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** The usual upload form: fields first, then the file part. */
export function uploadForm(roomId: string, proof: string, data: Buffer, extra: Part[] = []) {
  return multipart([
    { name: 'room_id', value: roomId },
    { name: 'proof', value: proof },
    { name: 'size', value: String(data.length) },
    { name: 'file', filename: 'blob', data },
    ...extra,
  ]);
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever JSON came back
  json<T = any>(): T;
}

/** Sends a request over a real socket and collects the whole response. */
export function send(
  baseUrl: string,
  opts: { method: string; path: string; headers?: http.OutgoingHttpHeaders; body?: Buffer },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(opts.path, baseUrl), { method: opts.method, headers: opts.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body.toString('utf8')) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** Uploads `data` to a room with a fresh upload proof. */
export function upload(baseUrl: string, roomId: string, proof: string, data: Buffer, extra: Part[] = []): Promise<RawResponse> {
  const { body, contentType } = uploadForm(roomId, proof, data, extra);
  return send(baseUrl, {
    method: 'POST',
    path: '/upload_file',
    headers: { 'content-type': contentType, 'content-length': body.length },
    body,
  });
}
