import type { Request as ExpressRequest } from 'express';
import { Body, Controller, Delete, Example, Get, Header, Middlewares, Path, Post, Query, Request, Response, Route, SuccessResponse, Tags } from '@tsoa/runtime';
import { clientKey } from '../http/client-key';
import { rateLimit } from '../http/rate-limit.middleware';
import type { ErrorBody } from '../http/error-handler';
import type { RoomInfo } from '../services/room.service';
import type { Services } from '../services/services';

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
   * PBKDF2-SHA256 iterations; at least 600000.
   * @isInt
   * @minimum 600000
   * @maximum 100000000
   * @example 600000
   */
  iterations: number;
}

export interface CreateRoomRequest {
  /**
   * A custom room id; leave it out to get a random 128-bit one.
   * @pattern ^[A-Za-z0-9_-]{6,36}$
   * @example "team-standup"
   */
  room_id?: string;
  /**
   * The room's `auth` key (HKDF-derived from the room secret, 32 bytes, base64url without padding). The server
   * uses it only to check room proofs; the content keys cannot be derived from it.
   * @pattern ^[A-Za-z0-9_-]{43}$
   * @example "3q2-7wAAAAC6ur6-3q2-7wAAAAC6ur6-3q2-7wAAAAA"
   */
  auth: string;
  // Present for a password room (the KDF parameters are public: /room_exists returns them to anyone).
  // A JSDoc comment here would put a description beside the $ref, which OpenAPI 3.0 does not allow.
  password?: PasswordKdf;
}

export interface RoomResponse {
  /**
   * @example "q1Bx0a3n8mHtYc2zUe4WvA"
   */
  room_id: string;
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

const toResponse = (room: RoomInfo): RoomResponse => ({
  room_id: room.roomId,
  created_at: room.createdAt,
  expires_at: room.expiresAt,
  ...(room.password ? { password: room.password } : {}),
});

const roomExample: RoomResponse = {
  room_id: 'q1Bx0a3n8mHtYc2zUe4WvA',
  created_at: 1764172800000,
  expires_at: 1764259200000,
};

/**
 * Rooms. A room is an id plus the key that checks room proofs; messages and files are encrypted by the
 * clients with keys the server never sees.
 */
@Route('')
@Response<ErrorBody>(431, 'The request line and headers exceed 16 KiB (refused before any route runs)', { error: { code: 'HEADERS_TOO_LARGE', message: 'The request line and headers exceed 16 KiB' } })
@Tags('Rooms')
export class RoomController extends Controller {
  constructor(private readonly services: Services) {
    super();
  }

  /**
   * Registers a room. The creator derives the room keys from a fresh secret (and optional password) and sends
   * only the `auth` key, which lets the server check room proofs and nothing else.
   * @summary Create a room
   */
  @Post('create_room')
  @Middlewares(rateLimit('createRoom'))
  @SuccessResponse(201, 'Room created')
  @Example<RoomResponse>(roomExample)
  @Response<ErrorBody>(400, 'Invalid body: a malformed id or key, too few KDF iterations, unknown fields, malformed JSON', {
    error: { code: 'VALIDATION_FAILED', message: 'body.room_id must be 6-36 characters of A-Z, a-z, 0-9, "_" and "-"' },
  })
  @Response<ErrorBody>(409, 'A room with this id exists', { error: { code: 'ROOM_EXISTS', message: 'A room with the id team-standup already exists' } })
  @Response<ErrorBody>(413, 'The JSON body is too large', { error: { code: 'PAYLOAD_TOO_LARGE', message: 'The request body is too large' } })
  @Response<ErrorBody>(429, 'Too many rooms created from this address', { error: { code: 'RATE_LIMITED', message: 'Too many requests; retry in 42 s' } })
  @Response<ErrorBody>(503, 'The database is unavailable', { error: { code: 'SERVICE_UNAVAILABLE', message: 'The database is unavailable; retry shortly' } })
  async createRoom(@Body() body: CreateRoomRequest): Promise<RoomResponse> {
    const room = await this.services.rooms.create({ roomId: body.room_id, auth: body.auth, password: body.password });
    this.setStatus(201);
    return toResponse(room);
  }

  /**
   * Tells whether a room exists and, for a password room, returns the public KDF parameters the client needs
   * to derive its keys. Never returns a key.
   * @summary Look up a room
   * @param room_id The room id from the invite link.
   * @pattern room_id ^[A-Za-z0-9_-]{6,36}$
   * @example room_id "q1Bx0a3n8mHtYc2zUe4WvA"
   */
  @Get('room_exists')
  @Middlewares(rateLimit('lookup'))
  @Example<RoomResponse>(roomExample)
  @Response<ErrorBody>(400, 'The room id is malformed', { error: { code: 'VALIDATION_FAILED', message: 'Invalid request: room_id: Not match in \'^[A-Za-z0-9_-]{6,36}$\'' } })
  @Response<ErrorBody>(404, 'No such room, or it expired', { error: { code: 'ROOM_NOT_FOUND', message: 'No such room (it may have expired or been deleted)' } })
  @Response<ErrorBody>(429, 'Too many look-ups from this address', { error: { code: 'RATE_LIMITED', message: 'Too many requests; retry in 12 s' } })
  @Response<ErrorBody>(503, 'The database is unavailable', { error: { code: 'SERVICE_UNAVAILABLE', message: 'The database is unavailable; retry shortly' } })
  async roomExists(@Query() room_id: string): Promise<RoomResponse> {
    return toResponse(await this.services.rooms.describe(room_id));
  }

  /**
   * Deletes a room and all its files at once. Members connected to it receive `room:closed` and are removed.
   * Needs a room proof for the purpose `delete`.
   * @summary Delete a room
   * @param room_id The room to delete.
   * @pattern room_id ^[A-Za-z0-9_-]{6,36}$
   * @param proof A room proof for `delete`: `<unix seconds>.<base64url HMAC-SHA256(auth, "sealroom/v1|delete|<room_id>|<ts>")>`.
   * @pattern proof ^\d{1,12}\.[A-Za-z0-9_-]{43}$
   * @example proof "1764172800.kq3Zl4mXWJm2uSz1yxy1CwCrbfBqjB9RnN3lRk2cR1E"
   */
  @Delete('rooms/{room_id}')
  @SuccessResponse(204, 'Room deleted')
  @Response<ErrorBody>(400, 'Malformed room id or proof', { error: { code: 'VALIDATION_FAILED', message: 'Invalid request: x-room-proof: \'x-room-proof\' is required' } })
  @Response<ErrorBody>(403, 'The proof is forged, for another room or purpose, or outside the time window', {
    error: { code: 'PROOF_INVALID', message: 'The room proof is not valid for delete in this room' },
  })
  @Response<ErrorBody>(404, 'No such room', { error: { code: 'ROOM_NOT_FOUND', message: 'No such room (it may have expired or been deleted)' } })
  @Response<ErrorBody>(429, 'Too many failed proofs from this address', { error: { code: 'RATE_LIMITED', message: 'Too many failed attempts; retry in 30 s' } })
  @Response<ErrorBody>(503, 'The database is unavailable', { error: { code: 'SERVICE_UNAVAILABLE', message: 'The database is unavailable; retry shortly' } })
  async deleteRoom(@Path() room_id: string, @Header('x-room-proof') proof: string, @Request() req: ExpressRequest): Promise<void> {
    await this.services.rooms.remove(room_id, proof, clientKey(req));
    this.setStatus(204);
  }
}
