/**
 * The SDK's identity store on this browser's localStorage (`sealroom:` + key): the identity key per room
 * (`sealroom:identity:<room_id>`), the keys remembered for members' names (`sealroom:trust:<room_id>:<name>`)
 * and the owner credentials of rooms created here (`sealroom:owner:<room_id>`). Where storage is blocked, it
 * falls back to memory (a new identity per page load).
 */
import { MemoryIdentityStore, type IdentityStore } from '@sealroom/sdk';

const PREFIX = 'sealroom:';

export function localStorageIdentityStore(): IdentityStore {
  const fallback = new MemoryIdentityStore();
  return {
    get(key) {
      try {
        return localStorage.getItem(PREFIX + key) ?? undefined;
      } catch {
        return fallback.get(key);
      }
    },
    set(key, value) {
      try {
        if (value === undefined) localStorage.removeItem(PREFIX + key);
        else localStorage.setItem(PREFIX + key, value);
      } catch {
        fallback.set(key, value);
      }
    },
  };
}
