// DO NOT EDIT. Generated from spec/openapi.json by openapi-typescript-codegen 0.31.0 (npm run generate:sdk).
/* istanbul ignore file */
/* tslint:disable */
/* eslint-disable */
import type { PasswordKdf } from './PasswordKdf.js';
import type { ProtocolVersion } from './ProtocolVersion.js';
export type CreateRoomRequest = {
  protocol: ProtocolVersion;
  /**
   * A custom room id; leave it out to get a random 128-bit one.
   */
  room_id?: string;
  /**
   * The room's `auth` key (HKDF-derived from the room secret, 32 bytes, base64url without padding). The server
   * uses it only to check room proofs; the content keys cannot be derived from it.
   */
  auth: string;
  /**
   * The room owner's Ed25519 public key (32 bytes, base64url without padding). Only the holder of its private key
   * (the creator; it is not in the invite link) can delete the room, with `X-Owner-Signature`. The server checks
   * that it is a valid Ed25519 public key.
   */
  owner_key: string;
  password?: PasswordKdf;
};

