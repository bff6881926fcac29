import type { DataSource, Repository } from 'typeorm';
import { isUniqueViolation } from '../db/db-errors';
import { RoomEntity } from '../entities';

/** Every query about rooms. A room's file rows go with it (ON DELETE CASCADE). */
export class RoomRepository {
  private readonly rooms: Repository<RoomEntity>;

  constructor(db: DataSource) {
    this.rooms = db.getRepository(RoomEntity);
  }

  /** Inserts a new room; false when a room with its id exists. */
  async insert(room: RoomEntity): Promise<boolean> {
    try {
      await this.rooms.insert(room);
      return true;
    } catch (e) {
      if (isUniqueViolation(e)) return false;
      throw e;
    }
  }

  findById(id: string): Promise<RoomEntity | null> {
    return this.rooms.findOneBy({ id });
  }

  /** Records activity in a room that is still live at `now`: its idle expiry moves to `expiresAt`. */
  async touch(id: string, now: number, expiresAt: number): Promise<void> {
    await this.rooms
      .createQueryBuilder()
      .update()
      .set({ lastActiveAt: now, expiresAt })
      .where('id = :id AND expires_at > :now', { id, now })
      .execute();
  }

  /** Ids of the rooms that expired by `now`. */
  async expiredIds(now: number): Promise<string[]> {
    const rows = await this.rooms
      .createQueryBuilder('r')
      .select('r.id', 'id')
      .where('r.expires_at <= :now', { now })
      .getRawMany<{ id: string }>();
    return rows.map((r) => r.id);
  }

  /**
   * Deletes a room, with its file rows; with `expiredBy`, only if it had expired by then (a room that came
   * back to life in the meantime stays); with `incarnation`, only that incarnation of the id. Returns whether a
   * row was deleted.
   */
  async delete(id: string, expiredBy?: number, incarnation?: string): Promise<boolean> {
    const query = this.rooms.createQueryBuilder().delete().where('id = :id', { id });
    if (expiredBy !== undefined) query.andWhere('expires_at <= :expiredBy', { expiredBy });
    if (incarnation !== undefined) query.andWhere('incarnation = :incarnation', { incarnation });
    const { affected } = await query.execute();
    return affected === 1;
  }
}
