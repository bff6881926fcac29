import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { bigintNumber } from './column-types';
import { StoredFileEntity } from './stored-file.entity';

/**
 * A download token, issued by a counted download (one with a fresh download proof) so that the same download can
 * continue with Range requests without being counted again. Only the token's SHA-256 is stored. It may serve at
 * most `bytes_left` more bytes (twice the file's size when issued) and dies with its file.
 */
@Entity({ name: 'download_tokens' })
export class DownloadTokenEntity {
  /** SHA-256 of the token, base64url. */
  @PrimaryColumn({ name: 'token_hash', type: 'varchar', length: 43 })
  tokenHash!: string;

  @Index()
  @Column({ name: 'file_id', type: 'varchar', length: 36 })
  fileId!: string;

  @ManyToOne(() => StoredFileEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'file_id' })
  file?: StoredFileEntity;

  @Column({ name: 'bytes_left', type: 'bigint', transformer: bigintNumber })
  bytesLeft!: number;

  @Column({ name: 'expires_at', type: 'bigint', transformer: bigintNumber })
  expiresAt!: number;
}
