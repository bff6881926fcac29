import type { Config } from '../config';
import { AppError } from '../errors';
import { ORIGIN_REFUSED, originPolicy } from '../origin-policy';
import type { SealroomServer } from './socket-types';

/**
 * At the handshake, before any other check counts the connection: a browser page of another origin than this
 * server (BASE_URL) or CORS_ORIGINS is refused with the `connect_error` message ORIGIN_NOT_ALLOWED, so that
 * no foreign site can join rooms or fail proofs from its visitors' addresses. No Origin (Node, the CLI) passes.
 */
export function checkHandshakeOrigin(io: SealroomServer, config: Pick<Config, 'publicUrl' | 'corsOrigins'>): void {
  const allowed = originPolicy(config);
  io.use((socket, next) => {
    if (allowed(socket.handshake.headers.origin)) return next();
    const e = new AppError('ORIGIN_NOT_ALLOWED', ORIGIN_REFUSED);
    next(Object.assign(new Error(e.code), { data: { code: e.code, message: e.message } }));
  });
}
