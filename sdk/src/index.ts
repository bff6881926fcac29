/**
 * @sealroom/sdk: the browser-safe entry (also fine in Node). Node-only helpers (Node stream sources, saving
 * to a path) are in `@sealroom/sdk/node`.
 */
export {
  SealroomClient,
  type CreatedRoom,
  type CreateRoomOptions,
  type FileInfo,
  type DownloadOptions,
  type DownloadTarget,
  type JoinOptions,
  type SealroomClientOptions,
} from './client.js';
export { Room, type RoomState, type SendOptions, type ShareFileOptions } from './room.js';
export type {
  DropReason,
  DroppedEvent,
  KeyChangedEvent,
  MemberEvent,
  ReconnectEvent,
  RoomClosedEvent,
  RoomEventMap,
  RoomFile,
  RoomMember,
  RoomMessage,
} from './room-events.js';
export { MemoryIdentityStore, type IdentityStore, type TrustRecord } from './identity-store.js';
export { PROTOCOL_VERSION } from './protocol.js';
export {
  CLIENT_ERROR_CODES,
  SealroomError,
  SealroomServerError,
  isSealroomError,
  type ClientErrorCode,
  type SealroomErrorCode,
  type ServerErrorCode,
  type ServerErrorDetails,
} from './errors.js';
export type { FileDownload } from './files/file-download.js';
export type { PlainSource, SourceHints, WebFileSource } from './files/file-source.js';
export { streamSource } from './files/file-source.js';
export type { UploadTransport } from './files/file-upload.js';
export {
  encryptedRange,
  LocalStorageResumeStore,
  MemoryResumeStore,
  type ResumableUploadOptions,
  type ResumeRecord,
  type ResumeStore,
} from './files/resumable-upload.js';
export type { ProgressListener, TransferProgress } from './files/transfer-progress.js';
export type { RealtimeOptions } from './realtime/realtime-connection.js';
export { RestApi, type FetchFunction } from './rest/rest-api.js';

// The generated REST client (from spec/openapi.json) and its types.
export { SealroomApi } from './generated/rest/SealroomApi.js';
export { ApiError } from './generated/rest/core/ApiError.js';
export { CancelablePromise, CancelError } from './generated/rest/core/CancelablePromise.js';
export { SealroomApiError } from './generated/rest/core/request.js';
export type { OpenAPIConfig } from './generated/rest/core/OpenAPI.js';
export type {
  ConfigResponse,
  CreateRoomRequest,
  ErrorBody,
  FieldError,
  HealthResponse,
  KdfPolicy,
  PasswordKdf,
  RealtimePolicy,
  RoomResponse,
  UploadResponse,
} from './generated/rest/index.js';
// The realtime event types (from asyncapi.yaml), for typing a socket.io-client Socket directly.
export type { ClientToServerEvents, ServerToClientEvents } from '@sealroom/contracts';
export type * as RealtimeEvents from '@sealroom/contracts';

// The crypto layer: the protocol's one implementation (test vectors in test-vectors.json).
export * from './crypto/index.js';
