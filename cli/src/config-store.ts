/**
 * The CLI's memory of rooms, in its config directory: `SEALROOM_CONFIG_DIR`, else `$XDG_CONFIG_HOME/sealroom`,
 * else `~/.config/sealroom` (on Windows `%APPDATA%\sealroom`). One JSON file per room, `rooms/<room_id>.json`
 * (mode 0600, folder 0700), holding what the SDK's identity store keeps for that room:
 *
 *   identity:<room_id>        this user's identity key in the room (so the others recognise them across runs)
 *   owner:<room_id>           the owner credential, for rooms created here (`sealroom delete` needs it)
 *   trust:<room_id>:<name>    the identity key remembered for each display name, and whether it was verified
 *
 * Every file holds secrets: keep the folder private.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { FileIdentityStore, type IdentityStore } from '@sealroom/sdk/node';

export const CONFIG_DIR_ENV = 'SEALROOM_CONFIG_DIR';

export function configDir(): string {
  const own = process.env[CONFIG_DIR_ENV];
  if (own) return own;
  if (process.env.XDG_CONFIG_HOME) return join(process.env.XDG_CONFIG_HOME, 'sealroom');
  if (process.platform === 'win32' && process.env.APPDATA) return join(process.env.APPDATA, 'sealroom');
  return join(homedir(), '.config', 'sealroom');
}

/** The file that keeps a room's keys. */
export function roomFile(roomId: string, dir = configDir()): string {
  return join(dir, 'rooms', `${roomId}.json`);
}

/** Where `send` keeps the state of interrupted uploads (their URLs and file keys), to resume them. */
export function resumeFile(dir = configDir()): string {
  return join(dir, 'resume.json');
}

const ROOM_KEY = /^[a-z]+:([A-Za-z0-9_-]{6,36})(?::|$)/;

/** The SDK's identity store, one file per room in the config directory. */
export class ConfigIdentityStore implements IdentityStore {
  private readonly files = new Map<string, FileIdentityStore>();

  constructor(readonly dir = configDir()) {}

  private fileFor(key: string): FileIdentityStore {
    const roomId = ROOM_KEY.exec(key)?.[1];
    if (roomId === undefined) throw new Error(`unexpected identity store key ${JSON.stringify(key)}`);
    let file = this.files.get(roomId);
    if (!file) {
      file = new FileIdentityStore(roomFile(roomId, this.dir));
      this.files.set(roomId, file);
    }
    return file;
  }

  get(key: string): Promise<string | undefined> {
    return this.fileFor(key).get(key);
  }

  set(key: string, value: string | undefined): Promise<void> {
    return this.fileFor(key).set(key, value);
  }
}
