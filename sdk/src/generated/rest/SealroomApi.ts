// DO NOT EDIT. Generated from spec/openapi.json by openapi-typescript-codegen 0.31.0 (npm run generate:sdk).
/* istanbul ignore file */
/* tslint:disable */
/* eslint-disable */
import type { BaseHttpRequest } from './core/BaseHttpRequest.js';
import type { OpenAPIConfig } from './core/OpenAPI.js';
import { FetchHttpRequest } from './core/FetchHttpRequest.js';
import { FilesService } from './services/FilesService.js';
import { RoomsService } from './services/RoomsService.js';
import { ServerService } from './services/ServerService.js';
type HttpRequestConstructor = new (config: OpenAPIConfig) => BaseHttpRequest;
export class SealroomApi {
  public readonly files: FilesService;
  public readonly rooms: RoomsService;
  public readonly server: ServerService;
  public readonly request: BaseHttpRequest;
  constructor(config?: Partial<OpenAPIConfig>, HttpRequest: HttpRequestConstructor = FetchHttpRequest) {
    this.request = new HttpRequest({
      BASE: config?.BASE ?? '',
      VERSION: config?.VERSION ?? '0.3.0',
      WITH_CREDENTIALS: config?.WITH_CREDENTIALS ?? false,
      CREDENTIALS: config?.CREDENTIALS ?? 'include',
      TOKEN: config?.TOKEN,
      USERNAME: config?.USERNAME,
      PASSWORD: config?.PASSWORD,
      HEADERS: config?.HEADERS,
      ENCODE_PATH: config?.ENCODE_PATH,
    });
    this.files = new FilesService(this.request);
    this.rooms = new RoomsService(this.request);
    this.server = new ServerService(this.request);
  }
}

