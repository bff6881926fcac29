import { createHash, randomBytes } from 'node:crypto';
import {
  base64urlEncode,
  deriveFileAccessKeys,
  deriveRoomKeys,
  generateFileKey,
  generateRoomSecret,
  generateSigningKey,
  makeDownloadProof,
  makeOwnerSignature,
  makeProof,
  type FileAccessKeys,
  type ProofPurpose,
  type RoomKeys,
  type SigningKey,
} from '../../../sdk/src/crypto/index.js';
import { PROTOCOL_VERSION } from '../../../sdk/src/protocol.js';
import { type RestApi } from '../../../sdk/src/rest/rest-api.js';

/** A room created through the generated REST client, with the keys the SDK's crypto derived for it. */
export interface SdkRoom {
  roomId: string;
  secret: Uint8Array;
  keys: RoomKeys;
  owner: SigningKey;
  proof(purpose: ProofPurpose): Promise<string>;
  /** The `X-Owner-Signature` that deletes the room. */
  ownerSignature(): Promise<string>;
}

export async function createSdkRoom(rest: RestApi): Promise<SdkRoom> {
  const secret = generateRoomSecret();
  const roomId = base64urlEncode(randomBytes(16));
  const keys = await deriveRoomKeys({ roomId, secret });
  const owner = await generateSigningKey();
  await rest.call((api) =>
    api.rooms.createRoom({
      requestBody: { protocol: PROTOCOL_VERSION, room_id: roomId, auth: base64urlEncode(keys.authRaw), owner_key: owner.publicKey },
    }),
  );
  return {
    roomId,
    secret,
    keys,
    owner,
    proof: (purpose) => makeProof(keys.auth, purpose, roomId),
    ownerSignature: () => makeOwnerSignature(owner, roomId),
  };
}

/** A file key with its access keys, for raw uploads: the upload's `protocol` and `download_key` fields, and download proofs. */
export interface SdkFileKey {
  fileKey: Uint8Array;
  access: FileAccessKeys;
  /** The fields every upload form needs besides room_id, proof, size and file. */
  fields: { protocol: string; download_key: string };
  downloadProof(fileId: string): Promise<string>;
}

export async function sdkFileKey(): Promise<SdkFileKey> {
  const fileKey = generateFileKey();
  const access = await deriveFileAccessKeys(fileKey);
  return {
    fileKey,
    access,
    fields: { protocol: PROTOCOL_VERSION, download_key: base64urlEncode(access.dkRaw) },
    downloadProof: (fileId) => makeDownloadProof(access.dk, fileId),
  };
}

/** `size` random bytes that start with every byte value 0-255 (and CR, LF, dashes: multipart's own bytes). */
export function binaryFixture(size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  bytes.set(randomBytes(size));
  for (let i = 0; i < Math.min(256, size); i++) bytes[i] = i;
  const tricky = Buffer.from('\r\n--\r\n------WebKitFormBoundary\r\n\r\n', 'latin1');
  if (size > 512) bytes.set(tricky, 300);
  return bytes;
}

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Reads a whole stream into one byte array. */
export async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const reader = stream.getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value);
  return Buffer.concat(chunks);
}

/** A stream of `size` bytes generated on demand, recording how many bytes were pulled from it. */
export function lazySource(size: number, chunk = 65536): { stream: ReadableStream<Uint8Array>; pulled: () => number } {
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (pulled >= size) return controller.close();
        const n = Math.min(chunk, size - pulled);
        pulled += n;
        controller.enqueue(new Uint8Array(n).fill(pulled % 251));
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, pulled: () => pulled };
}
