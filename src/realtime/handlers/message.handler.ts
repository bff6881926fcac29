import type { MessageNewPayload, MessageSendPayload, SendAck } from '@sealroom/contracts';
import { requireMembership } from '../memberships';
import type { RealtimeContext } from '../realtime-context';
import { backlogLimits } from '../state/backlog-limits';
import type { SealroomSocket } from '../socket-types';

/** Rate limits shared by messages and file announcements: per connection, and per IP over all connections. */
export async function consumeSend(ctx: RealtimeContext, socket: SealroomSocket): Promise<void> {
  await ctx.services.limits.consume('socketSend', socket.id);
  await ctx.services.limits.consume('socketIpSend', socket.data.ip);
}

/**
 * `message:send`: numbers the message, relays it to the other members as `message:new`, and acknowledges
 * with the sequence number and server time. A repeated id is acknowledged with its original record and
 * not relayed again, unless its first relay is not known to have happened (the node that numbered it died
 * first, see RoomStateStore.markRelayed). The sender's member id comes from its join, never from the payload.
 */
export async function sendMessage(ctx: RealtimeContext, socket: SealroomSocket, payload: MessageSendPayload): Promise<SendAck> {
  const { memberId, channel } = requireMembership(socket, payload.room_id);
  await consumeSend(ctx, socket);
  const delivery = await ctx.state.claim(payload.room_id, payload.id, ctx.services.clock.now());
  if (!delivery.duplicate || !delivery.relayed) {
    const message: MessageNewPayload = {
      room_id: payload.room_id,
      id: payload.id,
      member_id: memberId,
      seq: delivery.seq,
      sent_at: delivery.sentAt,
      iv: payload.iv,
      ct: payload.ct,
    };
    socket.to(channel).emit('message:new', message);
    const { config, rooms } = ctx.services;
    if (config.messageBacklog > 0)
      await ctx.state.appendBacklog(payload.room_id, { event: 'message:new', data: message }, backlogLimits(config));
    await ctx.state.markRelayed(payload.room_id, payload.id);
    // Activity is written at most once a minute per room; the message does not wait for it.
    rooms.markActive(payload.room_id).catch((err: unknown) => ctx.log.warn({ err }, 'could not record room activity'));
  }
  return { ok: true, id: payload.id, seq: delivery.seq, sent_at: delivery.sentAt, duplicate: delivery.duplicate };
}
