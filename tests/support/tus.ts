import { TEST_DOWNLOAD_KEY, PROTOCOL, type TestRoom } from './rooms';

/** tus's Upload-Metadata: comma-separated `key base64(value)` pairs. */
export function tusMetadata(fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(([k, v]) => `${k} ${Buffer.from(v, 'utf8').toString('base64')}`)
    .join(',');
}

/** The creation metadata of a valid upload into `room`, with `overrides` (undefined removes a field). */
export function uploadMetadata(room: TestRoom, nowMs = Date.now(), overrides: Record<string, string | undefined> = {}): string {
  const fields: Record<string, string | undefined> = {
    protocol: PROTOCOL,
    room_id: room.roomId,
    proof: room.proof('upload', nowMs),
    download_key: TEST_DOWNLOAD_KEY,
    ...overrides,
  };
  return tusMetadata(Object.fromEntries(Object.entries(fields).filter((e): e is [string, string] => e[1] !== undefined)));
}

export interface TusAnswer {
  status: number;
  headers: Headers;
  text: string;
  /** The body as JSON, or null. */
  json: { error?: { code: string; message: string } } & Record<string, unknown>;
}

async function answer(res: Response): Promise<TusAnswer> {
  const text = await res.text();
  let json: TusAnswer['json'];
  try {
    json = JSON.parse(text) as TusAnswer['json'];
  } catch {
    json = {};
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** `POST /uploads` (tus creation). */
export async function createUpload(
  baseUrl: string,
  length: number,
  metadata: string,
  headers: Record<string, string> = {},
): Promise<TusAnswer> {
  const res = await fetch(`${baseUrl}/uploads`, {
    method: 'POST',
    headers: { 'Tus-Resumable': '1.0.0', 'Upload-Length': String(length), 'Upload-Metadata': metadata, ...headers },
  });
  return answer(res);
}

/** The upload URL a creation answered with (its Location, relative to `/uploads`). */
export const uploadUrl = (baseUrl: string, created: TusAnswer): string =>
  new URL(created.headers.get('location') ?? '', `${baseUrl}/uploads`).href;

export async function headUpload(url: string): Promise<TusAnswer> {
  return answer(await fetch(url, { method: 'HEAD', headers: { 'Tus-Resumable': '1.0.0' } }));
}

export async function patchUpload(url: string, offset: number, body: Buffer): Promise<TusAnswer> {
  const res = await fetch(url, {
    method: 'PATCH',
    headers: { 'Tus-Resumable': '1.0.0', 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream' },
    body: new Uint8Array(body),
  });
  return answer(res);
}

export async function deleteUpload(url: string): Promise<TusAnswer> {
  return answer(await fetch(url, { method: 'DELETE', headers: { 'Tus-Resumable': '1.0.0' } }));
}
