/**
 * The CLI's identity store: one JSON file (mode 0600) in its config directory, `$SEALROOM_CONFIG_DIR`, else
 * `$XDG_CONFIG_HOME/sealroom`, else `~/.config/sealroom`. It keeps the CLI's identity key per room (so others
 * recognise it across joins), the keys remembered for other members' names, and the owner credentials of the
 * rooms it created. Several sealroom processes may use it at once.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { FileIdentityStore } from '@sealroom/sdk/node';

export function configDir(): string {
  return process.env.SEALROOM_CONFIG_DIR || join(process.env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'sealroom');
}

export function cliIdentityStore(): FileIdentityStore {
  return new FileIdentityStore(join(configDir(), 'keys.json'));
}
