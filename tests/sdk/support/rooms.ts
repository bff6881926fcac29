import type { Room, SealroomClient } from '../../../sdk/src/index.js';
import type { TestServer } from '../../support/server';
import { nextEvent } from './room-events';

/**
 * A new room with two members: Alice (on the client that created it) and Bob (on a client of his own), returned
 * once Alice has seen Bob join. `client` makes a client for the server under test.
 */
export async function roomOfTwo(client: () => SealroomClient): Promise<{ invite: string; alice: Room<unknown>; bob: Room<unknown> }> {
  const owner = client();
  const invite = (await owner.createRoom()).link;
  const alice = await owner.join(invite, { name: 'Alice' });
  const bobJoined = nextEvent(alice, 'member', (e) => e.type === 'joined');
  const bob = await client().join(invite, { name: 'Bob' });
  await bobJoined;
  return { invite, alice, bob };
}

/** The server's socket of a member of a room (to cut its connection, or to watch or answer its events). */
export function serverSocketOf(server: TestServer, room: Room<unknown>) {
  for (const socket of server.sealroom.io.sockets.sockets.values()) {
    if (socket.data.memberships?.[room.id]?.memberId === room.memberId) return socket;
  }
  throw new Error(`no server socket for ${room.memberId}`);
}
