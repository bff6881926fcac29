/** The page's one SDK client, for the server this page came from. */
import { SealroomClient, type ConfigResponse } from '@sealroom/sdk';
import { appBaseUrl } from './app-location';
import { BrowserIdentityStore } from './browser-identity-store';

let client: SealroomClient | undefined;

export function sealroomClient(): SealroomClient {
  // Resumable uploads: a file sent again after a reload or a network cut goes on from where the server stopped
  // (resume state, with the file key, in this origin's localStorage until the upload completes).
  client ??= new SealroomClient({ baseUrl: appBaseUrl(), identityStore: new BrowserIdentityStore(), resumableUploads: true });
  return client;
}

/** Passwords typed when creating a room, so the creator is not asked for them again (kept in memory only). */
const createdPasswords = new Map<string, string>();

export function handOverPassword(roomId: string, password: string): void {
  createdPasswords.set(roomId, password);
}

export function takeHandedPassword(roomId: string): string | undefined {
  const password = createdPasswords.get(roomId);
  createdPasswords.delete(roomId);
  return password;
}

export type ServerLimits = Pick<ConfigResponse, 'max_upload_bytes' | 'file_age_ms' | 'room_idle_ms'>;
