import fs from 'node:fs';
import path from 'node:path';
import type { TestServer } from './server';

/** What the blob folder holds right now, split into blobs and temporary files. */
export function blobFolder(server: TestServer): { blobs: string[]; temps: string[] } {
  const names = fs.readdirSync(path.join(server.dataDir, 'files'));
  return { blobs: names.filter((n) => !n.endsWith('.part')), temps: names.filter((n) => n.endsWith('.part')) };
}

/** What the server's blob store holds right now (either store), by id. */
export async function storedBlobs(server: TestServer): Promise<{ blobs: string[]; temps: string[] }> {
  const { blobs, temps } = await server.sealroom.blobs.list();
  return { blobs: blobs.sort(), temps: temps.sort() };
}

/** Every file row, straight from the database. */
export async function fileRows(server: TestServer): Promise<Array<{ id: string; status: string; size: number }>> {
  const rows: Array<{ id: string; status: string; size: string | number }> = await server.sealroom.db.query(
    'SELECT id, status, size FROM stored_files ORDER BY id',
  );
  return rows.map((r) => ({ id: r.id, status: r.status, size: Number(r.size) }));
}

/** Polls `check` until it returns true (for effects that follow a closed connection). */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
