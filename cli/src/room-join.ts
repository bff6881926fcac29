/** Joining a room from an invite link, asking for the password only when the room has one. */
import { SealroomError, type NodeFileSource, type Room, type SealroomClient } from '@sealroom/sdk/node';
import { CliError, EXIT } from './exit-codes.js';
import { PASSWORD_ENV, readPassword, type PasswordSource } from './password-input.js';

export async function joinRoom(
  client: SealroomClient,
  invite: string,
  name: string,
  source: PasswordSource & { password: boolean },
): Promise<Room<NodeFileSource>> {
  const ask = () => readPassword('Room password: ', source);
  const password = source.password ? await ask() : undefined;
  try {
    return await client.join(invite, { name, ...(password !== undefined ? { password } : {}) });
  } catch (error) {
    // The room turned out to have a password: ask for it once rather than making the user rerun, when it
    // can be had without guessing what stdin holds (a terminal, or the environment).
    const canAsk = process.stdin.isTTY || Boolean(process.env[PASSWORD_ENV]);
    if (password === undefined && canAsk && error instanceof SealroomError && error.code === 'PASSWORD_REQUIRED') {
      return await client.join(invite, { name, password: await ask() });
    }
    if (password === undefined && error instanceof SealroomError && error.code === 'PASSWORD_REQUIRED') {
      throw new CliError(`this room has a password: pass --password, or set ${PASSWORD_ENV}`, EXIT.ACCESS_DENIED);
    }
    throw error;
  }
}
