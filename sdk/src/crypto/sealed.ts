/**
 * Sealed values: small JSON objects (messages, profiles, file metadata) encrypted with AES-256-GCM.
 * Wire form `{iv, ct}`, both base64url: `iv` is 12 random bytes, `ct` the ciphertext with its 16-byte tag.
 * The plaintext is UTF-8 JSON padded to a multiple of 256 bytes (see padding.ts). The AAD names the room
 * and the ids the value belongs to, so the server cannot move it to another room, message, file or member.
 * Messages, profiles and file metadata are also signed by their sender (signing.ts): the `*Signed*`
 * functions sign before sealing and verify after opening.
 */
import { base64urlDecode, base64urlDecodeExact, base64urlEncode, copyBytes, utf8Decode, utf8Encode, type Bytes } from './encoding.js';
import type { WebCryptoKey } from './web-crypto-key.js';
import { DecryptError, InvalidInputError, SignatureError } from './errors.js';
import { assertValidId } from './ids.js';
import { pad, unpad } from './padding.js';
import {
  fileSignatureFields,
  messageSignatureFields,
  profileSignatureFields,
  signFields,
  verifyFields,
  type SigningKey,
} from './signing.js';
import {
  validateFileInfoPayload,
  validateFileMetaPayload,
  validateMessagePayload,
  validateProfilePayload,
  type FileInfoPayload,
  type FileMetaPayload,
  type JsonValue,
  type MessagePayload,
  type ProfilePayload,
  type Unsigned,
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

/** Where a message belongs: its AAD is `sealroom/v2|msg|<room_id>|<message_id>|<member_id>`. */
export interface MessageRef {
  roomId: string;
  messageId: string;
  /** The sender. */
  memberId: string;
}

/** Whose profile: its AAD is `sealroom/v2|profile|<room_id>|<member_id>`. */
export interface ProfileRef {
  roomId: string;
  memberId: string;
}

/** Which file, shared by whom: its metadata's AAD is `sealroom/v2|file|<room_id>|<file_id>|<member_id>`. */
export interface FileMetaRef {
  roomId: string;
  fileId: string;
  /** The member who shared it. */
  memberId: string;
}

/** The AAD of a message. @throws InvalidInputError `INVALID_ID` */
export function messageAad(ref: MessageRef): string {
  const roomId = assertValidId(ref.roomId, 'room_id');
  const messageId = assertValidId(ref.messageId, 'message_id');
  const memberId = assertValidId(ref.memberId, 'member_id');
  return `sealroom/v2|msg|${roomId}|${messageId}|${memberId}`;
}

/** The AAD of a profile. @throws InvalidInputError `INVALID_ID` */
export function profileAad(ref: ProfileRef): string {
  return `sealroom/v2|profile|${assertValidId(ref.roomId, 'room_id')}|${assertValidId(ref.memberId, 'member_id')}`;
}

/** The AAD of file metadata. @throws InvalidInputError `INVALID_ID` */
export function fileMetaAad(ref: FileMetaRef): string {
  const roomId = assertValidId(ref.roomId, 'room_id');
  return `sealroom/v2|file|${roomId}|${assertValidId(ref.fileId, 'file_id')}|${assertValidId(ref.memberId, 'member_id')}`;
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

// ---- signed values -----------------------------------------------------------------------------------------

/**
 * Signs a message with the sender's identity key (over room, message id, sender, sent_at, reply_to and text)
 * and seals it.
 * @throws InvalidInputError (bad ids, text over {@link MAX_MESSAGE_TEXT_LENGTH}, bad fields)
 */
export async function sealSignedMessage(
  msgKey: WebCryptoKey,
  identity: SigningKey,
  ref: MessageRef,
  message: Unsigned<MessagePayload>,
  options?: SealOptions,
): Promise<SealedValue> {
  const sig = await signFields(identity, 'msg', messageSignatureFields(ref, message));
  return sealMessage(msgKey, ref, { ...message, sig }, options);
}

/**
 * Opens a message and verifies its signature with the sender's identity key (from the sender's profile).
 * @throws DecryptError, SignatureError `BAD_SIGNATURE`, InvalidInputError
 */
export async function openSignedMessage(
  msgKey: WebCryptoKey,
  ref: MessageRef,
  sealed: SealedValue,
  identityKey: string,
): Promise<MessagePayload> {
  const message = await openMessage(msgKey, ref, sealed);
  if (!(await verifyFields(identityKey, message.sig, 'msg', messageSignatureFields(ref, message)))) {
    throw new SignatureError("message signature does not verify with its sender's identity key");
  }
  return message;
}

/**
 * Signs a profile (room, member id, identity key, name) with the member's identity key and seals it.
 * @throws InvalidInputError (bad ids, name empty, too long or with control characters)
 */
export async function sealSignedProfile(
  msgKey: WebCryptoKey,
  identity: SigningKey,
  ref: ProfileRef,
  name: string,
  options?: SealOptions,
): Promise<SealedValue> {
  const sig = await signFields(identity, 'profile', profileSignatureFields(ref, identity.publicKey, name));
  return sealProfile(msgKey, ref, { name, identity_key: identity.publicKey, sig }, options);
}

/**
 * Opens a profile and verifies its signature with the identity key it carries (so the name and key are bound to
 * this member id in this room).
 * @throws DecryptError, SignatureError `BAD_SIGNATURE`, InvalidInputError
 */
export async function openSignedProfile(msgKey: WebCryptoKey, ref: ProfileRef, sealed: SealedValue): Promise<ProfilePayload> {
  const profile = await openProfile(msgKey, ref, sealed);
  if (
    !(await verifyFields(profile.identity_key, profile.sig, 'profile', profileSignatureFields(ref, profile.identity_key, profile.name)))
  ) {
    throw new SignatureError('profile signature does not verify');
  }
  return profile;
}

/**
 * Signs a file announcement (room, file id, sender, name, type, size, key) and seals it with the `meta` key.
 * @throws InvalidInputError (bad ids, unsafe name, bad type, size or key)
 */
export async function sealSignedFileMeta(
  metaKey: WebCryptoKey,
  identity: SigningKey,
  ref: FileMetaRef,
  meta: Unsigned<FileMetaPayload>,
  options?: SealOptions,
): Promise<SealedValue> {
  const sig = await signFields(identity, 'file', fileSignatureFields(ref, meta));
  return sealFileMeta(metaKey, ref, { ...meta, sig }, options);
}

/**
 * Opens a file announcement and verifies its signature with the sender's identity key.
 * @throws DecryptError, SignatureError `BAD_SIGNATURE`, InvalidInputError
 */
export async function openSignedFileMeta(
  metaKey: WebCryptoKey,
  ref: FileMetaRef,
  sealed: SealedValue,
  identityKey: string,
): Promise<FileMetaPayload> {
  const meta = await openFileMeta(metaKey, ref, sealed);
  if (!(await verifyFields(identityKey, meta.sig, 'file', fileSignatureFields(ref, meta)))) {
    throw new SignatureError("file announcement signature does not verify with its sender's identity key");
  }
  return meta;
}

// ---- file info -----------------------------------------------------------------------------------------------

/** The AAD of a file's self-describing info (its key `fm` is the file's own). */
export const FILE_INFO_AAD = 'sealroom/v2|file-info';

/**
 * Seals a file's `{name, type, size}` with its `fm` key (file-cipher.ts), for the upload's `file_info` field.
 * @throws InvalidInputError (unsafe name, bad type or size)
 */
export async function sealFileInfo(fmKey: WebCryptoKey, info: FileInfoPayload, options?: SealOptions): Promise<SealedValue> {
  return seal(fmKey, FILE_INFO_AAD, validateFileInfoPayload(info, 'seal'), options);
}

/** Opens a file's info sealed by {@link sealFileInfo}. @throws DecryptError, InvalidInputError */
export async function openFileInfo(fmKey: WebCryptoKey, sealed: SealedValue): Promise<FileInfoPayload> {
  return validateFileInfoPayload(await open(fmKey, FILE_INFO_AAD, sealed), 'open');
}
