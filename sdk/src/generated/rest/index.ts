// DO NOT EDIT. Generated from spec/openapi.json by openapi-typescript-codegen 0.31.0 (npm run generate:sdk).
/* istanbul ignore file */
/* tslint:disable */
/* eslint-disable */
export { SealroomApi } from './SealroomApi.js';

export { ApiError } from './core/ApiError.js';
export { BaseHttpRequest } from './core/BaseHttpRequest.js';
export { CancelablePromise, CancelError } from './core/CancelablePromise.js';
export { OpenAPI } from './core/OpenAPI.js';
export type { OpenAPIConfig } from './core/OpenAPI.js';

export type { ConfigResponse } from './models/ConfigResponse.js';
export type { CreateRoomRequest } from './models/CreateRoomRequest.js';
export type { DownloadProof } from './models/DownloadProof.js';
export type { DownloadToken } from './models/DownloadToken.js';
export type { ErrorBody } from './models/ErrorBody.js';
export type { ErrorCode } from './models/ErrorCode.js';
export type { FieldError } from './models/FieldError.js';
export type { FileId } from './models/FileId.js';
export type { FileInfoResponse } from './models/FileInfoResponse.js';
export type { HealthResponse } from './models/HealthResponse.js';
export type { KdfPolicy } from './models/KdfPolicy.js';
export type { OwnerSignature } from './models/OwnerSignature.js';
export type { PasswordKdf } from './models/PasswordKdf.js';
export type { ProtocolVersion } from './models/ProtocolVersion.js';
export type { RealtimePolicy } from './models/RealtimePolicy.js';
export type { RoomId } from './models/RoomId.js';
export type { RoomResponse } from './models/RoomResponse.js';
export type { UploadResponse } from './models/UploadResponse.js';

export { FilesService } from './services/FilesService.js';
export { RoomsService } from './services/RoomsService.js';
export { ServerService } from './services/ServerService.js';
