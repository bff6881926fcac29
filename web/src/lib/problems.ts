/**
 * What went wrong, in words for people. Every failure the SDK reports is a SealroomError with a stable code;
 * this maps the codes to a page (a headline, an explanation, and what to do next).
 */
import { isSealroomError, type SealroomError } from '@sealroom/sdk';
import { formatBytes } from './format';

export type ProblemKind = 'bad-link' | 'wrong-password' | 'room-gone' | 'file-gone' | 'file-too-large' | 'offline' | 'failed';

export interface Problem {
  kind: ProblemKind;
  title: string;
  detail: string;
}

export function badLink(
  detail = 'The link is incomplete or mistyped. Ask for the link again and paste all of it, including the part after “#”.',
): Problem {
  return { kind: 'bad-link', title: 'This link does not work', detail };
}

export function roomGone(reason: 'deleted' | 'expired' | 'not_found' = 'not_found'): Problem {
  const detail =
    reason === 'deleted'
      ? 'The room’s owner deleted it, with all its files.'
      : reason === 'expired'
        ? 'Rooms are removed after a while without activity, with all their files.'
        : 'It was deleted, or it expired after a while without activity, or the link points at a room that never existed.';
  return { kind: 'room-gone', title: 'This room no longer exists', detail };
}

export function wrongPassword(): Problem {
  return { kind: 'wrong-password', title: 'Wrong password', detail: 'The password does not open this room. Passwords are case-sensitive.' };
}

/** A room without a password refused the link's key: the secret is mistyped or incomplete (not a password problem). */
export function linkMismatch(): Problem {
  return badLink(
    'The link does not match this room: its key, the part after “#”, is mistyped or incomplete. Ask for the whole link again.',
  );
}

/** A password room opened without its link's key, refused: the password is wrong, or the room needs its whole link. */
export function wrongPasswordOrLinkNeeded(): Problem {
  return {
    kind: 'wrong-password',
    title: 'Wrong password, or the whole link is needed',
    detail:
      'A room id and its password are enough only for rooms created to be joined that way. If you were sent an invite link with a part after “#”, open that whole link. Otherwise check the password: passwords are case-sensitive.',
  };
}

export function fileTooLarge(name: string, size: number, limit: number): Problem {
  // Rounded sizes can look equal ("1 MB" over "1 MB"): then give the exact bytes.
  const rounded = [formatBytes(size), formatBytes(limit)];
  const sizes = rounded[0] === rounded[1] ? [`${size.toLocaleString('en')} bytes`, `${limit.toLocaleString('en')} bytes`] : rounded;
  const detail =
    limit === 0
      ? 'This server does not accept files.'
      : `“${name}” is ${sizes[0]}. This server takes files up to ${sizes[1]} (encrypted). Nothing was encrypted or sent.`;
  return { kind: 'file-too-large', title: limit === 0 ? 'File sharing is off' : 'This file is too large', detail };
}

/** A page for an error from joining a room or opening a link. */
export function problemFrom(error: unknown): Problem {
  if (!isSealroomError(error)) return { kind: 'failed', title: 'Something went wrong', detail: String(error) };
  return problemForCode(error);
}

function problemForCode(error: SealroomError): Problem {
  switch (error.code) {
    case 'INVALID_LINK':
    case 'INVALID_ID':
    case 'INVALID_ENCODING':
      return badLink();
    case 'ROOM_NOT_FOUND':
      return roomGone();
    case 'PROOF_INVALID':
      return wrongPassword();
    case 'DECRYPT_FAILED':
    case 'TRUNCATED':
      return {
        kind: 'bad-link',
        title: 'This file could not be decrypted',
        detail: 'The key in the link does not match the file, or the file was damaged. Nothing was saved.',
      };
    case 'FILE_NOT_FOUND':
      return {
        kind: 'file-gone',
        title: 'This file is missing or expired',
        detail:
          'It is gone from the server: files are deleted a while after they are shared, or once their download limit is reached, or the link is wrong. Ask for it again.',
      };
    case 'NETWORK_ERROR':
    case 'TIMEOUT':
    case 'SERVICE_UNAVAILABLE':
      return { kind: 'offline', title: 'The server cannot be reached', detail: 'Check your connection and try again.' };
    case 'RATE_LIMITED':
      return { kind: 'failed', title: 'Too many attempts', detail: 'Wait a minute, then try again.' };
    case 'ROOM_FULL':
      return { kind: 'failed', title: 'This room is full', detail: 'Try again when someone has left.' };
    case 'ORIGIN_NOT_ALLOWED':
      return {
        kind: 'failed',
        title: 'This page may not use this server',
        detail: 'The server only accepts its own web client and the sites its operator allows. Open the link on the server itself.',
      };
    case 'TOO_MANY_UPLOADS':
      return { kind: 'failed', title: 'Too many uploads at once', detail: 'Wait for an upload to finish, then try again.' };
    case 'UPLOAD_TOO_SLOW':
      return {
        kind: 'failed',
        title: 'The upload was too slow',
        detail: 'The server stops uploads that stall. Check your connection and send the file again.',
      };
    case 'IP_QUOTA_EXCEEDED':
      return {
        kind: 'failed',
        title: 'Your uploads use their share of the server',
        detail: 'Files from your network hold as much of the server’s space as one address may. Try again when some have expired.',
      };
    case 'ROOM_QUOTA_EXCEEDED':
      return {
        kind: 'failed',
        title: 'This room’s files use their share of the server',
        detail: 'The files in this room hold as much of the server’s space as one room may. Try again when some have expired.',
      };
    default:
      return { kind: 'failed', title: 'Something went wrong', detail: error.message };
  }
}

/** A short sentence for an error shown inline (forms, messages, transfers). */
export function errorSentence(error: unknown): string {
  if (!isSealroomError(error)) return String(error);
  switch (error.code) {
    case 'ROOM_EXISTS':
      return 'That room id is taken. Choose another one, or leave it empty for a random one.';
    case 'INVALID_ID':
    case 'VALIDATION_FAILED':
      return 'Room ids are 6 to 36 letters, digits, “-” or “_”.';
    case 'ABORTED':
      return 'Cancelled.';
    case 'STORAGE_FULL':
      return 'The server is out of space for files right now. Try again later.';
    case 'IP_QUOTA_EXCEEDED':
      return 'Files from your network already use their share of the server’s space. Try again when some have expired.';
    case 'ROOM_QUOTA_EXCEEDED':
      return 'The files in this room already use their share of the server’s space. Try again when some have expired.';
    case 'TOO_MANY_UPLOADS':
      return 'Too many uploads at once. Wait for one to finish, then try again.';
    case 'UPLOAD_TOO_SLOW':
      return 'The upload stalled and the server stopped it. Check your connection and try again.';
    case 'ORIGIN_NOT_ALLOWED':
      return 'This page may not use this server. Open the link on the server itself.';
    case 'ROOM_CLOSED':
      return 'The room is closed.';
    case 'PAYLOAD_TOO_LARGE':
      return 'That message is too long.';
    case 'DECRYPT_FAILED':
    case 'TRUNCATED':
      return 'The file did not decrypt: it was damaged or the key is wrong. Nothing was saved.';
    default:
      return problemForCode(error).title + '. ' + problemForCode(error).detail;
  }
}
