import { requireMembership } from '../memberships';
import type { RealtimeContext } from '../realtime-context';
import type { SealroomSocket } from '../socket-types';

/** At most one `member:typing` per member and room in this window (asyncapi.yaml, operation `typing`). */
export const TYPING_INTERVAL_MS = 2_000;

/**
 * `room:typing`: relays `member:typing` to the other members, volatile (no backlog, no recovery replay, dropped
 * for a slow connection rather than queued). Within TYPING_INTERVAL_MS of the last relay for this member the
 * event is acknowledged and dropped silently. It carries no content and does not count against the send limits.
 */
export function announceTyping(ctx: RealtimeContext, socket: SealroomSocket, roomId: string, lastRelay: Map<string, number>): { ok: true } {
  const { memberId, channel } = requireMembership(socket, roomId);
  const now = ctx.services.clock.now();
  const last = lastRelay.get(roomId);
  if (last !== undefined && now - last < TYPING_INTERVAL_MS && now >= last) return { ok: true };
  lastRelay.set(roomId, now);
  socket.to(channel).volatile.emit('member:typing', { room_id: roomId, member_id: memberId });
  return { ok: true };
}
