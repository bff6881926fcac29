/* tslint:disable */
/* eslint-disable */
// WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
import type { TsoaRoute } from '@tsoa/runtime';
import {  fetchMiddlewares, ExpressTemplateService } from '@tsoa/runtime';
// WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
import { UploadController } from './../controllers/upload.controller';
// WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
import { SystemController } from './../controllers/system.controller';
// WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
import { RoomController } from './../controllers/room.controller';
// WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
import { FileController } from './../controllers/file.controller';
import { iocContainer } from './../ioc';
import type { IocContainer, IocContainerFactory } from '@tsoa/runtime';
import type { Request as ExRequest, Response as ExResponse, RequestHandler, Router } from 'express';
const multer = require('multer');




// WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa

const models: TsoaRoute.Models = {
    "ErrorCode": {
        "dataType": "refAlias",
        "type": {"dataType":"union","subSchemas":[{"dataType":"enum","enums":["UNSUPPORTED_VERSION"]},{"dataType":"enum","enums":["VALIDATION_FAILED"]},{"dataType":"enum","enums":["MALFORMED_JSON"]},{"dataType":"enum","enums":["MALFORMED_UPLOAD"]},{"dataType":"enum","enums":["SIZE_MISMATCH"]},{"dataType":"enum","enums":["PROOF_INVALID"]},{"dataType":"enum","enums":["PROOF_EXPIRED"]},{"dataType":"enum","enums":["DOWNLOAD_PROOF_REQUIRED"]},{"dataType":"enum","enums":["OWNER_SIGNATURE_INVALID"]},{"dataType":"enum","enums":["UPLOADS_DISABLED"]},{"dataType":"enum","enums":["ROOM_NOT_FOUND"]},{"dataType":"enum","enums":["FILE_NOT_FOUND"]},{"dataType":"enum","enums":["NOT_FOUND"]},{"dataType":"enum","enums":["ROOM_EXISTS"]},{"dataType":"enum","enums":["FILE_TOO_LARGE"]},{"dataType":"enum","enums":["PAYLOAD_TOO_LARGE"]},{"dataType":"enum","enums":["UNSUPPORTED_MEDIA_TYPE"]},{"dataType":"enum","enums":["RANGE_NOT_SATISFIABLE"]},{"dataType":"enum","enums":["RATE_LIMITED"]},{"dataType":"enum","enums":["INTERNAL"]},{"dataType":"enum","enums":["SERVICE_UNAVAILABLE"]},{"dataType":"enum","enums":["STORAGE_FULL"]},{"dataType":"enum","enums":["IP_QUOTA_EXCEEDED"]},{"dataType":"enum","enums":["ROOM_QUOTA_EXCEEDED"]},{"dataType":"enum","enums":["TOO_MANY_UPLOADS"]},{"dataType":"enum","enums":["UPLOAD_TOO_SLOW"]},{"dataType":"enum","enums":["UPLOAD_OFFSET_MISMATCH"]},{"dataType":"enum","enums":["ORIGIN_NOT_ALLOWED"]},{"dataType":"enum","enums":["INVALID_PAYLOAD"]},{"dataType":"enum","enums":["UNKNOWN_EVENT"]},{"dataType":"enum","enums":["NOT_IN_ROOM"]},{"dataType":"enum","enums":["ALREADY_IN_ROOM"]},{"dataType":"enum","enums":["MEMBER_ID_TAKEN"]},{"dataType":"enum","enums":["ROOM_FULL"]},{"dataType":"enum","enums":["TOO_MANY_ROOMS"]},{"dataType":"enum","enums":["TOO_MANY_CONNECTIONS"]},{"dataType":"enum","enums":["HEADERS_TOO_LARGE"]},{"dataType":"enum","enums":["MALFORMED_REQUEST"]},{"dataType":"enum","enums":["REQUEST_TIMEOUT"]}],"validators":{}},
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "FieldError": {
        "dataType": "refObject",
        "properties": {
            "field": {"dataType":"string","required":true},
            "message": {"dataType":"string","required":true},
        },
        "additionalProperties": false,
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "ErrorBody": {
        "dataType": "refObject",
        "properties": {
            "error": {"dataType":"nestedObjectLiteral","nestedProperties":{"details":{"dataType":"array","array":{"dataType":"refObject","ref":"FieldError"}},"message":{"dataType":"string","required":true},"code":{"ref":"ErrorCode","required":true}},"required":true},
        },
        "additionalProperties": false,
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "FileId": {
        "dataType": "refAlias",
        "type": {"dataType":"string","validators":{"pattern":{"value":"^[A-Za-z0-9_-]{6,36}$"}}},
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "UploadResponse": {
        "dataType": "refObject",
        "properties": {
            "file_id": {"ref":"FileId","required":true},
            "url": {"dataType":"string","required":true},
            "size": {"dataType":"double","required":true},
            "expires_at": {"dataType":"double","required":true},
            "max_downloads": {"dataType":"union","subSchemas":[{"dataType":"double"},{"dataType":"enum","enums":[null]}],"required":true},
        },
        "additionalProperties": false,
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "HealthResponse": {
        "dataType": "refObject",
        "properties": {
            "status": {"dataType":"union","subSchemas":[{"dataType":"enum","enums":["ok"]},{"dataType":"enum","enums":["unavailable"]}],"required":true},
            "version": {"dataType":"string","required":true},
            "dependencies": {"dataType":"nestedObjectLiteral","nestedProperties":{},"additionalProperties":{"dataType":"union","subSchemas":[{"dataType":"enum","enums":["ok"]},{"dataType":"enum","enums":["down"]}]},"required":true},
            "uptime_s": {"dataType":"double","required":true},
        },
        "additionalProperties": false,
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "KdfPolicy": {
        "dataType": "refObject",
        "properties": {
            "algorithm": {"dataType":"enum","enums":["PBKDF2-SHA256"],"required":true},
            "min_iterations": {"dataType":"double","required":true},
        },
        "additionalProperties": false,
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "RealtimePolicy": {
        "dataType": "refObject",
        "properties": {
            "max_payload_bytes": {"dataType":"double","required":true},
            "sends_per_second": {"dataType":"double","required":true},
            "joins_per_minute": {"dataType":"double","required":true},
            "max_rooms_per_connection": {"dataType":"double","required":true},
            "max_members_per_room": {"dataType":"double","required":true},
            "max_connections_per_ip": {"dataType":"double","required":true},
            "message_backlog": {"dataType":"double","required":true},
            "message_backlog_bytes": {"dataType":"double","required":true},
            "message_backlog_total_bytes": {"dataType":"double","required":true},
            "recovery_window_ms": {"dataType":"double","required":true},
        },
        "additionalProperties": false,
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "UploadPolicy": {
        "dataType": "refObject",
        "properties": {
            "max_bytes_per_ip": {"dataType":"double","required":true},
            "max_bytes_per_room": {"dataType":"double","required":true},
            "max_uploads_per_ip": {"dataType":"double","required":true},
            "max_uploads_per_room": {"dataType":"double","required":true},
            "min_rate_bytes_per_s": {"dataType":"double","required":true},
            "rate_grace_ms": {"dataType":"double","required":true},
        },
        "additionalProperties": false,
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "RateLimitPolicy": {
        "dataType": "refObject",
        "properties": {
            "create_room_per_minute": {"dataType":"double","required":true},
            "upload_per_minute": {"dataType":"double","required":true},
            "lookup_per_minute": {"dataType":"double","required":true},
            "proof_failures_per_room_per_minute": {"dataType":"double","required":true},
            "proof_failures_per_minute": {"dataType":"double","required":true},
        },
        "additionalProperties": false,
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "ConfigResponse": {
        "dataType": "refObject",
        "properties": {
            "version": {"dataType":"string","required":true},
            "protocol": {"dataType":"enum","enums":["sealroom/v2"],"required":true},
            "public_url": {"dataType":"string","required":true},
            "max_upload_bytes": {"dataType":"double","required":true},
            "storage_limit_bytes": {"dataType":"double","required":true},
            "file_age_ms": {"dataType":"double","required":true},
            "room_idle_ms": {"dataType":"double","required":true},
            "kdf": {"ref":"KdfPolicy","required":true},
            "proof_window_s": {"dataType":"double","required":true},
            "proof_future_skew_s": {"dataType":"double","required":true},
            "realtime": {"ref":"RealtimePolicy","required":true},
            "uploads": {"ref":"UploadPolicy","required":true},
            "rate_limits": {"ref":"RateLimitPolicy","required":true},
        },
        "additionalProperties": false,
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "RoomId": {
        "dataType": "refAlias",
        "type": {"dataType":"string","validators":{"pattern":{"value":"^[A-Za-z0-9_-]{6,36}$"}}},
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "PasswordKdf": {
        "dataType": "refObject",
        "properties": {
            "salt": {"dataType":"string","required":true,"validators":{"pattern":{"value":"^[A-Za-z0-9_-]{22}$"}}},
            "iterations": {"dataType":"integer","required":true,"validators":{"minimum":{"value":600000},"maximum":{"value":10000000}}},
        },
        "additionalProperties": false,
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "RoomResponse": {
        "dataType": "refObject",
        "properties": {
            "room_id": {"ref":"RoomId","required":true},
            "created_at": {"dataType":"double","required":true},
            "expires_at": {"dataType":"double","required":true},
            "password": {"ref":"PasswordKdf"},
        },
        "additionalProperties": false,
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "ProtocolVersion": {
        "dataType": "refAlias",
        "type": {"dataType":"enum","enums":["sealroom/v2"],"validators":{}},
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "CreateRoomRequest": {
        "dataType": "refObject",
        "properties": {
            "protocol": {"ref":"ProtocolVersion","required":true},
            "room_id": {"dataType":"string","validators":{"pattern":{"value":"^[A-Za-z0-9_-]{6,36}$"}}},
            "auth": {"dataType":"string","required":true,"validators":{"pattern":{"value":"^[A-Za-z0-9_-]{43}$"}}},
            "owner_key": {"dataType":"string","required":true,"validators":{"pattern":{"value":"^[A-Za-z0-9_-]{43}$"}}},
            "password": {"ref":"PasswordKdf"},
        },
        "additionalProperties": false,
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "OwnerSignature": {
        "dataType": "refAlias",
        "type": {"dataType":"string","validators":{"pattern":{"value":"^\\d{1,12}\\.[A-Za-z0-9_-]{86}$"}}},
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "FileInfoResponse": {
        "dataType": "refObject",
        "properties": {
            "file_id": {"ref":"FileId","required":true},
            "size": {"dataType":"double","required":true},
            "expires_at": {"dataType":"double","required":true},
            "max_downloads": {"dataType":"union","subSchemas":[{"dataType":"double"},{"dataType":"enum","enums":[null]}],"required":true},
            "downloads_left": {"dataType":"union","subSchemas":[{"dataType":"double"},{"dataType":"enum","enums":[null]}],"required":true},
            "file_info": {"dataType":"union","subSchemas":[{"dataType":"nestedObjectLiteral","nestedProperties":{"ct":{"dataType":"string","required":true,"validators":{"pattern":{"value":"^[A-Za-z0-9_-]{22,5500}$"}}},"iv":{"dataType":"string","required":true,"validators":{"pattern":{"value":"^[A-Za-z0-9_-]{16}$"}}}}},{"dataType":"enum","enums":[null]}],"required":true},
        },
        "additionalProperties": false,
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "DownloadProof": {
        "dataType": "refAlias",
        "type": {"dataType":"string","validators":{"pattern":{"value":"^\\d{1,12}\\.[A-Za-z0-9_-]{43}$"}}},
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
    "DownloadToken": {
        "dataType": "refAlias",
        "type": {"dataType":"string","validators":{"pattern":{"value":"^[A-Za-z0-9_-]{22}$"}}},
    },
    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
};
const templateService = new ExpressTemplateService(models, {"noImplicitAdditionalProperties":"throw-on-extras","bodyCoercion":true});

// WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa




export function RegisterRoutes(app: Router,opts?:{multer?:ReturnType<typeof multer>}) {

    // ###########################################################################################################
    //  NOTE: If you do not see routes for all of your controllers in this file, then you might not have informed tsoa of where to look
    //      Please look into the "controllerPathGlobs" config option described in the readme: https://github.com/lukeautry/tsoa
    // ###########################################################################################################

    const upload = opts?.multer ||  multer({"limits":{"fileSize":8388608}});

    
        const argsUploadController_createUpload: Record<string, TsoaRoute.ParameterSchema> = {
                uploadLength: {"in":"header","name":"Upload-Length","required":true,"dataType":"string","validators":{"pattern":{"value":"^\\d{1,16}$"}}},
                uploadMetadata: {"in":"header","name":"Upload-Metadata","required":true,"dataType":"string"},
                req: {"in":"request","name":"req","required":true,"dataType":"object"},
                _tusResumable: {"in":"header","name":"Tus-Resumable","dataType":"string"},
        };
        app.post('/uploads',
            ...(fetchMiddlewares<RequestHandler>(UploadController)),
            ...(fetchMiddlewares<RequestHandler>(UploadController.prototype.createUpload)),

            async function UploadController_createUpload(request: ExRequest, response: ExResponse, next: any) {

            // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa

            let validatedArgs: any[] = [];
            try {
                validatedArgs = templateService.getValidatedArgs({ args: argsUploadController_createUpload, request, response });

                const container: IocContainer = typeof iocContainer === 'function' ? (iocContainer as IocContainerFactory)(request) : iocContainer;

                const controller: any = await container.get<UploadController>(UploadController);
                if (typeof controller['setStatus'] === 'function') {
                controller.setStatus(undefined);
                }

              await templateService.apiHandler({
                methodName: 'createUpload',
                controller,
                response,
                next,
                validatedArgs,
                successStatus: 201,
              });
            } catch (err) {
                return next(err);
            }
        });
        // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
        const argsUploadController_uploadOffset: Record<string, TsoaRoute.ParameterSchema> = {
                upload_id: {"in":"path","name":"upload_id","required":true,"ref":"FileId"},
                req: {"in":"request","name":"req","required":true,"dataType":"object"},
                _tusResumable: {"in":"header","name":"Tus-Resumable","dataType":"string"},
        };
        app.head('/uploads/:upload_id',
            ...(fetchMiddlewares<RequestHandler>(UploadController)),
            ...(fetchMiddlewares<RequestHandler>(UploadController.prototype.uploadOffset)),

            async function UploadController_uploadOffset(request: ExRequest, response: ExResponse, next: any) {

            // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa

            let validatedArgs: any[] = [];
            try {
                validatedArgs = templateService.getValidatedArgs({ args: argsUploadController_uploadOffset, request, response });

                const container: IocContainer = typeof iocContainer === 'function' ? (iocContainer as IocContainerFactory)(request) : iocContainer;

                const controller: any = await container.get<UploadController>(UploadController);
                if (typeof controller['setStatus'] === 'function') {
                controller.setStatus(undefined);
                }

              await templateService.apiHandler({
                methodName: 'uploadOffset',
                controller,
                response,
                next,
                validatedArgs,
                successStatus: 200,
              });
            } catch (err) {
                return next(err);
            }
        });
        // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
        const argsUploadController_appendUpload: Record<string, TsoaRoute.ParameterSchema> = {
                upload_id: {"in":"path","name":"upload_id","required":true,"ref":"FileId"},
                uploadOffset: {"in":"header","name":"Upload-Offset","required":true,"dataType":"string","validators":{"pattern":{"value":"^\\d{1,16}$"}}},
                contentType: {"in":"header","name":"Content-Type","required":true,"dataType":"string"},
                req: {"in":"request","name":"req","required":true,"dataType":"object"},
                _tusResumable: {"in":"header","name":"Tus-Resumable","dataType":"string"},
        };
        app.patch('/uploads/:upload_id',
            ...(fetchMiddlewares<RequestHandler>(UploadController)),
            ...(fetchMiddlewares<RequestHandler>(UploadController.prototype.appendUpload)),

            async function UploadController_appendUpload(request: ExRequest, response: ExResponse, next: any) {

            // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa

            let validatedArgs: any[] = [];
            try {
                validatedArgs = templateService.getValidatedArgs({ args: argsUploadController_appendUpload, request, response });

                const container: IocContainer = typeof iocContainer === 'function' ? (iocContainer as IocContainerFactory)(request) : iocContainer;

                const controller: any = await container.get<UploadController>(UploadController);
                if (typeof controller['setStatus'] === 'function') {
                controller.setStatus(undefined);
                }

              await templateService.apiHandler({
                methodName: 'appendUpload',
                controller,
                response,
                next,
                validatedArgs,
                successStatus: 204,
              });
            } catch (err) {
                return next(err);
            }
        });
        // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
        const argsUploadController_terminateUpload: Record<string, TsoaRoute.ParameterSchema> = {
                upload_id: {"in":"path","name":"upload_id","required":true,"ref":"FileId"},
                req: {"in":"request","name":"req","required":true,"dataType":"object"},
                _tusResumable: {"in":"header","name":"Tus-Resumable","dataType":"string"},
        };
        app.delete('/uploads/:upload_id',
            ...(fetchMiddlewares<RequestHandler>(UploadController)),
            ...(fetchMiddlewares<RequestHandler>(UploadController.prototype.terminateUpload)),

            async function UploadController_terminateUpload(request: ExRequest, response: ExResponse, next: any) {

            // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa

            let validatedArgs: any[] = [];
            try {
                validatedArgs = templateService.getValidatedArgs({ args: argsUploadController_terminateUpload, request, response });

                const container: IocContainer = typeof iocContainer === 'function' ? (iocContainer as IocContainerFactory)(request) : iocContainer;

                const controller: any = await container.get<UploadController>(UploadController);
                if (typeof controller['setStatus'] === 'function') {
                controller.setStatus(undefined);
                }

              await templateService.apiHandler({
                methodName: 'terminateUpload',
                controller,
                response,
                next,
                validatedArgs,
                successStatus: 204,
              });
            } catch (err) {
                return next(err);
            }
        });
        // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
        const argsSystemController_health: Record<string, TsoaRoute.ParameterSchema> = {
        };
        app.get('/health',
            ...(fetchMiddlewares<RequestHandler>(SystemController)),
            ...(fetchMiddlewares<RequestHandler>(SystemController.prototype.health)),

            async function SystemController_health(request: ExRequest, response: ExResponse, next: any) {

            // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa

            let validatedArgs: any[] = [];
            try {
                validatedArgs = templateService.getValidatedArgs({ args: argsSystemController_health, request, response });

                const container: IocContainer = typeof iocContainer === 'function' ? (iocContainer as IocContainerFactory)(request) : iocContainer;

                const controller: any = await container.get<SystemController>(SystemController);
                if (typeof controller['setStatus'] === 'function') {
                controller.setStatus(undefined);
                }

              await templateService.apiHandler({
                methodName: 'health',
                controller,
                response,
                next,
                validatedArgs,
                successStatus: undefined,
              });
            } catch (err) {
                return next(err);
            }
        });
        // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
        const argsSystemController_config: Record<string, TsoaRoute.ParameterSchema> = {
        };
        app.get('/config',
            ...(fetchMiddlewares<RequestHandler>(SystemController)),
            ...(fetchMiddlewares<RequestHandler>(SystemController.prototype.config)),

            async function SystemController_config(request: ExRequest, response: ExResponse, next: any) {

            // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa

            let validatedArgs: any[] = [];
            try {
                validatedArgs = templateService.getValidatedArgs({ args: argsSystemController_config, request, response });

                const container: IocContainer = typeof iocContainer === 'function' ? (iocContainer as IocContainerFactory)(request) : iocContainer;

                const controller: any = await container.get<SystemController>(SystemController);
                if (typeof controller['setStatus'] === 'function') {
                controller.setStatus(undefined);
                }

              await templateService.apiHandler({
                methodName: 'config',
                controller,
                response,
                next,
                validatedArgs,
                successStatus: undefined,
              });
            } catch (err) {
                return next(err);
            }
        });
        // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
        const argsRoomController_createRoom: Record<string, TsoaRoute.ParameterSchema> = {
                body: {"in":"body","name":"body","required":true,"ref":"CreateRoomRequest"},
        };
        app.post('/create_room',
            ...(fetchMiddlewares<RequestHandler>(RoomController)),
            ...(fetchMiddlewares<RequestHandler>(RoomController.prototype.createRoom)),

            async function RoomController_createRoom(request: ExRequest, response: ExResponse, next: any) {

            // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa

            let validatedArgs: any[] = [];
            try {
                validatedArgs = templateService.getValidatedArgs({ args: argsRoomController_createRoom, request, response });

                const container: IocContainer = typeof iocContainer === 'function' ? (iocContainer as IocContainerFactory)(request) : iocContainer;

                const controller: any = await container.get<RoomController>(RoomController);
                if (typeof controller['setStatus'] === 'function') {
                controller.setStatus(undefined);
                }

              await templateService.apiHandler({
                methodName: 'createRoom',
                controller,
                response,
                next,
                validatedArgs,
                successStatus: 201,
              });
            } catch (err) {
                return next(err);
            }
        });
        // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
        const argsRoomController_roomExists: Record<string, TsoaRoute.ParameterSchema> = {
                room_id: {"in":"query","name":"room_id","required":true,"ref":"RoomId"},
        };
        app.get('/room_exists',
            ...(fetchMiddlewares<RequestHandler>(RoomController)),
            ...(fetchMiddlewares<RequestHandler>(RoomController.prototype.roomExists)),

            async function RoomController_roomExists(request: ExRequest, response: ExResponse, next: any) {

            // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa

            let validatedArgs: any[] = [];
            try {
                validatedArgs = templateService.getValidatedArgs({ args: argsRoomController_roomExists, request, response });

                const container: IocContainer = typeof iocContainer === 'function' ? (iocContainer as IocContainerFactory)(request) : iocContainer;

                const controller: any = await container.get<RoomController>(RoomController);
                if (typeof controller['setStatus'] === 'function') {
                controller.setStatus(undefined);
                }

              await templateService.apiHandler({
                methodName: 'roomExists',
                controller,
                response,
                next,
                validatedArgs,
                successStatus: undefined,
              });
            } catch (err) {
                return next(err);
            }
        });
        // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
        const argsRoomController_deleteRoom: Record<string, TsoaRoute.ParameterSchema> = {
                room_id: {"in":"path","name":"room_id","required":true,"ref":"RoomId"},
                ownerSignature: {"in":"header","name":"x-owner-signature","required":true,"ref":"OwnerSignature"},
                req: {"in":"request","name":"req","required":true,"dataType":"object"},
        };
        app.delete('/rooms/:room_id',
            ...(fetchMiddlewares<RequestHandler>(RoomController)),
            ...(fetchMiddlewares<RequestHandler>(RoomController.prototype.deleteRoom)),

            async function RoomController_deleteRoom(request: ExRequest, response: ExResponse, next: any) {

            // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa

            let validatedArgs: any[] = [];
            try {
                validatedArgs = templateService.getValidatedArgs({ args: argsRoomController_deleteRoom, request, response });

                const container: IocContainer = typeof iocContainer === 'function' ? (iocContainer as IocContainerFactory)(request) : iocContainer;

                const controller: any = await container.get<RoomController>(RoomController);
                if (typeof controller['setStatus'] === 'function') {
                controller.setStatus(undefined);
                }

              await templateService.apiHandler({
                methodName: 'deleteRoom',
                controller,
                response,
                next,
                validatedArgs,
                successStatus: 204,
              });
            } catch (err) {
                return next(err);
            }
        });
        // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
        const argsFileController_uploadFile: Record<string, TsoaRoute.ParameterSchema> = {
                protocol: {"in":"formData","name":"protocol","required":true,"dataType":"string","validators":{"pattern":{"value":"^sealroom/v2$"}}},
                room_id: {"in":"formData","name":"room_id","required":true,"dataType":"string","validators":{"pattern":{"value":"^[A-Za-z0-9_-]{6,36}$"}}},
                proof: {"in":"formData","name":"proof","required":true,"dataType":"string","validators":{"pattern":{"value":"^\\d{1,12}\\.[A-Za-z0-9_-]{43}$"}}},
                size: {"in":"formData","name":"size","required":true,"dataType":"string","validators":{"pattern":{"value":"^\\d{1,16}$"}}},
                download_key: {"in":"formData","name":"download_key","required":true,"dataType":"string","validators":{"pattern":{"value":"^[A-Za-z0-9_-]{43}$"}}},
                file: {"in":"formData","name":"file","required":true,"dataType":"file"},
                file_info: {"in":"formData","name":"file_info","dataType":"string"},
                max_downloads: {"in":"formData","name":"max_downloads","dataType":"string","validators":{"pattern":{"value":"^([1-9]\\d{0,2}|1000)?$"}}},
                expires_in: {"in":"formData","name":"expires_in","dataType":"string","validators":{"pattern":{"value":"^([1-9]\\d{0,9})?$"}}},
        };
        app.post('/upload_file',
            upload.fields([
                {
                    name: "file",
                    maxCount: 1
                }
            ]),
            ...(fetchMiddlewares<RequestHandler>(FileController)),
            ...(fetchMiddlewares<RequestHandler>(FileController.prototype.uploadFile)),

            async function FileController_uploadFile(request: ExRequest, response: ExResponse, next: any) {

            // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa

            let validatedArgs: any[] = [];
            try {
                validatedArgs = templateService.getValidatedArgs({ args: argsFileController_uploadFile, request, response });

                const container: IocContainer = typeof iocContainer === 'function' ? (iocContainer as IocContainerFactory)(request) : iocContainer;

                const controller: any = await container.get<FileController>(FileController);
                if (typeof controller['setStatus'] === 'function') {
                controller.setStatus(undefined);
                }

              await templateService.apiHandler({
                methodName: 'uploadFile',
                controller,
                response,
                next,
                validatedArgs,
                successStatus: 201,
              });
            } catch (err) {
                return next(err);
            }
        });
        // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
        const argsFileController_fileInfo: Record<string, TsoaRoute.ParameterSchema> = {
                filename: {"in":"query","name":"filename","required":true,"ref":"FileId"},
                req: {"in":"request","name":"req","required":true,"dataType":"object"},
                downloadProof: {"in":"header","name":"x-download-proof","ref":"DownloadProof"},
        };
        app.get('/file_info',
            ...(fetchMiddlewares<RequestHandler>(FileController)),
            ...(fetchMiddlewares<RequestHandler>(FileController.prototype.fileInfo)),

            async function FileController_fileInfo(request: ExRequest, response: ExResponse, next: any) {

            // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa

            let validatedArgs: any[] = [];
            try {
                validatedArgs = templateService.getValidatedArgs({ args: argsFileController_fileInfo, request, response });

                const container: IocContainer = typeof iocContainer === 'function' ? (iocContainer as IocContainerFactory)(request) : iocContainer;

                const controller: any = await container.get<FileController>(FileController);
                if (typeof controller['setStatus'] === 'function') {
                controller.setStatus(undefined);
                }

              await templateService.apiHandler({
                methodName: 'fileInfo',
                controller,
                response,
                next,
                validatedArgs,
                successStatus: undefined,
              });
            } catch (err) {
                return next(err);
            }
        });
        // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
        const argsFileController_headFile: Record<string, TsoaRoute.ParameterSchema> = {
                filename: {"in":"query","name":"filename","required":true,"ref":"FileId"},
                req: {"in":"request","name":"req","required":true,"dataType":"object"},
                downloadProof: {"in":"header","name":"x-download-proof","ref":"DownloadProof"},
                downloadToken: {"in":"header","name":"x-download-token","ref":"DownloadToken"},
                range: {"in":"header","name":"range","dataType":"string"},
                ifRange: {"in":"header","name":"if-range","dataType":"string"},
        };
        app.head('/get_file',
            ...(fetchMiddlewares<RequestHandler>(FileController)),
            ...(fetchMiddlewares<RequestHandler>(FileController.prototype.headFile)),

            async function FileController_headFile(request: ExRequest, response: ExResponse, next: any) {

            // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa

            let validatedArgs: any[] = [];
            try {
                validatedArgs = templateService.getValidatedArgs({ args: argsFileController_headFile, request, response });

                const container: IocContainer = typeof iocContainer === 'function' ? (iocContainer as IocContainerFactory)(request) : iocContainer;

                const controller: any = await container.get<FileController>(FileController);
                if (typeof controller['setStatus'] === 'function') {
                controller.setStatus(undefined);
                }

              await templateService.apiHandler({
                methodName: 'headFile',
                controller,
                response,
                next,
                validatedArgs,
                successStatus: 200,
              });
            } catch (err) {
                return next(err);
            }
        });
        // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
        const argsFileController_getFile: Record<string, TsoaRoute.ParameterSchema> = {
                filename: {"in":"query","name":"filename","required":true,"ref":"FileId"},
                req: {"in":"request","name":"req","required":true,"dataType":"object"},
                downloadProof: {"in":"header","name":"x-download-proof","ref":"DownloadProof"},
                downloadToken: {"in":"header","name":"x-download-token","ref":"DownloadToken"},
                range: {"in":"header","name":"range","dataType":"string"},
                ifRange: {"in":"header","name":"if-range","dataType":"string"},
        };
        app.get('/get_file',
            ...(fetchMiddlewares<RequestHandler>(FileController)),
            ...(fetchMiddlewares<RequestHandler>(FileController.prototype.getFile)),

            async function FileController_getFile(request: ExRequest, response: ExResponse, next: any) {

            // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa

            let validatedArgs: any[] = [];
            try {
                validatedArgs = templateService.getValidatedArgs({ args: argsFileController_getFile, request, response });

                const container: IocContainer = typeof iocContainer === 'function' ? (iocContainer as IocContainerFactory)(request) : iocContainer;

                const controller: any = await container.get<FileController>(FileController);
                if (typeof controller['setStatus'] === 'function') {
                controller.setStatus(undefined);
                }

              await templateService.apiHandler({
                methodName: 'getFile',
                controller,
                response,
                next,
                validatedArgs,
                successStatus: 200,
              });
            } catch (err) {
                return next(err);
            }
        });
        // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa

    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa


    // WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
}

// WARNING: This file was auto-generated with tsoa. Please do not modify it. Re-run tsoa to re-generate this file: https://github.com/lukeautry/tsoa
