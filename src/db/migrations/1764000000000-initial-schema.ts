import { type MigrationInterface, type QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';

/** Rooms, files and leases. Written with TypeORM's schema builder so one migration serves SQLite and PostgreSQL. */
export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(q: QueryRunner): Promise<void> {
    const id = { type: 'varchar', length: '36' };
    const millis = { type: 'bigint' };

    await q.createTable(
      new Table({
        name: 'rooms',
        columns: [
          { name: 'id', ...id, isPrimary: true },
          { name: 'auth_key', type: 'varchar', length: '43' },
          { name: 'password_salt', type: 'varchar', length: '64', isNullable: true },
          { name: 'password_iterations', type: 'integer', isNullable: true },
          { name: 'created_at', ...millis },
          { name: 'last_active_at', ...millis },
          { name: 'expires_at', ...millis },
        ],
        indices: [{ name: 'idx_rooms_expires_at', columnNames: ['expires_at'] }],
      }),
    );

    await q.createTable(
      new Table({
        name: 'stored_files',
        columns: [
          { name: 'id', ...id, isPrimary: true },
          { name: 'room_id', ...id },
          { name: 'size', type: 'bigint' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'created_at', ...millis },
          { name: 'expires_at', ...millis },
          { name: 'lease_until', ...millis, isNullable: true },
          { name: 'max_downloads', type: 'integer', isNullable: true },
          { name: 'downloads', type: 'integer', default: 0 },
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_stored_files_room',
            columnNames: ['room_id'],
            referencedTableName: 'rooms',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );
    await q.createIndex('stored_files', new TableIndex({ name: 'idx_stored_files_room_id', columnNames: ['room_id'] }));
    await q.createIndex('stored_files', new TableIndex({ name: 'idx_stored_files_expires_at', columnNames: ['expires_at'] }));

    await q.createTable(
      new Table({
        name: 'leases',
        columns: [
          { name: 'name', type: 'varchar', length: '64', isPrimary: true },
          { name: 'holder', type: 'varchar', length: '64', isNullable: true },
          { name: 'expires_at', ...millis },
        ],
      }),
    );
    await q.query(`INSERT INTO leases (name, holder, expires_at) VALUES ('sweeper', NULL, 0)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('leases');
    await q.dropTable('stored_files');
    await q.dropTable('rooms');
  }
}
