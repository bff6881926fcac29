import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import request from 'supertest';
import { makeDownloadProof, makeOwnerSignature, makeProof, type ProofPurpose } from '../../src/services/proof';

export const PROTOCOL = 'sealroom/v2';

/** A room as a test client knows it: its id, the auth key it derived (here simply random) and the owner's key pair. */
export interface TestRoom {
  roomId: string;
  auth: string;
  /** The owner's Ed25519 public key as sent at creation (base64url, 32 bytes). */
  ownerKey: string;
  ownerPrivateKey: KeyObject;
  proof(purpose: ProofPurpose, nowMs?: number): string;
  /** The owner's `X-Owner-Signature` for deleting the room. */
  ownerSignature(nowMs?: number): string;
}

export const randomAuthKey = () => randomBytes(32).toString('base64url');

/** A fresh Ed25519 owner key pair: the public key as create_room takes it, and the private key. */
export function ownerKeyPair(): { ownerKey: string; privateKey: KeyObject } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return { ownerKey: publicKey.export({ format: 'jwk' }).x as string, privateKey };
}

/** Creates a room through the REST API. */
export async function createRoom(baseUrl: string, body: Record<string, unknown> = {}): Promise<TestRoom> {
  const auth = (body.auth as string | undefined) ?? randomAuthKey();
  const owner = ownerKeyPair();
  const ownerKey = (body.owner_key as string | undefined) ?? owner.ownerKey;
  const res = await request(baseUrl)
    .post('/create_room')
    .send({ protocol: PROTOCOL, auth, owner_key: ownerKey, ...body });
  if (res.status !== 201) throw new Error(`create_room failed: ${res.status} ${JSON.stringify(res.body)}`);
  const roomId = res.body.room_id as string;
  return {
    roomId,
    auth,
    ownerKey,
    ownerPrivateKey: owner.privateKey,
    proof: (purpose, nowMs = Date.now()) => makeProof(auth, purpose, roomId, nowMs),
    ownerSignature: (nowMs = Date.now()) => makeOwnerSignature(owner.privateKey, roomId, nowMs),
  };
}

/** Deletes a room as its owner; resolves with the response. */
export function deleteRoom(baseUrl: string, room: TestRoom, nowMs = Date.now()) {
  return request(baseUrl).delete(`/rooms/${room.roomId}`).set('x-owner-signature', room.ownerSignature(nowMs));
}

/**
 * The download key every test upload registers unless it names another (tests stand for a client that derived
 * it from the file key), and the download proof made with it.
 */
export const TEST_DOWNLOAD_KEY = randomBytes(32).toString('base64url');
export const downloadProof = (fileId: string, nowMs = Date.now(), key = TEST_DOWNLOAD_KEY) => makeDownloadProof(key, fileId, nowMs);
