/** What the benchmarks send to create rooms and upload files over protocol `sealroom/v2` (PROTOCOL.md). */
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';

export const PROTOCOL = 'sealroom/v2';

/**
 * A `create_room` body with a fresh `auth` key and owner key; the `auth` key (for proofs) and the owner's private
 * key (for deleting the room) stay with the caller.
 */
export function newRoomBody(): { body: { protocol: string; auth: string; owner_key: string }; auth: string; owner: KeyObject } {
  const auth = randomBytes(32).toString('base64url');
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return { body: { protocol: PROTOCOL, auth, owner_key: publicKey.export({ format: 'jwk' }).x as string }, auth, owner: privateKey };
}
