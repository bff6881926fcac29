import { AppError } from '../errors';
import type { Membership, SealroomSocket } from './socket-types';

/**
 * The Socket.IO room that carries a Sealroom room's events: its id and its incarnation, so that a connection
 * recovered into a room that was deleted and created again under the same id hears nothing of the new one.
 */
export const channelOf = (roomId: string, incarnation: string): string => `${roomId}:${incarnation}`;

/**
 * The rooms a connection is in, with the member id it joined each with. Socket.IO's own room list is the
 * truth (a deleted room removes everyone with `socketsLeave`, on every node); entries it no longer has are
 * dropped here.
 */
export function liveMemberships(socket: SealroomSocket): Array<[string, Membership]> {
  const all = socket.data.memberships;
  for (const [roomId, m] of Object.entries(all)) if (!socket.rooms.has(m.channel)) delete all[roomId];
  return Object.entries(all);
}

/** The membership a socket needs before it may use a room; NOT_IN_ROOM otherwise. */
export function requireMembership(socket: SealroomSocket, roomId: string): Membership {
  const membership = socket.data.memberships[roomId];
  if (!membership || !socket.rooms.has(membership.channel)) throw new AppError('NOT_IN_ROOM', 'Join the room before using it');
  return membership;
}
