import { AppError } from '../errors';
import type { Membership, SealroomSocket } from './socket-types';

/**
 * The rooms a connection is in, with the member id it joined each with. Socket.IO's own room list is the
 * truth (a deleted room removes everyone with `socketsLeave`, on every node); entries it no longer has are
 * dropped here.
 */
export function liveMemberships(socket: SealroomSocket): Array<[string, Membership]> {
  const all = socket.data.memberships;
  for (const roomId of Object.keys(all)) if (!socket.rooms.has(roomId)) delete all[roomId];
  return Object.entries(all);
}

/** The membership a socket needs before it may use a room; NOT_IN_ROOM otherwise. */
export function requireMembership(socket: SealroomSocket, roomId: string): Membership {
  const membership = socket.data.memberships[roomId];
  if (!membership || !socket.rooms.has(roomId)) throw new AppError('NOT_IN_ROOM', 'Join the room before using it');
  return membership;
}
