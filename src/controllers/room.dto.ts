import type { RoomInfo } from '../services/room.service';
import type { ProtocolVersion, RoomId } from './common.dto';

/**
 * Public parameters of a password room's key derivation, sent when a password room is created and returned by
 * `/room_exists`. Knowing them does not help without the password.
 */
export interface PasswordKdf {
  /**
   * PBKDF2 salt: 16 random bytes, base64url without padding.
   * @pattern ^[A-Za-z0-9_-]{22}$
   * @example "pVnCv0B1yqtKqU6O0F8ZmQ"
   */
  salt: string;
  /**
   * PBKDF2-SHA256 iterations: at least 600000, at most 10000000 (what clients agree to run).
   * @isInt
   * @minimum 600000
   * @maximum 10000000
   * @example 600000
   */
  iterations: number;
}

export interface CreateRoomRequest {
  // Checked before every other field: a body without it (a v1 client) gets UNSUPPORTED_VERSION.
  protocol: ProtocolVersion;
  /**
   * A custom room id; leave it out to get a random 128-bit one.
   * @pattern ^[A-Za-z0-9_-]{6,36}$
   */
  room_id?: string;
  /**
   * The room's `auth` key (HKDF-derived from the room secret, 32 bytes, base64url without padding). The server
   * uses it only to check room proofs; the content keys cannot be derived from it.
   * @pattern ^[A-Za-z0-9_-]{43}$
   * @example "REPLACE_with_the_auth_printed_by_keys_cjs__"
   */
  auth: string;
  /**
   * The room owner's Ed25519 public key (32 bytes, base64url without padding). Only the holder of its private key
   * (the creator; it is not in the invite link) can delete the room, with `X-Owner-Signature`. The server checks
   * that it is a valid Ed25519 public key.
   * @pattern ^[A-Za-z0-9_-]{43}$
   * @example "REPLACE_with_the_owner_key_printed_by_keys_"
   */
  owner_key: string;
  // Present for a password room (the KDF parameters are public: /room_exists returns them to anyone).
  // A JSDoc comment here would put a description beside the $ref, which OpenAPI 3.0 does not allow.
  password?: PasswordKdf;
}

export interface RoomResponse {
  room_id: RoomId;
  /**
   * Unix milliseconds.
   * @example 1764172800000
   */
  created_at: number;
  /**
   * When the room expires if nobody uses it (Unix milliseconds); activity pushes it back by ROOM_AGE_LIMIT.
   * @example 1764259200000
   */
  expires_at: number;
  // Present only for a password room: then a member needs the password as well as (or instead of) the link's secret.
  // (No JSDoc here: OpenAPI 3.0 allows no description beside a $ref.)
  password?: PasswordKdf;
}

export const toRoomResponse = (room: RoomInfo): RoomResponse => ({
  room_id: room.roomId,
  created_at: room.createdAt,
  expires_at: room.expiresAt,
  ...(room.password ? { password: room.password } : {}),
});

export const roomExample: RoomResponse = {
  room_id: 'q1Bx0a3n8mHtYc2zUe4WvA',
  created_at: 1764172800000,
  expires_at: 1764259200000,
};
