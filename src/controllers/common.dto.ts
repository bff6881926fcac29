import type { ErrorBody } from '../errors';

// The ids and the proof every operation names, validated by the pattern each carries. Multipart form fields
// and a request body's documented optional fields spell theirs out instead: tsoa drops a form field's
// pattern when its type is an alias, and OpenAPI 3.0 allows no description beside a `$ref`.

/**
 * A room id: 6-36 characters of A-Z, a-z, 0-9, "_" and "-" (random ones are 16 bytes, 22 characters).
 * @pattern ^[A-Za-z0-9_-]{6,36}$
 * @example "q1Bx0a3n8mHtYc2zUe4WvA"
 */
export type RoomId = string;

/**
 * A file id, made by the server: 6-36 characters of A-Z, a-z, 0-9, "_" and "-".
 * @pattern ^[A-Za-z0-9_-]{6,36}$
 * @example "Vb8n1W3cQeS0sY2aH5xJ0g"
 */
export type FileId = string;

/**
 * A room proof: `<unix seconds>.<base64url HMAC-SHA256(auth, "sealroom/v2|<purpose>|<room_id>|<ts>")>`.
 * @pattern ^\d{1,12}\.[A-Za-z0-9_-]{43}$
 * @example "1764172800.kq3Zl4mXWJm2uSz1yxy1CwCrbfBqjB9RnN3lRk2cR1E"
 */
export type RoomProof = string;

/**
 * The wire protocol version the client speaks. This server speaks `sealroom/v2` only; anything else (or nothing,
 * as v1 clients send) is refused with UNSUPPORTED_VERSION before any other check.
 * @example "sealroom/v2"
 */
export type ProtocolVersion = 'sealroom/v2';

/**
 * The room owner's signature for deleting the room: `<unix seconds>.<base64url Ed25519 signature>` (64 bytes, 86
 * characters) over `enc("sealroom/v2 sig", "delete", <room_id>, <ts>)` with the owner's private key.
 * @pattern ^\d{1,12}\.[A-Za-z0-9_-]{86}$
 * @example "0000000000.REPLACE_with_the_owner_signature_printed_by_keys_cjs__________________________________"
 */
export type OwnerSignature = string;

/**
 * A download proof: `<unix seconds>.<base64url HMAC-SHA256(dk, "sealroom/v2|download|<file_id>|<ts>")>`, where `dk`
 * is the file's download key (derived from the file key).
 * @pattern ^\d{1,12}\.[A-Za-z0-9_-]{43}$
 * @example "0000000000.REPLACE_with_a_download_proof______________"
 */
export type DownloadProof = string;

/**
 * A download token from the `X-Download-Token` header of an earlier counted download: 16 random bytes, base64url.
 * @pattern ^[A-Za-z0-9_-]{22}$
 * @example "Tk4xQ2Vb8n1W3cQeS0sY2a"
 */
export type DownloadToken = string;

/** The answer of every operation while the database is unreachable (503). */
export const databaseDown: ErrorBody = { error: { code: 'SERVICE_UNAVAILABLE', message: 'The database is unavailable; retry shortly' } };

/** What Node's HTTP parser answers, before any route runs, to a request whose line and headers exceed 16 KiB (431). */
export const headersTooLarge: ErrorBody = { error: { code: 'HEADERS_TOO_LARGE', message: 'The request line and headers exceed 16 KiB' } };
