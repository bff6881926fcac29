import { isForeignKeyViolation } from '../db/db-errors';
import type { DataSource, Repository } from 'typeorm';
import { DownloadTokenEntity } from '../entities';

/**
 * Every query about download tokens. Tokens are stored as their SHA-256 only; a token's remaining byte budget is
 * spent by one conditional UPDATE, so concurrent requests with the same token cannot overspend it.
 */
export class DownloadTokenRepository {
  private readonly tokens: Repository<DownloadTokenEntity>;

  constructor(db: DataSource) {
    this.tokens = db.getRepository(DownloadTokenEntity);
  }

  /** Stores a token; false when its file is gone (deleted a moment before). */
  async insert(token: DownloadTokenEntity): Promise<boolean> {
    try {
      await this.tokens.insert(token);
      return true;
    } catch (e) {
      if (isForeignKeyViolation(e)) return false;
      throw e;
    }
  }

  /** Removes a token (one whose download was then refused). */
  async remove(tokenHash: string): Promise<void> {
    await this.tokens.delete({ tokenHash });
  }

  /** The live token with this hash for this file at `now`, or null. */
  findLive(tokenHash: string, fileId: string, now: number): Promise<DownloadTokenEntity | null> {
    return this.tokens
      .createQueryBuilder('t')
      .where('t.token_hash = :tokenHash AND t.file_id = :fileId AND t.expires_at > :now', { tokenHash, fileId, now })
      .getOne();
  }

  /**
   * Takes `bytes` from a live token's budget, atomically; false when the token is unknown, for another file,
   * expired, or has fewer than `bytes` left.
   */
  async spend(tokenHash: string, fileId: string, bytes: number, now: number): Promise<boolean> {
    const { affected } = await this.tokens
      .createQueryBuilder()
      .update()
      .set({ bytesLeft: () => 'bytes_left - :bytes' })
      .where('token_hash = :tokenHash AND file_id = :fileId AND expires_at > :now AND bytes_left >= :bytes', {
        tokenHash,
        fileId,
        now,
        bytes,
      })
      .execute();
    return affected === 1;
  }
}
