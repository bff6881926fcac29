/**
 * Where a client keeps what must outlive a join: its identity key per room (so that others recognise it across
 * joins), the keys it has seen for each display name (trust on first use), which of them were verified, and the
 * owner credentials of the rooms it created. Keys of the store:
 *
 *   identity:<room_id>          this client's identity key seed in the room (secret)
 *   owner:<room_id>             the room's owner credential, for rooms this client created (secret)
 *   trust:<room_id>:<name>      JSON {identity_key, verified} remembered for a display name
 *
 * A store holds secrets: keep it where only its user can read it. The default is {@link MemoryIdentityStore}
 * (forgotten when the process ends); the Node entry has `FileIdentityStore`; a browser can map the keys onto
 * localStorage (`sealroom:` + key).
 */

/** A small string key-value store. `set(key, undefined)` removes a key. Each call must be atomic on its own. */
export interface IdentityStore {
  get(key: string): Promise<string | undefined> | string | undefined;
  set(key: string, value: string | undefined): Promise<void> | void;
}

/** What is remembered for a display name in a room. */
export interface TrustRecord {
  /** The identity key last seen for the name. */
  identity_key: string;
  /** True once the user compared safety codes with this key's holder. */
  verified: boolean;
}

/** An identity store in memory: lost with the process (a fresh identity per run). */
export class MemoryIdentityStore implements IdentityStore {
  private readonly values = new Map<string, string>();

  get(key: string): string | undefined {
    return this.values.get(key);
  }

  set(key: string, value: string | undefined): void {
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, value);
  }
}

export const storeKeys = {
  identity: (roomId: string) => `identity:${roomId}`,
  owner: (roomId: string) => `owner:${roomId}`,
  trust: (roomId: string, name: string) => `trust:${roomId}:${name}`,
};

/** Reads a trust record; a malformed one counts as none. */
export async function readTrust(store: IdentityStore, roomId: string, name: string): Promise<TrustRecord | undefined> {
  const text = await store.get(storeKeys.trust(roomId, name));
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as Partial<TrustRecord>;
    if (typeof value.identity_key !== 'string') return undefined;
    return { identity_key: value.identity_key, verified: value.verified === true };
  } catch {
    return undefined;
  }
}

export async function writeTrust(store: IdentityStore, roomId: string, name: string, record: TrustRecord): Promise<void> {
  await store.set(storeKeys.trust(roomId, name), JSON.stringify(record));
}
