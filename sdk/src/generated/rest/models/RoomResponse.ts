// DO NOT EDIT. Generated from spec/openapi.json by openapi-typescript-codegen 0.31.0 (npm run generate:sdk).
/* istanbul ignore file */
/* tslint:disable */
/* eslint-disable */
import type { PasswordKdf } from './PasswordKdf.js';
import type { RoomId } from './RoomId.js';
export type RoomResponse = {
  room_id: RoomId;
  /**
   * Unix milliseconds.
   */
  created_at: number;
  /**
   * When the room expires if nobody uses it (Unix milliseconds); activity pushes it back by ROOM_AGE_LIMIT.
   */
  expires_at: number;
  password?: PasswordKdf;
};

