import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { PROTOCOL, TEST_DOWNLOAD_KEY, downloadProof } from './rooms';

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

/** The fields a v2 upload sends before `room_id` and after `size`: the version, then the download key. */
export const V2_FIELDS = {
  protocol: { name: 'protocol', value: PROTOCOL },
  downloadKey: { name: 'download_key', value: TEST_DOWNLOAD_KEY },
};

/** The usual upload form: fields first (with TEST_DOWNLOAD_KEY as the download key), then the file part. */
export function uploadForm(roomId: string, proof: string, data: Buffer, extra: Part[] = [], before: Part[] = []) {
  return multipart([
    V2_FIELDS.protocol,
    { name: 'room_id', value: roomId },
    { name: 'proof', value: proof },
    { name: 'size', value: String(data.length) },
    V2_FIELDS.downloadKey,
    ...before,
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

/** Uploads `data` to a room with a fresh upload proof; `before` are more fields sent before the file part. */
export function upload(
  baseUrl: string,
  roomId: string,
  proof: string,
  data: Buffer,
  extra: Part[] = [],
  before: Part[] = [],
): Promise<RawResponse> {
  const { body, contentType } = uploadForm(roomId, proof, data, extra, before);
  return send(baseUrl, {
    method: 'POST',
    path: '/upload_file',
    headers: { 'content-type': contentType, 'content-length': body.length },
    body,
  });
}

/**
 * Downloads a file over a real socket. By default a new, counted download with a fresh download proof made with
 * TEST_DOWNLOAD_KEY; pass `proof: null` to send none (add `x-download-token` to `headers` to continue a download).
 */
export function download(
  baseUrl: string,
  fileId: string,
  headers: Record<string, string> = {},
  options: { method?: string; proof?: string | null; nowMs?: number } = {},
): Promise<RawResponse> {
  const proof = options.proof === undefined ? downloadProof(fileId, options.nowMs) : options.proof;
  return send(baseUrl, {
    method: options.method ?? 'GET',
    path: `/get_file?filename=${encodeURIComponent(fileId)}`,
    headers: { ...(proof !== null && { 'x-download-proof': proof }), ...headers },
  });
}
