import type { Redis } from 'ioredis';
import type { BacklogEntry, Member } from '@sealroom/contracts';
import { DEDUPE_WINDOW, type AddMemberResult, type BacklogLimits, type Claim, type PresenceOwner, type RoomStateStore } from './room-state';

/**
 * The cluster's room state, in Redis, so that every node sees the same presence, sequence numbers, retry
 * ids and backlog. Each change is one Lua script, so it is atomic across nodes exactly as the in-memory
 * store's methods are within one process.
 *
 * Keys (P = REDIS_KEY_PREFIX; `{room}` is a hash tag so a room's keys would share a slot):
 *   P room:{R}:members   hash member id -> Member JSON
 *   P room:{R}:owners    hash member id -> "<socket id>|<node id>"
 *   P room:{R}:seq       the room's last sequence number
 *   P room:{R}:ids       hash delivered id -> "<seq>:<sent_at>", then ":r" once relayed (the last DEDUPE_WINDOW ids)
 *   P room:{R}:order     list of those ids, oldest first
 *   P room:{R}:backlog   list of "<n>|<BacklogEntry JSON>" (MESSAGE_BACKLOG > 0), n a number from P backlog:seq
 *   P room:{R}:backlogbytes  bytes of the JSON in that list (MESSAGE_BACKLOG_BYTES)
 *   P backlog:all        sorted set of "<n>\n<bytes>\n<room id>" scored by n: every room's entries, oldest
 *                        first, so the oldest entry of any room goes first past MESSAGE_BACKLOG_TOTAL_BYTES
 *   P backlog:bytes      the bytes of the entries in backlog:all
 *   P backlog:seq        the last n given out
 *   P node:<id>          "alive" with a short expiry, renewed by the node (see ClusterPresence)
 *   P node:<id>:members  set of "<room>\n<member>\n<socket>" the node added, so a dead node's can be reaped
 *   P nodes              set of node ids
 * Every room key expires after `ttlMs` without a write; rooms are closed by the sweeper long before that (a
 * room's entries in backlog:all that outlive its list, oldest of all by then, are the first the total drops).
 */
export class RedisRoomStateStore implements RoomStateStore {
  /**
   * @param broadcaster the connection the Socket.IO adapter publishes on. `markRelayed` goes through it, so
   *   Redis records "relayed" only after it has taken the broadcast sent just before (one connection's
   *   commands run in order). Defaults to `redis` (then it only says the broadcast was handed over).
   */
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlMs: number,
    private readonly broadcaster: Redis = redis,
  ) {
    defineScripts(redis);
    defineScripts(broadcaster);
  }

  async addMember(roomId: string, member: Member, maxMembers: number, owner: PresenceOwner): Promise<AddMemberResult> {
    const k = this.keys(roomId);
    const result = await (this.redis as ScriptedRedis).sealroomAddMember(
      k.members,
      k.owners,
      this.nodeMembersKey(owner.nodeId),
      member.member_id,
      JSON.stringify(member),
      maxMembers,
      this.ttlMs,
      owner.socketId,
      owner.nodeId,
      roomId,
      this.prefix,
    );
    return result as AddMemberResult;
  }

  async removeMember(roomId: string, memberId: string, owner: PresenceOwner): Promise<boolean> {
    const k = this.keys(roomId);
    const removed = await (this.redis as ScriptedRedis).sealroomRemoveMember(
      k.members,
      k.owners,
      this.nodeMembersKey(owner.nodeId),
      memberId,
      owner.socketId,
      owner.nodeId,
      roomId,
    );
    return removed === 1;
  }

  async members(roomId: string): Promise<Member[]> {
    const values = await this.redis.hvals(this.keys(roomId).members);
    return values.map((v) => JSON.parse(v) as Member);
  }

  async claim(roomId: string, id: string, now: number): Promise<Claim> {
    const k = this.keys(roomId);
    const [duplicate, record] = await (this.redis as ScriptedRedis).sealroomClaim(
      k.seq,
      k.ids,
      k.order,
      id,
      now,
      DEDUPE_WINDOW,
      this.ttlMs,
    );
    const [seq, sentAt, relayed] = record.split(':');
    return { seq: Number(seq), sentAt: Number(sentAt), duplicate: duplicate === 1, relayed: relayed === 'r' };
  }

  async markRelayed(roomId: string, id: string): Promise<void> {
    await (this.broadcaster as ScriptedRedis).sealroomMarkRelayed(this.keys(roomId).ids, id);
  }

  async appendBacklog(roomId: string, entry: BacklogEntry, limits: BacklogLimits): Promise<void> {
    const k = this.keys(roomId);
    await (this.redis as ScriptedRedis).sealroomAppendBacklog(
      k.backlog,
      k.backlogBytes,
      this.globalKey('backlog:all'),
      this.globalKey('backlog:bytes'),
      this.globalKey('backlog:seq'),
      JSON.stringify(entry),
      roomId,
      limits.entries,
      limits.bytes,
      limits.totalBytes,
      this.ttlMs,
      this.prefix,
    );
  }

  async backlog(roomId: string): Promise<BacklogEntry[]> {
    const values = await this.redis.lrange(this.keys(roomId).backlog, 0, -1);
    return values.map((v) => JSON.parse(v.slice(v.indexOf('|') + 1)) as BacklogEntry);
  }

  /** Bytes of backlog kept over all rooms (what MESSAGE_BACKLOG_TOTAL_BYTES caps). */
  async totalBacklogBytes(): Promise<number> {
    return Number((await this.redis.get(this.globalKey('backlog:bytes'))) ?? 0);
  }

  async clear(roomId: string): Promise<void> {
    const k = this.keys(roomId);
    await (this.redis as ScriptedRedis).sealroomClearBacklog(
      k.backlog,
      k.backlogBytes,
      this.globalKey('backlog:all'),
      this.globalKey('backlog:bytes'),
      roomId,
    );
    await this.redis.del(...Object.values(k));
  }

  private globalKey(name: string): string {
    return `${this.prefix}${name}`;
  }

  /** The members a node added and may not have removed: what to reap when it dies. */
  async membersAddedBy(nodeId: string): Promise<Array<{ roomId: string; memberId: string; socketId: string }>> {
    const entries = await this.redis.smembers(this.nodeMembersKey(nodeId));
    return entries.map((e) => {
      const [roomId, memberId, socketId] = e.split('\n');
      return { roomId, memberId, socketId };
    });
  }

  nodeMembersKey(nodeId: string): string {
    return `${this.prefix}node:${nodeId}:members`;
  }

  private keys(roomId: string) {
    const base = `${this.prefix}room:{${roomId}}:`;
    return {
      members: `${base}members`,
      owners: `${base}owners`,
      seq: `${base}seq`,
      ids: `${base}ids`,
      order: `${base}order`,
      backlog: `${base}backlog`,
      backlogBytes: `${base}backlogbytes`,
    };
  }
}

type ScriptedRedis = Redis & {
  sealroomAddMember(...args: Array<string | number>): Promise<string>;
  sealroomRemoveMember(...args: Array<string | number>): Promise<number>;
  sealroomClaim(...args: Array<string | number>): Promise<[number, string]>;
  sealroomMarkRelayed(...args: Array<string | number>): Promise<number>;
  sealroomAppendBacklog(...args: Array<string | number>): Promise<number>;
  sealroomClearBacklog(...args: Array<string | number>): Promise<number>;
};

/**
 * Adds a member. The id is free, or held by this very connection (`kept`: it recovered here after its node
 * died), or held by a connection whose node has stopped renewing its `node:<id>` key (dead: taken over).
 */
const ADD_MEMBER = `
local held = redis.call('HGET', KEYS[2], ARGV[1])
local result = 'added'
if held then
  local sep = string.find(held, '|', 1, true)
  local heldSocket = string.sub(held, 1, sep - 1)
  local heldNode = string.sub(held, sep + 1)
  if heldSocket == ARGV[5] then
    result = 'kept'
  elseif heldNode == ARGV[6] or redis.call('EXISTS', ARGV[8] .. 'node:' .. heldNode) == 1 then
    return 'taken'
  end
elseif redis.call('HLEN', KEYS[2]) >= tonumber(ARGV[3]) then
  return 'full'
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[5] .. '|' .. ARGV[6])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
redis.call('SADD', KEYS[3], ARGV[7] .. '\\n' .. ARGV[1] .. '\\n' .. ARGV[5])
return result
`;

/** Removes a member only if this connection on this node still holds it. */
const REMOVE_MEMBER = `
if redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] .. '|' .. ARGV[3] then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('SREM', KEYS[3], ARGV[4] .. '\\n' .. ARGV[1] .. '\\n' .. ARGV[2])
return 1
`;

/** Gives a new id the room's next sequence number; a known id gets its first record back. */
const CLAIM = `
local known = redis.call('HGET', KEYS[2], ARGV[1])
if known then return {1, known} end
local record = redis.call('INCR', KEYS[1]) .. ':' .. ARGV[2]
redis.call('HSET', KEYS[2], ARGV[1], record)
if redis.call('RPUSH', KEYS[3], ARGV[1]) > tonumber(ARGV[3]) then
  redis.call('HDEL', KEYS[2], redis.call('LPOP', KEYS[3]))
end
for i = 1, 3 do redis.call('PEXPIRE', KEYS[i], ARGV[4]) end
return {0, record}
`;

/** Appends ":r" to a claimed id's record, once. */
const MARK_RELAYED = `
local record = redis.call('HGET', KEYS[1], ARGV[1])
if not record or string.sub(record, -2) == ':r' then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], record .. ':r')
return 1
`;

/**
 * Appends a backlog entry, then drops the room's oldest past MESSAGE_BACKLOG entries or MESSAGE_BACKLOG_BYTES,
 * then the oldest of any room past MESSAGE_BACKLOG_TOTAL_BYTES.
 * KEYS: room list, room bytes, backlog:all, backlog:bytes, backlog:seq.
 * ARGV: entry JSON, room id, max entries, max room bytes, max total bytes, ttl, key prefix.
 */
const APPEND_BACKLOG = `
local n = redis.call('INCR', KEYS[5])
local size = string.len(ARGV[1])
redis.call('RPUSH', KEYS[1], n .. '|' .. ARGV[1])
redis.call('INCRBY', KEYS[2], size)
redis.call('ZADD', KEYS[3], n, n .. '\\n' .. size .. '\\n' .. ARGV[2])
redis.call('INCRBY', KEYS[4], size)
local function dropOldest(listKey, bytesKey)
  local v = redis.call('LPOP', listKey)
  if not v then return end
  local sep = string.find(v, '|', 1, true)
  local m = string.sub(v, 1, sep - 1)
  local len = string.len(v) - sep
  redis.call('DECRBY', bytesKey, len)
  return m, len
end
while redis.call('LLEN', KEYS[1]) > 0 and (redis.call('LLEN', KEYS[1]) > tonumber(ARGV[3]) or tonumber(redis.call('GET', KEYS[2]) or '0') > tonumber(ARGV[4])) do
  local m, len = dropOldest(KEYS[1], KEYS[2])
  redis.call('ZREM', KEYS[3], m .. '\\n' .. len .. '\\n' .. ARGV[2])
  redis.call('DECRBY', KEYS[4], len)
end
while tonumber(redis.call('GET', KEYS[4]) or '0') > tonumber(ARGV[5]) do
  local oldest = redis.call('ZPOPMIN', KEYS[3])
  if #oldest == 0 then redis.call('SET', KEYS[4], 0) break end
  local m, len, room = string.match(oldest[1], '^(%d+)\\n(%d+)\\n(.*)$')
  redis.call('DECRBY', KEYS[4], tonumber(len))
  local listKey = ARGV[7] .. 'room:{' .. room .. '}:backlog'
  local head = redis.call('LINDEX', listKey, 0)
  if head and string.sub(head, 1, string.len(m) + 1) == m .. '|' then
    dropOldest(listKey, ARGV[7] .. 'room:{' .. room .. '}:backlogbytes')
  end
end
redis.call('PEXPIRE', KEYS[1], ARGV[6])
redis.call('PEXPIRE', KEYS[2], ARGV[6])
return 1
`;

/**
 * Takes a room's backlog out of the total (the room is being forgotten).
 * KEYS: room list, room bytes, backlog:all, backlog:bytes. ARGV: room id.
 */
const CLEAR_BACKLOG = `
for _, v in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do
  local sep = string.find(v, '|', 1, true)
  local len = string.len(v) - sep
  if redis.call('ZREM', KEYS[3], string.sub(v, 1, sep - 1) .. '\\n' .. len .. '\\n' .. ARGV[1]) == 1 then
    redis.call('DECRBY', KEYS[4], len)
  end
end
redis.call('DEL', KEYS[1], KEYS[2])
return 1
`;

function defineScripts(redis: Redis): void {
  if ('sealroomClaim' in redis) return;
  redis.defineCommand('sealroomMarkRelayed', { numberOfKeys: 1, lua: MARK_RELAYED });
  redis.defineCommand('sealroomAddMember', { numberOfKeys: 3, lua: ADD_MEMBER });
  redis.defineCommand('sealroomRemoveMember', { numberOfKeys: 3, lua: REMOVE_MEMBER });
  redis.defineCommand('sealroomClaim', { numberOfKeys: 3, lua: CLAIM });
  redis.defineCommand('sealroomAppendBacklog', { numberOfKeys: 5, lua: APPEND_BACKLOG });
  redis.defineCommand('sealroomClearBacklog', { numberOfKeys: 4, lua: CLEAR_BACKLOG });
}
