/** Resume state of interrupted uploads in a JSON file (Node entry only): the CLI keeps it in its config folder. */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import type { RangeBody, ResumeRecord, ResumeStore } from '../files/resumable-upload.js';
import type { ReadableStream as NodeWebStream } from 'node:stream/web';

/**
 * A {@link ResumeStore} in one JSON file (mode 0600: the records hold file keys). Writes go through a temporary
 * file and a rename, so a crash leaves the old or the new state, never half of one.
 */
export class FileResumeStore implements ResumeStore {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly path: string) {}

  async get(key: string): Promise<ResumeRecord | undefined> {
    return (await this.read())[key];
  }

  set(key: string, record: ResumeRecord): Promise<void> {
    return this.update((all) => ({ ...all, [key]: record }));
  }

  remove(key: string): Promise<void> {
    return this.update((all) => {
      const { [key]: _gone, ...rest } = all;
      return rest;
    });
  }

  private async read(): Promise<Record<string, ResumeRecord>> {
    try {
      return JSON.parse(await readFile(this.path, 'utf8')) as Record<string, ResumeRecord>;
    } catch {
      return {}; // none yet, or unreadable: nothing to resume
    }
  }

  /** One write at a time, each on the latest state. */
  private update(change: (all: Record<string, ResumeRecord>) => Record<string, ResumeRecord>): Promise<void> {
    const next = this.queue.then(async () => {
      const updated = change(await this.read());
      await mkdir(dirname(this.path), { recursive: true });
      const temp = `${this.path}.${process.pid}.tmp`;
      await writeFile(temp, JSON.stringify(updated, null, 2), { mode: 0o600 });
      await rename(temp, this.path);
    });
    this.queue = next.catch(() => undefined);
    return next;
  }
}

/** Node's resumable request bodies: the ciphertext range as a Readable that tus-js-client's node:http stack pipes. */
export const readableRangeBody: RangeBody = async (range, length) => {
  const body = Readable.fromWeb(range as NodeWebStream<Uint8Array>);
  return Object.assign(body, { size: length });
};
