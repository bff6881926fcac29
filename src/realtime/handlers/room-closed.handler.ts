import type { RoomClosedReason } from '../../services/room-events';
import type { RealtimeContext } from '../realtime-context';

/**
 * When a room is deleted (REST) or expires (sweeper): tell its members with `room:closed`, then remove every
 * connection from it — on every node, through the adapter — and forget its realtime state.
 */
export function closeRoomsOnEvents(ctx: RealtimeContext): () => void {
  const onClosed = (roomId: string, reason: RoomClosedReason) => {
    ctx.io.to(roomId).emit('room:closed', { room_id: roomId, reason });
    ctx.io.in(roomId).socketsLeave(roomId);
    ctx.state.clear(roomId).catch((err: unknown) => ctx.log.warn({ err, roomId }, 'could not clear a closed room'));
  };
  ctx.services.events.on('closed', onClosed);
  return () => ctx.services.events.off('closed', onClosed);
}
