/**
 * `sealroom create`: makes a room and prints its invite link (the only thing on stdout). The room's owner credential
 * stays in the config directory (`sealroom delete` needs it); it is not part of the link.
 */
import { SealroomClient } from '@sealroom/sdk/node';
import type { Command } from 'commander';
import { defaultServer, info, result } from '../cli-output.js';
import { ConfigIdentityStore, roomFile } from '../config-store.js';
import { readPassword } from '../password-input.js';

interface CreateFlags {
  password?: boolean;
  passwordOnly?: boolean;
  id?: string;
  server?: string;
}

export function registerCreate(program: Command): void {
  program
    .command('create')
    .description('create a room and print its invite link')
    .option(
      '-p, --password',
      'protect the room with a password (asked on the terminal, or read from SEALROOM_PASSWORD / the first line of stdin)',
    )
    .option('--password-only', 'with --password: no secret in the link; the room id and the password are all a member needs (weaker)')
    .option('--id <room_id>', 'a custom room id (6-36 characters of A-Z a-z 0-9 _ -)')
    // No commander default: it would print the resolved URL beside this description's own.
    .option('-s, --server <url>', `the server (default: SEALROOM_SERVER, else http://localhost:PORT; now ${defaultServer()})`)
    .action(async (flags: CreateFlags) => {
      const password = flags.password || flags.passwordOnly ? await readPassword('Room password: ', { stdinAllowed: true }) : undefined;
      const store = new ConfigIdentityStore();
      const client = new SealroomClient({ baseUrl: flags.server ?? defaultServer(), identityStore: store });
      try {
        const created = await client.createRoom({
          ...(password !== undefined ? { password } : {}),
          ...(flags.passwordOnly ? { passwordOnly: true } : {}),
          ...(flags.id !== undefined ? { roomId: flags.id } : {}),
        });
        result(created.link);
        // Said on a terminal only: scripts get the link alone.
        if (process.stderr.isTTY)
          info(`owner credential kept in ${roomFile(created.roomId, store.dir)} (only it can delete the room: sealroom delete <link>)`);
      } finally {
        await client.close();
      }
    });
}
