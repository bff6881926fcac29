import { safeInline } from './terminal-text.js';

/**
 * The CLI's exit codes: a stable contract for scripts (README "CLI" lists them). SDK errors carry stable
 * codes, so the mapping is by code, never by message.
 */
export const EXIT = {
  OK: 0,
  /** Anything else that went wrong at run time (a server error, a full disk, ...). */
  RUNTIME: 1,
  /** Bad arguments or options, a malformed link, a local file that cannot be read, no password available. */
  USAGE: 2,
  /** The room or file does not exist (never did, expired, deleted, or reached its download limit). */
  NOT_FOUND: 3,
  /**
   * Wrong password, a password needed but not given, an invite link whose secret does not match, a file link
   * whose key does not match (the server refuses the download proof made with it), or deleting a room without its
   * owner credential.
   */
  ACCESS_DENIED: 4,
  /** The file is over the server's upload limit, uploads are off, or the server's storage (or this address's or room's share of it) is full. */
  TOO_LARGE: 5,
  /** The server could not be reached, the connection broke, or it was too slow for the server (UPLOAD_TOO_SLOW). */
  NETWORK: 6,
  /** A download failed authentication: tampered or truncated data. */
  INTEGRITY: 7,
  /** Interrupted (Ctrl-C), as shells report SIGINT. */
  INTERRUPTED: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

const BY_ERROR_CODE: Record<string, ExitCode> = {
  INVALID_LINK: EXIT.USAGE,
  INVALID_ID: EXIT.USAGE,
  INVALID_INPUT: EXIT.USAGE,
  INVALID_SOURCE: EXIT.USAGE,
  VALIDATION_FAILED: EXIT.USAGE,
  ROOM_EXISTS: EXIT.USAGE,
  ROOM_NOT_FOUND: EXIT.NOT_FOUND,
  FILE_NOT_FOUND: EXIT.NOT_FOUND,
  NOT_FOUND: EXIT.NOT_FOUND,
  ROOM_CLOSED: EXIT.NOT_FOUND,
  PROOF_INVALID: EXIT.ACCESS_DENIED,
  PASSWORD_REQUIRED: EXIT.ACCESS_DENIED,
  OWNER_CREDENTIAL_REQUIRED: EXIT.ACCESS_DENIED,
  OWNER_SIGNATURE_INVALID: EXIT.ACCESS_DENIED,
  DOWNLOAD_PROOF_REQUIRED: EXIT.ACCESS_DENIED,
  UNSUPPORTED_VERSION: EXIT.RUNTIME,
  FILE_TOO_LARGE: EXIT.TOO_LARGE,
  PAYLOAD_TOO_LARGE: EXIT.TOO_LARGE,
  UPLOADS_DISABLED: EXIT.TOO_LARGE,
  STORAGE_FULL: EXIT.TOO_LARGE,
  IP_QUOTA_EXCEEDED: EXIT.TOO_LARGE,
  ROOM_QUOTA_EXCEEDED: EXIT.TOO_LARGE,
  UPLOAD_TOO_SLOW: EXIT.NETWORK,
  ORIGIN_NOT_ALLOWED: EXIT.ACCESS_DENIED,
  NETWORK_ERROR: EXIT.NETWORK,
  TIMEOUT: EXIT.NETWORK,
  DECRYPT_FAILED: EXIT.INTEGRITY,
  TRUNCATED: EXIT.INTEGRITY,
  INVALID_PADDING: EXIT.INTEGRITY,
  ABORTED: EXIT.INTERRUPTED,
};

/** An error the CLI itself raises, with the exit code it should end with. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Exit code and one-line message for anything a command threw. */
export function describeFailure(error: unknown): { exitCode: ExitCode; message: string } {
  if (error instanceof CliError) return { exitCode: error.exitCode, message: error.message };
  const code = typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  const text = oneLine(error instanceof Error ? error.message : String(error));
  if (code !== undefined && code in BY_ERROR_CODE) return { exitCode: BY_ERROR_CODE[code]!, message: `${text} (${safeInline(code)})` };
  return { exitCode: EXIT.RUNTIME, message: code !== undefined ? `${text} (${safeInline(code)})` : text };
}

/** A message from the server or the SDK on one line, control characters escaped (a server is not trusted with the terminal). */
function oneLine(text: string): string {
  return safeInline(text.replace(/\s+/g, ' ').trim()) || 'unknown error';
}
