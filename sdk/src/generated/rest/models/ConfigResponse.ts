// DO NOT EDIT. Generated from spec/openapi.json by openapi-typescript-codegen 0.31.0 (npm run generate:sdk).
/* istanbul ignore file */
/* tslint:disable */
/* eslint-disable */
import type { KdfPolicy } from './KdfPolicy.js';
import type { RateLimitPolicy } from './RateLimitPolicy.js';
import type { RealtimePolicy } from './RealtimePolicy.js';
import type { UploadPolicy } from './UploadPolicy.js';
export type ConfigResponse = {
  version: string;
  /**
   * The wire protocol this server speaks; clients send it as `protocol` in create_room, upload_file and room:join.
   */
  protocol: 'sealroom/v2';
  /**
   * Where links point: `<public_url>/r/<room_id>#<secret>`, `<public_url>/f/<file_id>#<key>`.
   */
  public_url: string;
  /**
   * Largest ciphertext one upload may have, in bytes; 0 when uploads are off. Check before encrypting: the
   * ciphertext of n bytes is n + 16 x (floor(n / 65536) + 1) bytes.
   */
  max_upload_bytes: number;
  /**
   * The storage quota for all files together, in bytes.
   */
  storage_limit_bytes: number;
  /**
   * How long a file lives after its upload, in milliseconds.
   */
  file_age_ms: number;
  /**
   * How long a room lives without activity, in milliseconds.
   */
  room_idle_ms: number;
  kdf: KdfPolicy;
  /**
   * How long a proof lives in all, in seconds: room proofs, download proofs and owner signatures are accepted iff
   * `now - (proof_window_s - proof_future_skew_s) <= ts <= now + proof_future_skew_s`.
   */
  proof_window_s: number;
  /**
   * How far ahead of the server's clock a proof's timestamp may be, in seconds (part of `proof_window_s`).
   */
  proof_future_skew_s: number;
  realtime: RealtimePolicy;
  uploads: UploadPolicy;
  rate_limits: RateLimitPolicy;
};

