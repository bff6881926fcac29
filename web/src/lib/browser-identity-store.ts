/**
 * The SDK's identity store on this browser's localStorage, so that trust on first use and verified marks survive a
 * reload and the creator of a room keeps its owner credential:
 *
 *   sealroom:identity:<room_id>   this browser's identity key seed in the room (secret)
 *   sealroom:owner:<room_id>      the owner credential of a room created here (secret)
 *   sealroom:trust:<room_id>      JSON {<display name>: {identity_key, verified}}: the keys remembered per name
 *
 * Nothing here is sent anywhere. When storage is blocked (private mode, policies) the store falls back to memory:
 * the room still works, only without memory across reloads.
 */
import type { IdentityStore } from '@sealroom/sdk';

const PREFIX = 'sealroom:';
const TRUST = /^trust:([A-Za-z0-9_-]{6,36}):([\s\S]*)$/;

export class BrowserIdentityStore implements IdentityStore {
  private readonly fallback = new Map<string, string>();

  get(key: string): string | undefined {
    const trust = TRUST.exec(key);
    if (trust) {
      const value = this.trustRecords(trust[1])[trust[2]];
      return typeof value === 'string' ? value : undefined;
    }
    return this.read(PREFIX + key) ?? undefined;
  }

  set(key: string, value: string | undefined): void {
    const trust = TRUST.exec(key);
    if (trust) {
      const records = this.trustRecords(trust[1]);
      if (value === undefined) delete records[trust[2]];
      else records[trust[2]] = value;
      this.write(`${PREFIX}trust:${trust[1]}`, Object.keys(records).length > 0 ? JSON.stringify(records) : undefined);
      return;
    }
    this.write(PREFIX + key, value);
  }

  /** The remembered names of a room, each with its record as JSON text (the SDK's format). */
  private trustRecords(roomId: string): Record<string, string> {
    const text = this.read(`${PREFIX}trust:${roomId}`);
    const records: Record<string, string> = Object.create(null) as Record<string, string>;
    if (text === null) return records;
    try {
      const parsed = JSON.parse(text) as unknown;
      if (typeof parsed === 'object' && parsed !== null) {
        for (const [name, record] of Object.entries(parsed)) records[name] = typeof record === 'string' ? record : JSON.stringify(record);
      }
    } catch {
      // unreadable: start afresh
    }
    return records;
  }

  private read(key: string): string | null {
    try {
      return localStorage.getItem(key);
    } catch {
      return this.fallback.get(key) ?? null;
    }
  }

  private write(key: string, value: string | undefined): void {
    try {
      if (value === undefined) localStorage.removeItem(key);
      else localStorage.setItem(key, value);
    } catch {
      if (value === undefined) this.fallback.delete(key);
      else this.fallback.set(key, value);
    }
  }
}
