/**
 * An identity store in a JSON file, for the CLI and other Node programs. Several processes may share the file:
 * every operation re-reads it, changes are made under a lock file (created exclusively, removed after; a lock
 * older than 10 s is taken as left behind by a crashed process) and written to a temporary file that is then
 * renamed over the old one, so a reader never sees half a file and no writer loses another's key.
 * The file holds secrets: it is created with mode 0600.
 */
import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { IdentityStore } from '../identity-store.js';

const LOCK_STALE_MS = 10_000;
const LOCK_RETRY_MS = 20;

export class FileIdentityStore implements IdentityStore {
  constructor(
    /** The JSON file; created on the first write (with its folder). */
    readonly path: string,
  ) {}

  async get(key: string): Promise<string | undefined> {
    const values = await this.read();
    return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : undefined;
  }

  async set(key: string, value: string | undefined): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    await this.locked(async () => {
      const values = await this.read();
      if (value === undefined) delete values[key];
      else values[key] = value;
      const temporary = `${this.path}.${randomBytes(6).toString('hex')}.tmp`;
      try {
        await writeFile(temporary, `${JSON.stringify(values, null, 2)}\n`, { mode: 0o600 });
        await rename(temporary, this.path);
      } catch (error) {
        await rm(temporary, { force: true });
        throw error;
      }
    });
  }

  private async read(): Promise<Record<string, string>> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw error;
    }
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`${this.path} is not a JSON object`);
    const values: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const [k, v] of Object.entries(parsed)) if (typeof v === 'string') values[k] = v;
    return values;
  }

  private async locked<T>(task: () => Promise<T>): Promise<T> {
    const lock = `${this.path}.lock`;
    for (;;) {
      try {
        const handle = await open(lock, 'wx', 0o600);
        await handle.close();
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        try {
          if (Date.now() - (await stat(lock)).mtimeMs > LOCK_STALE_MS) await rm(lock, { force: true });
        } catch {
          // removed meanwhile
        }
        await new Promise((resolve) => setTimeout(resolve, LOCK_RETRY_MS + Math.random() * LOCK_RETRY_MS));
      }
    }
    try {
      return await task();
    } finally {
      await rm(lock, { force: true });
    }
  }
}
