/**
 * The one list of error codes that clients can rely on, on REST (`{error: {code, message}}`) and in
 * Socket.IO acks (`{ok: false, error: {code, message}}`). Codes are stable; messages are for people.
 */
export type ErrorCode =
  | 'UNSUPPORTED_VERSION'
  | 'VALIDATION_FAILED'
  | 'MALFORMED_JSON'
  | 'MALFORMED_UPLOAD'
  | 'SIZE_MISMATCH'
  | 'PROOF_INVALID'
  | 'PROOF_EXPIRED'
  | 'DOWNLOAD_PROOF_REQUIRED'
  | 'OWNER_SIGNATURE_INVALID'
  | 'UPLOADS_DISABLED'
  | 'ROOM_NOT_FOUND'
  | 'FILE_NOT_FOUND'
  | 'NOT_FOUND'
  | 'ROOM_EXISTS'
  | 'FILE_TOO_LARGE'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'RANGE_NOT_SATISFIABLE'
  | 'RATE_LIMITED'
  | 'INTERNAL'
  | 'SERVICE_UNAVAILABLE'
  | 'STORAGE_FULL'
  | 'IP_QUOTA_EXCEEDED'
  | 'ROOM_QUOTA_EXCEEDED'
  | 'TOO_MANY_UPLOADS'
  | 'UPLOAD_TOO_SLOW'
  | 'UPLOAD_OFFSET_MISMATCH'
  | 'ORIGIN_NOT_ALLOWED'
  | 'INVALID_PAYLOAD'
  | 'UNKNOWN_EVENT'
  | 'NOT_IN_ROOM'
  | 'ALREADY_IN_ROOM'
  | 'MEMBER_ID_TAKEN'
  | 'ROOM_FULL'
  | 'TOO_MANY_ROOMS'
  | 'TOO_MANY_CONNECTIONS'
  | 'HEADERS_TOO_LARGE'
  | 'MALFORMED_REQUEST'
  | 'REQUEST_TIMEOUT';

/** The HTTP status of each code (socket acks carry the code alone). */
export const ERROR_STATUS: Record<ErrorCode, number> = {
  /** The request does not say `protocol: "sealroom/v2"` (a client for another protocol version): update the client. */
  UNSUPPORTED_VERSION: 400,
  /** A field is missing, malformed or not allowed; `details` names the fields. */
  VALIDATION_FAILED: 400,
  /** The request body is not valid JSON. */
  MALFORMED_JSON: 400,
  /** The multipart upload is malformed: no file part, two file parts, fields after the file, a cut body. */
  MALFORMED_UPLOAD: 400,
  /** The uploaded file part is longer or shorter than its declared size. */
  SIZE_MISMATCH: 400,
  /** The room proof (or download proof) does not verify for this room (file) and purpose. */
  PROOF_INVALID: 403,
  /** The proof's timestamp is outside the accepted window (check the device's clock), or a download token is used up or expired. */
  PROOF_EXPIRED: 403,
  /** A download needs `X-Download-Proof` (made with the file's key) or an `X-Download-Token` from an earlier response. */
  DOWNLOAD_PROOF_REQUIRED: 401,
  /** The `X-Owner-Signature` does not verify with the room's owner key (only the room's creator may delete it). */
  OWNER_SIGNATURE_INVALID: 403,
  /** Uploads are switched off on this server (UPLOAD_SIZE_LIMIT=0). */
  UPLOADS_DISABLED: 403,
  ROOM_NOT_FOUND: 404,
  /** No such file, or it expired, or its download limit was reached. */
  FILE_NOT_FOUND: 404,
  NOT_FOUND: 404,
  /** A room with this id already exists. */
  ROOM_EXISTS: 409,
  /** The file is larger than UPLOAD_SIZE_LIMIT. */
  FILE_TOO_LARGE: 413,
  /** A JSON body or a Socket.IO payload is larger than allowed. */
  PAYLOAD_TOO_LARGE: 413,
  /** The request's media type is not accepted by this operation. */
  UNSUPPORTED_MEDIA_TYPE: 415,
  /** The requested byte range lies outside the file. */
  RANGE_NOT_SATISFIABLE: 416,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  /** The database or another dependency is unreachable; retry later. */
  SERVICE_UNAVAILABLE: 503,
  /** The server's storage quota (FOLDER_SIZE_LIMIT) or disk is full. */
  STORAGE_FULL: 507,
  /** This address group (IPv4 address, IPv6 /64) holds its share of the quota (UPLOAD_IP_SHARE) already. */
  IP_QUOTA_EXCEEDED: 507,
  /** This room holds its share of the quota (UPLOAD_ROOM_SHARE) already. */
  ROOM_QUOTA_EXCEEDED: 507,
  /** This address group or this room has UPLOAD_MAX_PER_IP / UPLOAD_MAX_PER_ROOM uploads in progress already. */
  TOO_MANY_UPLOADS: 429,
  /** The upload fell below UPLOAD_MIN_RATE bytes per second after its grace period; its reservation was given back. */
  UPLOAD_TOO_SLOW: 408,
  /** A resumable upload's PATCH does not start at the upload's current offset (ask with HEAD), or another PATCH to it is under way. */
  UPLOAD_OFFSET_MISMATCH: 409,
  /** The request's Origin is neither this server's (BASE_URL) nor one of CORS_ORIGINS. */
  ORIGIN_NOT_ALLOWED: 403,
  // Realtime (Socket.IO acks). The statuses only matter if one of these ever reaches HTTP.
  /** A socket event's payload does not match asyncapi.yaml (or carries binary attachments). */
  INVALID_PAYLOAD: 400,
  /** A socket event that asyncapi.yaml does not define. */
  UNKNOWN_EVENT: 400,
  /** The socket has not joined the room it is sending to. */
  NOT_IN_ROOM: 403,
  /** The socket has already joined this room. */
  ALREADY_IN_ROOM: 409,
  /** Another connection is in the room with this member id. */
  MEMBER_ID_TAKEN: 409,
  /** The room has ROOM_MAX_MEMBERS members already. */
  ROOM_FULL: 409,
  /** This connection has joined SOCKET_MAX_ROOMS rooms already. */
  TOO_MANY_ROOMS: 429,
  /** This IP address has SOCKET_MAX_PER_IP connections already (sent as the connect_error message). */
  TOO_MANY_CONNECTIONS: 429,
  // Refusals by the HTTP parser, before any route runs.
  /** The request line and headers together exceed 16 KiB. */
  HEADERS_TOO_LARGE: 431,
  /** The bytes on the connection are not a valid HTTP request. */
  MALFORMED_REQUEST: 400,
  /** The request headers did not arrive in time. */
  REQUEST_TIMEOUT: 408,
};

/** The JSON body of every error response. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: FieldError[] };
}

export interface FieldError {
  /** Where the problem is, e.g. `body.room_id` or `query.filename`. */
  field: string;
  message: string;
}

export interface AppErrorOptions {
  details?: FieldError[];
  /** Seconds after which a retry may succeed (rate limits); sent as Retry-After and in acks. */
  retryAfterSeconds?: number;
  /** Extra response headers, e.g. Content-Range on a 416. */
  headers?: Record<string, string>;
}

/** An expected failure with a stable code; anything else that escapes is a bug and becomes INTERNAL. */
export class AppError extends Error {
  readonly status: number;
  readonly details?: FieldError[];
  readonly retryAfterSeconds?: number;
  readonly headers?: Record<string, string>;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: AppErrorOptions = {},
  ) {
    super(message);
    this.name = 'AppError';
    this.status = ERROR_STATUS[code];
    this.details = options.details;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.headers = options.headers;
  }
}

/** A 400 about one field, e.g. `fieldError('body.room_id', 'must be ...')`. */
export const fieldError = (field: string, message: string) =>
  new AppError('VALIDATION_FAILED', `${field} ${message}`, { details: [{ field, message }] });

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;
