import type { Request } from 'express';
import { addressGroup } from '../address-group';

/**
 * The key that per-client limits count against: the client's address group (see addressGroup: IPv6 by /64)
 * of the IP as Express sees it (TRUST_PROXY decides whether X-Forwarded-For is believed).
 */
export const clientKey = (req: Request): string => addressGroup(req.ip ?? req.socket.remoteAddress);
