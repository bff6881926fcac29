import type { FileNewPayload, FileSharePayload, SendAck } from '@sealroom/contracts';
import { AppError } from '../../errors';
import { consumeSend } from './message.handler';
import { requireMembership } from '../memberships';
import type { RealtimeContext } from '../realtime-context';
import { backlogLimits } from '../state/backlog-limits';
import type { SealroomSocket } from '../socket-types';

/**
 * `file:share`: announces an uploaded file to the room as `file:new`, with the server's record of its size
 * and expiry. Only a live file of this very room is accepted; announcing it again is a duplicate (relayed
 * again only if its first announcement may not have gone out, as for messages).
 */
export async function shareFile(ctx: RealtimeContext, socket: SealroomSocket, payload: FileSharePayload): Promise<SendAck> {
  const { memberId, channel } = requireMembership(socket, payload.room_id);
  await consumeSend(ctx, socket);
  const file = await ctx.services.files.describe(payload.file_id);
  if (file.roomId !== payload.room_id) throw new AppError('FILE_NOT_FOUND', 'No such file in this room (it may have expired)');

  const delivery = await ctx.state.claim(payload.room_id, payload.file_id, ctx.services.clock.now());
  if (!delivery.duplicate || !delivery.relayed) {
    const announcement: FileNewPayload = {
      room_id: payload.room_id,
      file_id: payload.file_id,
      member_id: memberId,
      seq: delivery.seq,
      sent_at: delivery.sentAt,
      size: file.size,
      expires_at: file.expiresAt,
      iv: payload.iv,
      ct: payload.ct,
    };
    socket.to(channel).emit('file:new', announcement);
    const { config } = ctx.services;
    if (config.messageBacklog > 0)
      await ctx.state.appendBacklog(payload.room_id, { event: 'file:new', data: announcement }, backlogLimits(config));
    await ctx.state.markRelayed(payload.room_id, payload.file_id);
  }
  return { ok: true, id: payload.file_id, seq: delivery.seq, sent_at: delivery.sentAt, duplicate: delivery.duplicate };
}
