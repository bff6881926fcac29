/**
 * `sealroom delete`: deletes a room and its files for everyone, as its owner. The deletion is signed with the
 * owner credential that `sealroom create` kept in the config directory; without it the server would refuse, so the
 * command says so before asking.
 */
import { SealroomClient, isSealroomError, parseInviteLink } from '@sealroom/sdk/node';
import type { Command } from 'commander';
import { result } from '../cli-output.js';
import { CONFIG_DIR_ENV, ConfigIdentityStore, roomFile } from '../config-store.js';
import { CliError, EXIT } from '../exit-codes.js';

export function registerDelete(program: Command): void {
  program
    .command('delete')
    .description('delete a room you created, with all its files, for everyone (needs the owner credential kept by create)')
    .argument('<invite>', 'the room invite link')
    .action(async (invite: string) => {
      const { roomId } = parseInviteLink(invite);
      const store = new ConfigIdentityStore();
      const client = new SealroomClient({ identityStore: store });
      try {
        if ((await client.ownerCredential(roomId)) === undefined) {
          throw new CliError(
            `no owner credential for room ${roomId} in ${roomFile(roomId, store.dir)}: only the room's creator can delete it, from the config directory its \`sealroom create\` used (${CONFIG_DIR_ENV}); members can only leave`,
            EXIT.ACCESS_DENIED,
          );
        }
        await client.deleteRoom(invite);
        result(`deleted room ${roomId}`);
      } catch (error) {
        if (isSealroomError(error, 'OWNER_SIGNATURE_INVALID')) {
          throw new CliError(
            `the server refused the owner credential for room ${roomId}: it is not this room's owner key (OWNER_SIGNATURE_INVALID)`,
            EXIT.ACCESS_DENIED,
          );
        }
        throw error;
      } finally {
        await client.close();
      }
    });
}
