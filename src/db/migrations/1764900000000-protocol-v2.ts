import { type MigrationInterface, type QueryRunner, Table, TableColumn, TableForeignKey, TableIndex } from 'typeorm';

/**
 * Protocol v2: rooms get their owner's public key and an incarnation; files their download key and optional sealed
 * info; download tokens get a table. v1 rooms and files cannot be used by v2 clients (their keys are derived with
 * v1 labels), so existing rows are removed rather than given made-up keys; their blobs become orphans, which the
 * sweeper's orphan pass deletes.
 */
export class ProtocolV21764900000000 implements MigrationInterface {
  name = 'ProtocolV21764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM stored_files`);
    await q.query(`DELETE FROM rooms`);
    await q.addColumns('rooms', [
      new TableColumn({ name: 'owner_key', type: 'varchar', length: '43', default: "''" }),
      new TableColumn({ name: 'incarnation', type: 'varchar', length: '22', default: "''" }),
    ]);
    await q.addColumns('stored_files', [
      new TableColumn({ name: 'download_key', type: 'varchar', length: '43', default: "''" }),
      new TableColumn({ name: 'file_info', type: 'text', isNullable: true }),
    ]);
    await q.createTable(
      new Table({
        name: 'download_tokens',
        columns: [
          { name: 'token_hash', type: 'varchar', length: '43', isPrimary: true },
          { name: 'file_id', type: 'varchar', length: '36' },
          { name: 'bytes_left', type: 'bigint' },
          { name: 'expires_at', type: 'bigint' },
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_download_tokens_file',
            columnNames: ['file_id'],
            referencedTableName: 'stored_files',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );
    await q.createIndex('download_tokens', new TableIndex({ name: 'idx_download_tokens_file_id', columnNames: ['file_id'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('download_tokens');
    await q.dropColumn('stored_files', 'file_info');
    await q.dropColumn('stored_files', 'download_key');
    await q.dropColumn('rooms', 'incarnation');
    await q.dropColumn('rooms', 'owner_key');
  }
}
