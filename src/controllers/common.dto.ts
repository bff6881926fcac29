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
 * A room proof: `<unix seconds>.<base64url HMAC-SHA256(auth, "sealroom/v1|<purpose>|<room_id>|<ts>")>`.
 * @pattern ^\d{1,12}\.[A-Za-z0-9_-]{43}$
 * @example "1764172800.kq3Zl4mXWJm2uSz1yxy1CwCrbfBqjB9RnN3lRk2cR1E"
 */
export type RoomProof = string;

/** The answer of every operation while the database is unreachable (503). */
export const databaseDown: ErrorBody = { error: { code: 'SERVICE_UNAVAILABLE', message: 'The database is unavailable; retry shortly' } };

/** What Node's HTTP parser answers, before any route runs, to a request whose line and headers exceed 16 KiB (431). */
export const headersTooLarge: ErrorBody = { error: { code: 'HEADERS_TOO_LARGE', message: 'The request line and headers exceed 16 KiB' } };
