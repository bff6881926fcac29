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
import { databaseDown, headersTooLarge, type OwnerSignature, type RoomId } from './common.dto';
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
   * only the `auth` key, which lets the server check room proofs and nothing else, and the public half of a fresh
   * Ed25519 owner key pair, which alone can delete the room. The body must say `"protocol": "sealroom/v2"`.
   * @summary Create a room
   */
  @Post('create_room')
  @Middlewares(rateLimit('createRoom'))
  @SuccessResponse(201, 'Room created')
  @Example<RoomResponse>(roomExample)
  @Response<ErrorBody>(
    400,
    'No `protocol: "sealroom/v2"` (UNSUPPORTED_VERSION, checked first); or an invalid body: a malformed id or key, an owner key that is not an Ed25519 public key, too few KDF iterations, unknown fields, malformed JSON',
    {
      error: { code: 'VALIDATION_FAILED', message: 'body.room_id must be 6-36 characters of A-Z, a-z, 0-9, "_" and "-"' },
    },
  )
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
    const room = await this.rooms.create({ roomId: body.room_id, auth: body.auth, ownerKey: body.owner_key, password: body.password });
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
   * Only the room's owner can: the request needs the owner's Ed25519 signature (a member's room proof does not
   * delete). Members leave with the realtime event `room:leave` instead.
   * It tells whether a room exists, so it counts as a room look-up (RATE_LIMIT_LOOKUP), as `room_exists` does;
   * failed signatures count per address and room.
   * @summary Delete a room (owner only)
   * @param room_id The room to delete.
   * @param ownerSignature `<unix seconds>.<base64url Ed25519 signature>` over `enc("sealroom/v2 sig", "delete", <room_id>, <ts>)` (see PROTOCOL.md), made with the owner's private key; accepted from 110 s before to 10 s after the server's clock.
   */
  @Delete('rooms/{room_id}')
  @Middlewares(rateLimit('lookup'))
  @SuccessResponse(204, 'Room deleted')
  @Response<ErrorBody>(400, 'Malformed room id, or no owner signature (a room proof alone does not delete)', {
    error: { code: 'VALIDATION_FAILED', message: "Invalid request: x-owner-signature: 'x-owner-signature' is required" },
  })
  @Response<ErrorBody>(
    403,
    "The signature is not the owner's for this room, or its timestamp is outside the window (PROOF_EXPIRED); or a web page of another origin sent it (ORIGIN_NOT_ALLOWED)",
    {
      error: { code: 'OWNER_SIGNATURE_INVALID', message: "The owner signature does not verify with this room's owner key" },
    },
  )
  @Response<ErrorBody>(404, 'No such room', {
    error: { code: 'ROOM_NOT_FOUND', message: 'No such room (it may have expired or been deleted)' },
  })
  @Response<ErrorBody>(429, 'Too many look-ups or failed proofs from this address', {
    error: { code: 'RATE_LIMITED', message: 'Too many failed attempts; retry in 30 s' },
  })
  @Response<ErrorBody>(503, 'The database is unavailable', databaseDown)
  async deleteRoom(
    @Path() room_id: RoomId,
    @Header('x-owner-signature') ownerSignature: OwnerSignature,
    @Request() req: ExpressRequest,
  ): Promise<void> {
    await this.rooms.remove(room_id, ownerSignature, clientKey(req));
    this.setStatus(204);
  }
}
