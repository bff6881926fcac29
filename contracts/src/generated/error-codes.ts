// DO NOT EDIT. Generated from the ErrorCode schema of spec/openapi.json (npm run generate:contracts).
// The server defines the codes (src/errors.ts); the SDK, the web client and the CLI read them from here.

/**
 * The one list of error codes that clients can rely on, on REST (`{error: {code, message}}`) and in
 * Socket.IO acks (`{ok: false, error: {code, message}}`). Codes are stable; messages are for people.
 */
export const ERROR_CODES = [
  "UNSUPPORTED_VERSION",
  "VALIDATION_FAILED",
  "MALFORMED_JSON",
  "MALFORMED_UPLOAD",
  "SIZE_MISMATCH",
  "PROOF_INVALID",
  "PROOF_EXPIRED",
  "DOWNLOAD_PROOF_REQUIRED",
  "OWNER_SIGNATURE_INVALID",
  "UPLOADS_DISABLED",
  "ROOM_NOT_FOUND",
  "FILE_NOT_FOUND",
  "NOT_FOUND",
  "ROOM_EXISTS",
  "FILE_TOO_LARGE",
  "PAYLOAD_TOO_LARGE",
  "UNSUPPORTED_MEDIA_TYPE",
  "RANGE_NOT_SATISFIABLE",
  "RATE_LIMITED",
  "INTERNAL",
  "SERVICE_UNAVAILABLE",
  "STORAGE_FULL",
  "IP_QUOTA_EXCEEDED",
  "ROOM_QUOTA_EXCEEDED",
  "TOO_MANY_UPLOADS",
  "UPLOAD_TOO_SLOW",
  "UPLOAD_OFFSET_MISMATCH",
  "ORIGIN_NOT_ALLOWED",
  "INVALID_PAYLOAD",
  "UNKNOWN_EVENT",
  "NOT_IN_ROOM",
  "ALREADY_IN_ROOM",
  "MEMBER_ID_TAKEN",
  "ROOM_FULL",
  "TOO_MANY_ROOMS",
  "TOO_MANY_CONNECTIONS",
  "HEADERS_TOO_LARGE",
  "MALFORMED_REQUEST",
  "REQUEST_TIMEOUT",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** Whether a value is one of the server's error codes. */
export const isErrorCode = (value: unknown): value is ErrorCode => (ERROR_CODES as readonly unknown[]).includes(value);
