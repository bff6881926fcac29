import type { Request } from 'express';

/**
 * The key that per-client limits count against: the client's IP as Express sees it (TRUST_PROXY decides
 * whether X-Forwarded-For is believed).
 */
export const clientKey = (req: Request): string => req.ip ?? req.socket.remoteAddress ?? 'unknown';
