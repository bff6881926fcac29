/**
 * Sealroom's crypto layer: the one implementation of the protocol's cryptography (PROTOCOL.md,
 * sections 2 to 6), on WebCrypto only, for Node and browsers alike.
 */
export {
  CRYPTO_ERROR_CODES,
  CryptoUnavailableError,
  DecryptError,
  InvalidInputError,
  InvalidLinkError,
  InvalidSizeError,
  KdfTooWeakError,
  SealroomCryptoError,
  isSealroomCryptoError,
  type CryptoErrorCode,
} from './errors.js';
export {
  base64urlDecode,
  base64urlDecodeExact,
  base64urlEncode,
  concatBytes,
  hexDecode,
  hexEncode,
  utf8Decode,
  utf8Encode,
  type Bytes,
} from './encoding.js';
export { ID_MAX_LENGTH, ID_MIN_LENGTH, ID_PATTERN, RANDOM_ID_BYTES, assertValidId, isValidId, randomId, type IdKind } from './ids.js';
export {
  MAX_PBKDF2_ITERATIONS,
  MIN_PBKDF2_ITERATIONS,
  PASSWORD_SALT_BYTES,
  ROOM_SECRET_BYTES,
  checkPasswordParams,
  derivePasswordKey,
  deriveRoomKeyMaterial,
  deriveRoomKeys,
  generateRoomSecret,
  newPasswordParams,
  type PasswordParams,
  type RoomKeyInput,
  type RoomKeyMaterial,
  type RoomKeys,
  type RoomPassword,
} from './room-keys.js';
export { PROOF_PURPOSES, PROOF_WINDOW_SECONDS, importAuthKey, makeProof, verifyProof, type ProofPurpose } from './proof.js';
export { PAD_BUCKET_BYTES, paddedLength } from './padding.js';
export {
  MAX_FILE_NAME_LENGTH,
  MAX_FILE_TYPE_LENGTH,
  MAX_MESSAGE_TEXT_LENGTH,
  MAX_PROFILE_NAME_LENGTH,
  type FileMetaPayload,
  type JsonValue,
  type MessagePayload,
  type ProfilePayload,
} from './payloads.js';
export {
  fileMetaAad,
  messageAad,
  open,
  openFileMeta,
  openMessage,
  openProfile,
  profileAad,
  seal,
  sealFileMeta,
  sealMessage,
  sealProfile,
  type FileMetaRef,
  type MessageRef,
  type ProfileRef,
  type SealOptions,
  type SealedValue,
} from './sealed.js';
export {
  FILE_KEY_BYTES,
  RECORD_CIPHERTEXT_BYTES,
  RECORD_PLAINTEXT_BYTES,
  createDecryptStream,
  createEncryptStream,
  decryptBytes,
  deriveFileKeyMaterial,
  encryptBytes,
  encryptedSize,
  generateFileKey,
  plainSizeFromEncrypted,
  recordNonce,
  type FileCipherOptions,
  type FileKeyMaterial,
} from './file-cipher.js';
export { webCryptoRecordAead, type RecordAead, type RecordAeadFactory } from './record-aead.js';
export type { WebCryptoKey } from './web-crypto-key.js';
export { formatFileLink, formatInviteLink, parseFileLink, parseInviteLink, type FileLink, type InviteLink } from './links.js';
