import type { Event } from 'socket.io';
import { PROTOCOL } from '../config';
import { AppError } from '../errors';
import { unsupportedVersion } from '../http/protocol-version';
import type { RealtimeContext } from './realtime-context';
import { errorAck } from './acks';
import type { RealtimeContract } from './contract';

/**
 * Checks every incoming packet against asyncapi.yaml before any handler sees it: a known event, exactly one
 * payload plus an acknowledgement callback, a payload that matches its schema (which also refuses binary
 * attachments: every field of every schema is a string, a number or an object of those). A bad
 * packet is answered with `{ok: false, error}` when it has a callback and dropped otherwise; it never
 * reaches a handler.
 */
export function validatePackets(ctx: RealtimeContext, contract: RealtimeContract) {
  return (packet: Event, next: (err?: Error) => void): void => {
    // Indexes, not `[event, ...args]`: this runs for every packet, and the rest copy is measurable there.
    const event: unknown = packet[0];
    const ack: unknown = packet[packet.length - 1];
    if (typeof ack !== 'function') return; // no way to answer: drop
    const refuse = (e: AppError) => ack(errorAck(e, ctx.log));
    if (!contract.isClientEvent(event))
      return refuse(new AppError('UNKNOWN_EVENT', `Unknown event ${JSON.stringify(String(event)).slice(0, 80)}`));
    if (packet.length !== 3)
      return refuse(new AppError('INVALID_PAYLOAD', `${event} takes one payload object and an acknowledgement callback`));
    // The version before the schema: a v1 client's join hears that it must update, not which v2 field it lacks.
    if (event === 'room:join' && (packet[1] as { protocol?: unknown } | null)?.protocol !== PROTOCOL) return refuse(unsupportedVersion());
    const problem = contract.checkClientPayload(event, packet[1]);
    if (problem) {
      const where = problem.instancePath || '/';
      if (problem.keyword === 'maxLength') return refuse(new AppError('PAYLOAD_TOO_LARGE', `${event}: ${where} is too long`));
      return refuse(new AppError('INVALID_PAYLOAD', `${event}: ${where} ${problem.message ?? 'is invalid'}`));
    }
    next();
  };
}
