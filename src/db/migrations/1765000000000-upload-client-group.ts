import { type MigrationInterface, type QueryRunner, TableColumn, TableIndex } from 'typeorm';

/**
 * `stored_files.client_group`: the uploader's address group (IPv4 address, IPv6 /64), so that one client's
 * share of the storage quota and its uploads in progress can be counted (UPLOAD_IP_SHARE, UPLOAD_MAX_PER_IP).
 * Rows from before have none and count against no one's share (they still count against the quota).
 */
export class UploadClientGroup1765000000000 implements MigrationInterface {
  name = 'UploadClientGroup1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('stored_files', new TableColumn({ name: 'client_group', type: 'varchar', length: '64', isNullable: true }));
    await q.createIndex('stored_files', new TableIndex({ name: 'idx_stored_files_client_group', columnNames: ['client_group'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('stored_files', 'idx_stored_files_client_group');
    await q.dropColumn('stored_files', 'client_group');
  }
}
