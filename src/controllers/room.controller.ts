import type { Request as ExpressRequest } from 'express';
import {
  Body,
  Controller,
  Delete,
  Example,
  Get,
  Header,
  Middlewares,
  Path,
  Post,
  Query,
  Request,
  Response,
  Route,
  SuccessResponse,
  Tags,
} from '@tsoa/runtime';
import type { ErrorBody } from '../errors';
import { clientKey } from '../http/client-key';
import { rateLimit } from '../http/rate-limit.middleware';
import type { RoomService } from '../services/room.service';
import { databaseDown, headersTooLarge, type RoomId, type RoomProof } from './common.dto';
import { roomExample, toRoomResponse, type CreateRoomRequest, type RoomResponse } from './room.dto';

/**
 * Rooms. A room is an id plus the key that checks room proofs; messages and files are encrypted by the
 * clients with keys the server never sees.
 */
@Route('')
@Response<ErrorBody>(431, 'The request line and headers exceed 16 KiB (refused before any route runs)', headersTooLarge)
@Tags('Rooms')
export class RoomController extends Controller {
  constructor(private readonly rooms: RoomService) {
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
  @Response<ErrorBody>(403, 'A web page of another origin than this server or CORS_ORIGINS sent the request', {
    error: {
      code: 'ORIGIN_NOT_ALLOWED',
      message: 'Requests from this web origin are not allowed; only this server and CORS_ORIGINS may call it',
    },
  })
  @Response<ErrorBody>(409, 'A room with this id exists', {
    error: { code: 'ROOM_EXISTS', message: 'A room with the id team-standup already exists' },
  })
  @Response<ErrorBody>(413, 'The JSON body is too large', {
    error: { code: 'PAYLOAD_TOO_LARGE', message: 'The request body is too large' },
  })
  @Response<ErrorBody>(429, 'Too many rooms created from this address', {
    error: { code: 'RATE_LIMITED', message: 'Too many requests; retry in 42 s' },
  })
  @Response<ErrorBody>(503, 'The database is unavailable', databaseDown)
  async createRoom(@Body() body: CreateRoomRequest): Promise<RoomResponse> {
    const room = await this.rooms.create({ roomId: body.room_id, auth: body.auth, password: body.password });
    this.setStatus(201);
    return toRoomResponse(room);
  }

  /**
   * Tells whether a room exists and, for a password room, returns the public KDF parameters the client needs
   * to derive its keys. Never returns a key.
   * @summary Look up a room
   * @param room_id The room id from the invite link.
   * @example room_id "q1Bx0a3n8mHtYc2zUe4WvA"
   */
  @Get('room_exists')
  @Middlewares(rateLimit('lookup'))
  @Example<RoomResponse>(roomExample)
  @Response<ErrorBody>(400, 'The room id is malformed', {
    error: { code: 'VALIDATION_FAILED', message: "Invalid request: room_id: Not match in '^[A-Za-z0-9_-]{6,36}$'" },
  })
  @Response<ErrorBody>(404, 'No such room, or it expired', {
    error: { code: 'ROOM_NOT_FOUND', message: 'No such room (it may have expired or been deleted)' },
  })
  @Response<ErrorBody>(429, 'Too many look-ups from this address', {
    error: { code: 'RATE_LIMITED', message: 'Too many requests; retry in 12 s' },
  })
  @Response<ErrorBody>(503, 'The database is unavailable', databaseDown)
  async roomExists(@Query() room_id: RoomId): Promise<RoomResponse> {
    return toRoomResponse(await this.rooms.describe(room_id));
  }

  /**
   * Deletes a room and all its files at once. Members connected to it receive `room:closed` and are removed.
   * Needs a room proof for the purpose `delete`. It tells whether a room exists, so it counts as a room look-up
   * (RATE_LIMIT_LOOKUP), as `room_exists` does; failed proofs count per address and room.
   * @summary Delete a room
   * @param room_id The room to delete.
   * @param proof A room proof for `delete`: `<unix seconds>.<base64url HMAC-SHA256(auth, "sealroom/v1|delete|<room_id>|<ts>")>`.
   * @example proof "1764172800.kq3Zl4mXWJm2uSz1yxy1CwCrbfBqjB9RnN3lRk2cR1E"
   */
  @Delete('rooms/{room_id}')
  @Middlewares(rateLimit('lookup'))
  @SuccessResponse(204, 'Room deleted')
  @Response<ErrorBody>(400, 'Malformed room id or proof', {
    error: { code: 'VALIDATION_FAILED', message: "Invalid request: x-room-proof: 'x-room-proof' is required" },
  })
  @Response<ErrorBody>(
    403,
    'The proof is forged, for another room or purpose, or outside the time window; or a web page of another origin sent it (ORIGIN_NOT_ALLOWED)',
    {
      error: { code: 'PROOF_INVALID', message: 'The room proof is not valid for delete in this room' },
    },
  )
  @Response<ErrorBody>(404, 'No such room', {
    error: { code: 'ROOM_NOT_FOUND', message: 'No such room (it may have expired or been deleted)' },
  })
  @Response<ErrorBody>(429, 'Too many look-ups or failed proofs from this address', {
    error: { code: 'RATE_LIMITED', message: 'Too many failed attempts; retry in 30 s' },
  })
  @Response<ErrorBody>(503, 'The database is unavailable', databaseDown)
  async deleteRoom(@Path() room_id: RoomId, @Header('x-room-proof') proof: RoomProof, @Request() req: ExpressRequest): Promise<void> {
    await this.rooms.remove(room_id, proof, clientKey(req));
    this.setStatus(204);
  }
}
