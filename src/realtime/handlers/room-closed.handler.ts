import type { RoomClosedReason } from '../../services/room-events';
import { channelOf } from '../memberships';
import type { RealtimeContext } from '../realtime-context';

/**
 * When a room is deleted (REST) or expires (sweeper): tell its members with `room:closed`, then remove every
 * connection from it — on every node, through the adapter — and forget its realtime state.
 */
export function closeRoomsOnEvents(ctx: RealtimeContext): () => void {
  const onClosed = (roomId: string, reason: RoomClosedReason, incarnation: string) => {
    const channel = channelOf(roomId, incarnation);
    ctx.io.to(channel).emit('room:closed', { room_id: roomId, reason });
    ctx.io.in(channel).socketsLeave(channel);
    ctx.state.clear(roomId).catch((err: unknown) => ctx.log.warn({ err, roomId }, 'could not clear a closed room'));
  };
  ctx.services.events.on('closed', onClosed);
  return () => ctx.services.events.off('closed', onClosed);
}
