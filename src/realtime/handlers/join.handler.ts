import type { RoomJoinAck, RoomJoinPayload } from '@sealroom/contracts';
import { AppError } from '../../errors';
import { channelOf, liveMemberships } from '../memberships';
import type { RealtimeContext } from '../realtime-context';
import type { SealroomSocket } from '../socket-types';

/**
 * `room:join`: checks limits and the room proof, takes the member id in the room's presence, joins the
 * Socket.IO room, tells the others, and answers with the members present and the backlog (if one is kept).
 */
export async function joinRoom(ctx: RealtimeContext, socket: SealroomSocket, payload: RoomJoinPayload): Promise<RoomJoinAck> {
  const { config, limits, rooms } = ctx.services;
  const { room_id: roomId, member_id: memberId, proof, profile } = payload;
  const memberships = liveMemberships(socket);
  if (memberships.some(([id]) => id === roomId)) throw new AppError('ALREADY_IN_ROOM', 'This connection is already in the room');
  if (memberships.length >= config.realtime.maxRoomsPerConnection) {
    throw new AppError('TOO_MANY_ROOMS', `A connection may be in at most ${config.realtime.maxRoomsPerConnection} rooms`);
  }
  await limits.consume('socketJoin', socket.id);
  await limits.consume('socketIpJoin', socket.data.ip);
  // A join answers whether the room exists (ROOM_NOT_FOUND or not): it counts as a look-up, as room_exists does.
  await limits.consume('lookup', socket.data.ip);
  const room = await rooms.authorize(roomId, 'join', proof, socket.data.ip);

  const owner = { socketId: socket.id, nodeId: ctx.nodeId };
  const added = await ctx.state.addMember(roomId, { member_id: memberId, profile }, config.realtime.maxMembersPerRoom, owner);
  if (added === 'taken') throw new AppError('MEMBER_ID_TAKEN', 'Another connection is in the room with this member id; pick a fresh one');
  if (added === 'full') throw new AppError('ROOM_FULL', `The room has ${config.realtime.maxMembersPerRoom} members already`);

  const channel = channelOf(roomId, room.incarnation);
  socket.data.memberships[roomId] = { memberId, incarnation: room.incarnation, channel, profile };
  await socket.join(channel);
  if (added === 'added') socket.to(channel).emit('member:joined', { room_id: roomId, member_id: memberId, profile });
  const [members, backlog] = await Promise.all([
    ctx.state.members(roomId),
    config.messageBacklog > 0 ? ctx.state.backlog(roomId) : Promise.resolve([]),
  ]);
  await rooms.markActive(roomId);
  return { ok: true, room_id: roomId, member_id: memberId, members: members.filter((m) => m.member_id !== memberId), backlog };
}
