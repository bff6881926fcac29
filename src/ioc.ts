import type { Request } from 'express';
import type { IocContainer, IocContainerFactory, ServiceIdentifier } from '@tsoa/runtime';
import { FileController } from './controllers/file.controller';
import { UploadController } from './controllers/upload.controller';
import type { ResumableUploads } from './http/upload/resumable-upload.handler';
import { RoomController } from './controllers/room.controller';
import { SystemController } from './controllers/system.controller';
import type { Services } from './services/services';

/** Each controller with the services it uses, and nothing more. */
const controllers = new Map<ServiceIdentifier<unknown>, (services: Services, request: Request) => unknown>([
  [RoomController, (s) => new RoomController(s.rooms)],
  [FileController, (s) => new FileController(s.files, s.config)],
  [SystemController, (s) => new SystemController(s.health, s.config)],
  // The tus server is an HTTP handler, not a service: it lives with the app that built it.
  [UploadController, (_s, req) => new UploadController(req.app.locals.resumableUploads as ResumableUploads)],
]);

/**
 * tsoa asks this for a controller on every request. Controllers hold per-request state (status, headers),
 * so each request gets a fresh one, built over the services of the app that received the request: tests can
 * run several apps in one process.
 */
export const iocContainer: IocContainerFactory<Request> = (request) => {
  const services = request.app.locals.services as Services;
  const get = <T>(controller: ServiceIdentifier<T>): T => {
    const make = controllers.get(controller);
    if (!make) throw new Error(`no factory for the controller ${String(controller)} in src/ioc.ts`);
    return make(services, request) as T;
  };
  return { get } as IocContainer;
};
