import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { makeProof, type ProofPurpose } from '../../src/services/proof';

/** A room as a test client knows it: its id and the auth key it derived (here simply random). */
export interface TestRoom {
  roomId: string;
  auth: string;
  proof(purpose: ProofPurpose, nowMs?: number): string;
}

export const randomAuthKey = () => randomBytes(32).toString('base64url');

/** Creates a room through the REST API. */
export async function createRoom(baseUrl: string, body: Record<string, unknown> = {}): Promise<TestRoom> {
  const auth = (body.auth as string | undefined) ?? randomAuthKey();
  const res = await request(baseUrl)
    .post('/create_room')
    .send({ auth, ...body });
  if (res.status !== 201) throw new Error(`create_room failed: ${res.status} ${JSON.stringify(res.body)}`);
  const roomId = res.body.room_id as string;
  return { roomId, auth, proof: (purpose, nowMs = Date.now()) => makeProof(auth, purpose, roomId, nowMs) };
}
