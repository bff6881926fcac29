import { Column, Entity, Index, ManyToOne, JoinColumn, PrimaryColumn } from 'typeorm';
import { bigintNumber } from './column-types';
import { RoomEntity } from './room.entity';

export type StoredFileStatus = 'uploading' | 'ready';

/**
 * An encrypted blob in the blob store. While `uploading`, the row reserves `size` bytes of the storage
 * quota (the quota is the sum of all rows' sizes), and `lease_until` tells the sweeper when an upload
 * whose node died may be reclaimed.
 */
@Entity({ name: 'stored_files' })
export class StoredFileEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Index()
  @Column({ name: 'room_id', type: 'varchar', length: 36 })
  roomId!: string;

  @ManyToOne(() => RoomEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'room_id' })
  room?: RoomEntity;

  /** The uploader's address group (IPv4 address, IPv6 /64): its share of the quota is counted by it. */
  @Index()
  @Column({ name: 'client_group', type: 'varchar', length: 64, nullable: true })
  clientGroup!: string | null;

  /** Ciphertext bytes: declared when reserving, exact once ready. */
  @Column({ type: 'bigint', transformer: bigintNumber })
  size!: number;

  @Column({ type: 'varchar', length: 16 })
  status!: StoredFileStatus;

  @Column({ name: 'created_at', type: 'bigint', transformer: bigintNumber })
  createdAt!: number;

  @Index()
  @Column({ name: 'expires_at', type: 'bigint', transformer: bigintNumber })
  expiresAt!: number;

  @Column({ name: 'lease_until', type: 'bigint', nullable: true, transformer: bigintNumber })
  leaseUntil!: number | null;

  /** Burn after this many downloads; null for no limit. */
  @Column({ name: 'max_downloads', type: 'integer', nullable: true })
  maxDownloads!: number | null;

  @Column({ type: 'integer', default: 0 })
  downloads!: number;

  /** The file's download key `dk` (base64url, 32 bytes): checks download proofs; the file key cannot be derived from it. */
  @Column({ name: 'download_key', type: 'varchar', length: 43 })
  downloadKey!: string;

  /** The sealed `{iv, ct}` file info the uploader attached (JSON text), or null. */
  @Column({ name: 'file_info', type: 'text', nullable: true })
  fileInfo!: string | null;
}
