import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from './column-types';

/**
 * A room as the server knows it: an id, the key that checks room proofs, and, for password rooms, the
 * public KDF parameters. Nothing here lets the server derive the room's content keys.
 */
@Entity({ name: 'rooms' })
export class RoomEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  /** HKDF-derived `auth` key (base64url, 32 bytes): verifies proofs, derives nothing else. */
  @Column({ name: 'auth_key', type: 'varchar', length: 43 })
  authKey!: string;

  /** The owner's Ed25519 public key (base64url, 32 bytes): only its signature deletes the room. */
  @Column({ name: 'owner_key', type: 'varchar', length: 43 })
  ownerKey!: string;

  /**
   * 16 random bytes (base64url) drawn when the room is created: tells this room from an earlier one with the
   * same id, so that a recovered connection is not let into a room it never joined.
   */
  @Column({ type: 'varchar', length: 22 })
  incarnation!: string;

  @Column({ name: 'password_salt', type: 'varchar', length: 64, nullable: true })
  passwordSalt!: string | null;

  @Column({ name: 'password_iterations', type: 'integer', nullable: true })
  passwordIterations!: number | null;

  @Column({ name: 'created_at', type: 'bigint', transformer: bigintNumber })
  createdAt!: number;

  @Column({ name: 'last_active_at', type: 'bigint', transformer: bigintNumber })
  lastActiveAt!: number;

  /** last_active_at + ROOM_AGE_LIMIT; a room past it is gone for everyone, swept or not. */
  @Column({ name: 'expires_at', type: 'bigint', transformer: bigintNumber })
  expiresAt!: number;
}
