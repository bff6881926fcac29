/**
 * Sealed values: small JSON objects (messages, profiles, file metadata) encrypted with AES-256-GCM.
 * Wire form `{iv, ct}`, both base64url: `iv` is 12 random bytes, `ct` the ciphertext with its 16-byte tag.
 * The plaintext is UTF-8 JSON padded to a multiple of 256 bytes (see padding.ts). The AAD names the room
 * and the ids the value belongs to, so the server cannot move it to another room, message or member.
 */
import { base64urlDecode, base64urlDecodeExact, base64urlEncode, copyBytes, utf8Decode, utf8Encode, type Bytes } from './encoding.js';
import type { WebCryptoKey } from './web-crypto-key.js';
import { DecryptError, InvalidInputError } from './errors.js';
import { assertValidId } from './ids.js';
import { pad, unpad } from './padding.js';
import {
  validateFileMetaPayload,
  validateMessagePayload,
  validateProfilePayload,
  type FileMetaPayload,
  type JsonValue,
  type MessagePayload,
  type ProfilePayload,
} from './payloads.js';
import { GCM_IV_BYTES, aesGcmDecrypt, aesGcmEncrypt, randomBytes } from './primitives.js';

/** A sealed value as it travels: both fields base64url. */
export interface SealedValue {
  iv: string;
  ct: string;
}

/** Options for {@link seal}. */
export interface SealOptions {
  /**
   * A fixed 12-byte IV. FOR TEST VECTORS ONLY: sealing two values with the same key and IV breaks
   * AES-GCM's confidentiality and integrity. Leave unset to get a fresh random IV.
   */
  iv?: Uint8Array;
}

/** Where a message belongs: its AAD is `sealroom/v1|msg|<room_id>|<message_id>|<member_id>`. */
export interface MessageRef {
  roomId: string;
  messageId: string;
  /** The sender. */
  memberId: string;
}

/** Whose profile: its AAD is `sealroom/v1|profile|<room_id>|<member_id>`. */
export interface ProfileRef {
  roomId: string;
  memberId: string;
}

/** Which file: its metadata's AAD is `sealroom/v1|file|<room_id>|<file_id>`. */
export interface FileMetaRef {
  roomId: string;
  fileId: string;
}

/** The AAD of a message. @throws InvalidInputError `INVALID_ID` */
export function messageAad(ref: MessageRef): string {
  const roomId = assertValidId(ref.roomId, 'room_id');
  const messageId = assertValidId(ref.messageId, 'message_id');
  const memberId = assertValidId(ref.memberId, 'member_id');
  return `sealroom/v1|msg|${roomId}|${messageId}|${memberId}`;
}

/** The AAD of a profile. @throws InvalidInputError `INVALID_ID` */
export function profileAad(ref: ProfileRef): string {
  return `sealroom/v1|profile|${assertValidId(ref.roomId, 'room_id')}|${assertValidId(ref.memberId, 'member_id')}`;
}

/** The AAD of file metadata. @throws InvalidInputError `INVALID_ID` */
export function fileMetaAad(ref: FileMetaRef): string {
  return `sealroom/v1|file|${assertValidId(ref.roomId, 'room_id')}|${assertValidId(ref.fileId, 'file_id')}`;
}

function serializeJson(value: JsonValue): Bytes {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    throw new InvalidInputError('value cannot be serialized as JSON', 'INVALID_INPUT', { cause: error });
  }
  if (json === undefined) throw new InvalidInputError('value cannot be serialized as JSON');
  return utf8Encode(json);
}

/**
 * Seals a JSON value: pads its UTF-8 JSON to a multiple of 256 bytes and encrypts it with AES-256-GCM.
 * @param key an AES-GCM key (a room's `msg` or `meta` key)
 * @param aad the additional authenticated data; {@link open} must be given the same string
 * @throws InvalidInputError (value not serializable, bad key or IV)
 */
export async function seal(key: WebCryptoKey, aad: string, value: JsonValue, options: SealOptions = {}): Promise<SealedValue> {
  const iv = options.iv === undefined ? randomBytes(GCM_IV_BYTES) : copyBytes(options.iv, 'iv', GCM_IV_BYTES);
  const ct = await aesGcmEncrypt(key, iv, pad(serializeJson(value)), utf8Encode(aad));
  return { iv: base64urlEncode(iv), ct: base64urlEncode(ct) };
}

/**
 * Opens a sealed value and parses its JSON.
 * @throws DecryptError `DECRYPT_FAILED` (wrong key, or ct, iv or aad altered), `INVALID_PADDING`,
 *   `INVALID_PAYLOAD` (not UTF-8 JSON); InvalidInputError `INVALID_ENCODING`/`INVALID_INPUT` (malformed `{iv, ct}`)
 */
export async function open(key: WebCryptoKey, aad: string, sealed: SealedValue): Promise<JsonValue> {
  if (typeof sealed !== 'object' || sealed === null) throw new InvalidInputError('sealed value must be an object {iv, ct}');
  const iv = base64urlDecodeExact(sealed.iv, GCM_IV_BYTES, 'iv');
  const ct = base64urlDecode(sealed.ct);
  const content = unpad(await aesGcmDecrypt(key, iv, ct, utf8Encode(aad), 'sealed value'));
  try {
    return JSON.parse(utf8Decode(content)) as JsonValue;
  } catch (error) {
    throw new DecryptError('sealed value is not UTF-8 JSON', 'INVALID_PAYLOAD', { cause: error });
  }
}

/**
 * Seals a chat message with the room's `msg` key.
 * @throws InvalidInputError (bad ids `INVALID_ID`, text over {@link MAX_MESSAGE_TEXT_LENGTH}, bad fields)
 */
export async function sealMessage(
  msgKey: WebCryptoKey,
  ref: MessageRef,
  message: MessagePayload,
  options?: SealOptions,
): Promise<SealedValue> {
  return seal(msgKey, messageAad(ref), validateMessagePayload(message, 'seal'), options);
}

/**
 * Opens a chat message sealed for `ref` and checks its shape.
 * @throws DecryptError (`DECRYPT_FAILED`, `INVALID_PADDING`, `INVALID_PAYLOAD`), InvalidInputError
 */
export async function openMessage(msgKey: WebCryptoKey, ref: MessageRef, sealed: SealedValue): Promise<MessagePayload> {
  return validateMessagePayload(await open(msgKey, messageAad(ref), sealed), 'open');
}

/**
 * Seals a member's profile with the room's `msg` key.
 * @throws InvalidInputError (bad ids, name empty, over {@link MAX_PROFILE_NAME_LENGTH} or with control characters)
 */
export async function sealProfile(
  msgKey: WebCryptoKey,
  ref: ProfileRef,
  profile: ProfilePayload,
  options?: SealOptions,
): Promise<SealedValue> {
  return seal(msgKey, profileAad(ref), validateProfilePayload(profile, 'seal'), options);
}

/**
 * Opens a member's profile sealed for `ref` and checks its shape.
 * @throws DecryptError (`DECRYPT_FAILED`, `INVALID_PADDING`, `INVALID_PAYLOAD`), InvalidInputError
 */
export async function openProfile(msgKey: WebCryptoKey, ref: ProfileRef, sealed: SealedValue): Promise<ProfilePayload> {
  return validateProfilePayload(await open(msgKey, profileAad(ref), sealed), 'open');
}

/**
 * Seals a shared file's metadata (name, type, size, file key) with the room's `meta` key.
 * @throws InvalidInputError (bad ids, unsafe name, bad type, size or key)
 */
export async function sealFileMeta(
  metaKey: WebCryptoKey,
  ref: FileMetaRef,
  meta: FileMetaPayload,
  options?: SealOptions,
): Promise<SealedValue> {
  return seal(metaKey, fileMetaAad(ref), validateFileMetaPayload(meta, 'seal'), options);
}

/**
 * Opens a shared file's metadata sealed for `ref` and checks its shape.
 * @throws DecryptError (`DECRYPT_FAILED`, `INVALID_PADDING`, `INVALID_PAYLOAD`), InvalidInputError
 */
export async function openFileMeta(metaKey: WebCryptoKey, ref: FileMetaRef, sealed: SealedValue): Promise<FileMetaPayload> {
  return validateFileMetaPayload(await open(metaKey, fileMetaAad(ref), sealed), 'open');
}
