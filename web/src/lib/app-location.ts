/**
 * Where the app is: which page the address names, and the server's base URL. The same build is served at
 * `<prefix>/`, `<prefix>/r/<room_id>` and `<prefix>/f/<file_id>`, where `<prefix>` is empty unless a proxy
 * serves Sealroom under a path; the API and Socket.IO live under the same prefix.
 */
export type Route = { page: 'home' } | { page: 'room'; roomId: string } | { page: 'file'; fileId: string } | { page: 'unknown' };

const PAGE_PATH = /^(.*)\/([rf])\/([^/]*)$/;

/** The path prefix Sealroom is served under, without a trailing slash ('' at the root). */
export function basePath(pathname = location.pathname): string {
  const match = PAGE_PATH.exec(pathname);
  if (match) return match[1];
  return pathname.replace(/\/+$/, '');
}

/** The server's base URL, e.g. `https://chat.example` or `https://example.org/sealroom`. */
export function appBaseUrl(): string {
  return location.origin + basePath();
}

/** The server answered this address with "not found" (it marks the page so: src/http/web-client.ts). */
export function servedAsNotFound(): boolean {
  return document.querySelector('meta[name="sealroom-page"][content="not-found"]') !== null;
}

export function currentRoute(pathname = location.pathname): Route {
  if (servedAsNotFound()) return { page: 'unknown' };
  const match = PAGE_PATH.exec(pathname);
  if (match) {
    const id = decodeURIComponent(match[3]);
    return match[2] === 'r' ? { page: 'room', roomId: id } : { page: 'file', fileId: id };
  }
  // The home page: the prefix itself, with or without a trailing slash.
  return /\/[rf]\//.test(pathname) ? { page: 'unknown' } : { page: 'home' };
}

/** A path of this app (for history.pushState), e.g. `roomPath('abc123', 'secret')` = `/r/abc123#secret`. */
export function roomPath(roomId: string, fragment: string | null): string {
  return `${basePath()}/r/${encodeURIComponent(roomId)}${fragment === null ? '' : `#${fragment}`}`;
}

export function homePath(): string {
  return `${basePath()}/`;
}

/** While in a room: the question to ask before an in-app link leaves it (set by the room page). */
let guard: string | null = null;

export function setLeaveGuard(question: string | null): void {
  guard = question;
}

export function leaveGuard(): string | null {
  return guard;
}
