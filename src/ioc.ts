import type { Request } from 'express';
import type { IocContainer, IocContainerFactory, ServiceIdentifier } from '@tsoa/runtime';
import type { Services } from './services/services';

type ControllerClass<T> = new (services: Services) => T;

/**
 * tsoa asks this for a controller on every request. Controllers hold per-request state (status, headers),
 * so each request gets a fresh one, built over the services of the app that received the request: tests can
 * run several apps in one process.
 */
export const iocContainer: IocContainerFactory<Request> = (request) => {
  const services = request.app.locals.services as Services;
  const get = <T>(controller: ServiceIdentifier<T>): T => new (controller as ControllerClass<T>)(services);
  return { get } as IocContainer;
};
