import type { Request } from 'express';
import proxyAddr from 'proxy-addr';
import { addressGroup } from '../address-group';
import { AppError } from '../errors';
import type { SealroomServer, SealroomSocket } from './socket-types';

type TrustFn = (addr: string, i: number) => boolean;

/**
 * At the handshake: works out the client's address group (IPv6 by /64) from its IP the way Express does
 * (TRUST_PROXY decides whether X-Forwarded-For is believed), and refuses a connection beyond SOCKET_MAX_PER_IP with the
 * `connect_error` message TOO_MANY_CONNECTIONS.
 */
export function limitConnections(io: SealroomServer, trust: TrustFn, maxPerIp: number): void {
  const open = new Map<string, number>();
  io.use((socket: SealroomSocket, next) => {
    const ip = addressGroup(proxyAddr(socket.request as unknown as Request, trust));
    const count = open.get(ip) ?? 0;
    if (count >= maxPerIp) {
      const e = new AppError('TOO_MANY_CONNECTIONS', `At most ${maxPerIp} connections per address`);
      return next(Object.assign(new Error(e.code), { data: { code: e.code, message: e.message } }));
    }
    open.set(ip, count + 1);
    socket.data.ip = ip;
    socket.data.memberships ??= {};
    socket.once('disconnect', () => {
      const left = (open.get(ip) ?? 1) - 1;
      if (left <= 0) open.delete(ip);
      else open.set(ip, left);
    });
    next();
  });
}
