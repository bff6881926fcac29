import type { MemberLeftPayload } from '@sealroom/contracts';
import { channelOf, liveMemberships, requireMembership } from '../memberships';
import type { RealtimeContext } from '../realtime-context';
import type { SealroomSocket } from '../socket-types';

/** `room:leave`: the member leaves for good; the others hear `member:left` with reason `left`. */
export async function leaveRoom(ctx: RealtimeContext, socket: SealroomSocket, roomId: string): Promise<{ ok: true }> {
  const { memberId, channel } = requireMembership(socket, roomId);
  delete socket.data.memberships[roomId];
  await socket.leave(channel);
  await announceDeparture(ctx, socket, roomId, channel, memberId, 'left');
  return { ok: true };
}

/**
 * A dropped connection leaves presence at once (`member:left`, reason `disconnected`), so member lists stay
 * exact. Its memberships stay in `socket.data`: if Socket.IO recovers the session, `rejoinAfterRecovery`
 * puts it back. (Socket.IO has already removed the socket from its rooms when this runs.)
 */
export async function dropPresence(ctx: RealtimeContext, socket: SealroomSocket): Promise<void> {
  await Promise.all(
    Object.entries(socket.data.memberships).map(([roomId, { memberId, channel }]) =>
      announceDeparture(ctx, socket, roomId, channel, memberId, 'disconnected'),
    ),
  );
}

/**
 * A recovered connection is back in its rooms (Socket.IO restored them) with the events it missed; make it
 * present again and tell the others. A room that disappeared meanwhile, or whose member id was taken, is
 * left instead (the replayed `room:closed` tells the client about a closed room). A room with the same id that
 * is not the one joined (deleted and created again meanwhile: another incarnation) is left too, and the
 * connection is told `room:closed` (`deleted`) itself, since the replay may not have carried it.
 */
export async function rejoinAfterRecovery(ctx: RealtimeContext, socket: SealroomSocket): Promise<void> {
  const maxMembers = ctx.services.config.realtime.maxMembersPerRoom;
  // A session persisted by a version without `channel` (a rolling upgrade of a cluster) gets it here, before
  // any of its events is handled.
  for (const [roomId, m] of Object.entries(socket.data.memberships)) m.channel ??= channelOf(roomId, m.incarnation);
  for (const [roomId, { memberId, incarnation, channel, profile }] of liveMemberships(socket)) {
    // Only the very room joined: one re-created under the same id (another incarnation) counts as gone.
    const room = await ctx.services.rooms.requireLive(roomId).catch(() => null);
    const live = room !== null && room.incarnation === incarnation;
    const owner = { socketId: socket.id, nodeId: ctx.nodeId };
    const added = live ? await ctx.state.addMember(roomId, { member_id: memberId, profile }, maxMembers, owner) : 'gone';
    if (added === 'added') {
      socket.to(channel).emit('member:joined', { room_id: roomId, member_id: memberId, profile });
    } else if (added !== 'kept') {
      delete socket.data.memberships[roomId];
      await socket.leave(channel);
    }
  }
}

/**
 * Tells the room a member has gone. The departing connection is excluded by id: a connection that recovers
 * would otherwise be replayed the news of its own departure.
 */
async function announceDeparture(
  ctx: RealtimeContext,
  socket: SealroomSocket,
  roomId: string,
  channel: string,
  memberId: string,
  reason: MemberLeftPayload['reason'],
): Promise<void> {
  if (await ctx.state.removeMember(roomId, memberId, { socketId: socket.id, nodeId: ctx.nodeId })) {
    ctx.io.to(channel).except(socket.id).emit('member:left', { room_id: roomId, member_id: memberId, reason });
  }
}
