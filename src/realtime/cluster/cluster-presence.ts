import type { Redis } from 'ioredis';
import { channelOf, liveMemberships } from '../memberships';
import type { RealtimeContext } from '../realtime-context';
import type { RedisRoomStateStore } from '../state/redis-room-state';

/** How often a node says it is alive, and looks for nodes that stopped. */
export const HEARTBEAT_MS = 2_000;
/** A node that has not said it is alive for this long is dead: its members are removed from presence. */
export const NODE_TTL_MS = 3 * HEARTBEAT_MS;

/**
 * Presence across a cluster when nodes come and go without saying goodbye.
 *
 * - A node renews `P node:<id>` every HEARTBEAT_MS. A node killed outright (SIGKILL, power loss) cannot run
 *   its disconnect handlers, so its members would stay "present" for ever; the other nodes notice its key
 *   has expired, one of them (holding a short lock) removes those members and tells their rooms
 *   `member:left` (reason `disconnected`), as the dead node would have.
 * - Its clients meanwhile reconnect to a live node. Joining again with the same member id is allowed as soon
 *   as the old holder's node is dead (see ADD_MEMBER), and a recovered session keeps its id outright.
 * - When Redis comes back empty (restarted without persistence), each node puts its own members back.
 */
export class ClusterPresence {
  private timer: NodeJS.Timeout | null = null;
  private readonly aliveKey: string;
  private readonly nodesKey: string;
  private readonly onReady = () => {
    void this.beat()
      .then(() => this.restoreLocalMembers())
      .catch((err: unknown) => this.ctx.log.warn({ err }, 'could not restore presence after Redis came back'));
  };

  constructor(
    private readonly ctx: RealtimeContext,
    private readonly redis: Redis,
    private readonly store: RedisRoomStateStore,
    private readonly prefix: string,
  ) {
    this.aliveKey = `${prefix}node:${ctx.nodeId}`;
    this.nodesKey = `${prefix}nodes`;
  }

  async start(): Promise<void> {
    await this.beat().catch(() => undefined); // Redis may be down at start-up; the timer keeps trying
    this.redis.on('ready', this.onReady);
    this.timer = setInterval(() => {
      this.beat()
        .then(() => this.reapDeadNodes())
        .catch((err: unknown) => this.ctx.log.debug({ err }, 'cluster heartbeat failed'));
    }, HEARTBEAT_MS);
    this.timer.unref();
  }

  /** Stops renewing and leaves the node list (the node's members were removed as its connections closed). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.redis.off('ready', this.onReady);
    if (this.redis.status !== 'ready') return;
    await this.redis
      .multi()
      .del(this.aliveKey)
      .srem(this.nodesKey, this.ctx.nodeId)
      .exec()
      .catch(() => undefined);
  }

  private async beat(): Promise<void> {
    await this.redis.multi().set(this.aliveKey, '1', 'PX', NODE_TTL_MS).sadd(this.nodesKey, this.ctx.nodeId).exec();
  }

  /** Removes the members of every node whose heartbeat has expired; one node does it, under a lock. */
  async reapDeadNodes(): Promise<number> {
    let reaped = 0;
    for (const nodeId of await this.redis.smembers(this.nodesKey)) {
      if (nodeId === this.ctx.nodeId || (await this.redis.exists(`${this.prefix}node:${nodeId}`)) === 1) continue;
      const lock = await this.redis.set(`${this.prefix}node:${nodeId}:reaper`, this.ctx.nodeId, 'PX', 30_000, 'NX');
      if (lock !== 'OK') continue;
      for (const { roomId, memberId, socketId } of await this.store.membersAddedBy(nodeId)) {
        if (await this.store.removeMember(roomId, memberId, { socketId, nodeId })) {
          // Room state is cleared when a room closes, so these members belong to the live incarnation.
          const room = await this.ctx.services.rooms.requireLive(roomId).catch(() => null);
          if (room)
            this.ctx.io
              .to(channelOf(roomId, room.incarnation))
              .emit('member:left', { room_id: roomId, member_id: memberId, reason: 'disconnected' });
          reaped++;
        }
      }
      await this.redis.multi().del(this.store.nodeMembersKey(nodeId)).srem(this.nodesKey, nodeId).exec();
      this.ctx.log.info({ deadNode: nodeId, reaped }, 'removed the members of a node that stopped');
    }
    return reaped;
  }

  /**
   * After a reconnect to Redis: every member connected here is put back if Redis lost it. The others never
   * saw them leave, so nothing is announced.
   */
  private async restoreLocalMembers(): Promise<void> {
    const maxMembers = this.ctx.services.config.realtime.maxMembersPerRoom;
    for (const socket of this.ctx.io.of('/').sockets.values()) {
      for (const [roomId, { memberId, profile }] of liveMemberships(socket)) {
        const owner = { socketId: socket.id, nodeId: this.ctx.nodeId };
        await this.store.addMember(roomId, { member_id: memberId, profile }, maxMembers, owner);
      }
    }
  }
}
