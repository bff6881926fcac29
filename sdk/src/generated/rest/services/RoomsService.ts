// DO NOT EDIT. Generated from spec/openapi.json by openapi-typescript-codegen 0.31.0 (npm run generate:sdk).
/* istanbul ignore file */
/* tslint:disable */
/* eslint-disable */
import type { CreateRoomRequest } from '../models/CreateRoomRequest.js';
import type { OwnerSignature } from '../models/OwnerSignature.js';
import type { RoomId } from '../models/RoomId.js';
import type { RoomResponse } from '../models/RoomResponse.js';
import type { CancelablePromise } from '../core/CancelablePromise.js';
import type { BaseHttpRequest } from '../core/BaseHttpRequest.js';
export class RoomsService {
  constructor(public readonly httpRequest: BaseHttpRequest) {}
  /**
   * Look up a room
   * Tells whether a room exists and, for a password room, returns the public KDF parameters the client needs
   * to derive its keys. Never returns a key.
   * @returns RoomResponse Ok
   * @throws ApiError
   */
  public roomExists({
    roomId,
  }: {
    /**
     * The room id from the invite link.
     */
    roomId: RoomId,
  }): CancelablePromise<RoomResponse> {
    return this.httpRequest.request({
      method: 'GET',
      url: '/room_exists',
      query: {
        'room_id': roomId,
      },
      errors: {
        400: `The room id is malformed`,
        404: `No such room, or it expired`,
        429: `Too many look-ups from this address`,
        431: `The request line and headers exceed 16 KiB (refused before any route runs)`,
        503: `The database is unavailable`,
      },
    });
  }
  /**
   * Delete a room (owner only)
   * Deletes a room and all its files at once. Members connected to it receive `room:closed` and are removed.
   * Only the room's owner can: the request needs the owner's Ed25519 signature (a member's room proof does not
   * delete). Members leave with the realtime event `room:leave` instead.
   * It tells whether a room exists, so it counts as a room look-up (RATE_LIMIT_LOOKUP), as `room_exists` does;
   * failed signatures count per address and room.
   * @returns void
   * @throws ApiError
   */
  public deleteRoom({
    roomId,
    xOwnerSignature,
  }: {
    /**
     * The room to delete.
     */
    roomId: RoomId,
    /**
     * `<unix seconds>.<base64url Ed25519 signature>` over `enc("sealroom/v2 sig", "delete", <room_id>, <ts>)` (see PROTOCOL.md), made with the owner's private key; accepted from 110 s before to 10 s after the server's clock.
     */
    xOwnerSignature: OwnerSignature,
  }): CancelablePromise<void> {
    return this.httpRequest.request({
      method: 'DELETE',
      url: '/rooms/{room_id}',
      path: {
        'room_id': roomId,
      },
      headers: {
        'x-owner-signature': xOwnerSignature,
      },
      errors: {
        400: `Malformed room id, or no owner signature (a room proof alone does not delete)`,
        403: `The signature is not the owner's for this room, or its timestamp is outside the window (PROOF_EXPIRED); or a web page of another origin sent it (ORIGIN_NOT_ALLOWED)`,
        404: `No such room`,
        429: `Too many look-ups or failed proofs from this address`,
        431: `The request line and headers exceed 16 KiB (refused before any route runs)`,
        503: `The database is unavailable`,
      },
    });
  }
  /**
   * Create a room
   * Registers a room. The creator derives the room keys from a fresh secret (and optional password) and sends
   * only the `auth` key, which lets the server check room proofs and nothing else, and the public half of a fresh
   * Ed25519 owner key pair, which alone can delete the room. The body must say `"protocol": "sealroom/v2"`.
   * @returns RoomResponse Room created
   * @throws ApiError
   */
  public createRoom({
    requestBody,
  }: {
    requestBody: CreateRoomRequest,
  }): CancelablePromise<RoomResponse> {
    return this.httpRequest.request({
      method: 'POST',
      url: '/create_room',
      body: requestBody,
      mediaType: 'application/json',
      errors: {
        400: `No \`protocol: "sealroom/v2"\` (UNSUPPORTED_VERSION, checked first); or an invalid body: a malformed id or key, an owner key that is not an Ed25519 public key, too few KDF iterations, unknown fields, malformed JSON`,
        403: `A web page of another origin than this server or CORS_ORIGINS sent the request`,
        409: `A room with this id exists`,
        413: `The JSON body is too large`,
        429: `Too many rooms created from this address`,
        431: `The request line and headers exceed 16 KiB (refused before any route runs)`,
        503: `The database is unavailable`,
      },
    });
  }
}
