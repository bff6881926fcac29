import type { Config } from './config';

/**
 * Which web pages may make state-changing calls and open the chat channel: this server's own origin (from
 * BASE_URL) and the CORS_ORIGINS. A request without an Origin header (the SDK in Node, the CLI, curl) is not
 * a browser acting for a page, and is allowed: what it can do, it can do without a victim's browser.
 */
export function originPolicy(config: Pick<Config, 'publicUrl' | 'corsOrigins'>): (origin: string | undefined) => boolean {
  const allowed = new Set([new URL(config.publicUrl).origin, ...config.corsOrigins.map(normalize)]);
  return (origin) => origin === undefined || allowed.has(normalize(origin));
}

function normalize(origin: string): string {
  try {
    const url = new URL(origin);
    return url.origin === 'null' ? origin : url.origin;
  } catch {
    return origin; // "null" (a sandboxed page, a file://) and anything unparsable match only themselves
  }
}

export const ORIGIN_REFUSED = 'Requests from this web origin are not allowed; only this server and CORS_ORIGINS may call it';
