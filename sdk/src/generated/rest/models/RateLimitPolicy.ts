// DO NOT EDIT. Generated from spec/openapi.json by openapi-typescript-codegen 0.31.0 (npm run generate:sdk).
/* istanbul ignore file */
/* tslint:disable */
/* eslint-disable */
/**
 * Requests per minute one address group (an IPv4 address, an IPv6 /64) may make, by kind.
 */
export type RateLimitPolicy = {
  create_room_per_minute: number;
  upload_per_minute: number;
  /**
   * Everything that tells whether a room exists: room_exists, DELETE /rooms, uploads and socket joins.
   */
  lookup_per_minute: number;
  /**
   * Failed room proofs for one room.
   */
  proof_failures_per_room_per_minute: number;
  /**
   * Failed room proofs over all rooms.
   */
  proof_failures_per_minute: number;
};

