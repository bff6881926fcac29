import type { DataSource, Repository } from 'typeorm';
import { LeaseEntity } from '../entities';

/** Named leases (rows of `leases`): one holder at a time, until the lease expires or is released. */
export class LeaseRepository {
  private readonly leases: Repository<LeaseEntity>;

  constructor(db: DataSource) {
    this.leases = db.getRepository(LeaseEntity);
  }

  /** Takes or renews the lease until `until`, if it is free, expired at `now`, or already `holder`'s. */
  async acquire(name: string, holder: string, now: number, until: number): Promise<boolean> {
    const { affected } = await this.leases
      .createQueryBuilder()
      .update()
      .set({ holder, expiresAt: until })
      .where('name = :name AND (holder = :holder OR expires_at < :now)', { name, holder, now })
      .execute();
    return affected === 1;
  }

  /** Gives the lease back at once, if `holder` has it. */
  async release(name: string, holder: string): Promise<void> {
    await this.leases
      .createQueryBuilder()
      .update()
      .set({ holder: null, expiresAt: 0 })
      .where('name = :name AND holder = :holder', { name, holder })
      .execute();
  }

  /** Makes `holder` the holder whoever had it (a single node adopting what its previous process held). */
  async adopt(name: string, holder: string): Promise<void> {
    await this.leases.update({ name }, { holder });
  }
}
