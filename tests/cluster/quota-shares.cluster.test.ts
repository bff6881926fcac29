/**
 * The storage quota's per-address and per-room shares (issue 16) in a cluster: two server processes on one
 * PostgreSQL database and Redis. The shares are checked in the reservation's own statement, under the quota's
 * advisory lock, so uploads racing through different nodes cannot overshoot them together.
 */
import { randomBytes } from 'node:crypto';
import { upload } from '../support/multipart';
import { createRoom } from '../support/rooms';
import { startCluster, type Cluster } from './support/cluster';

let cluster: Cluster;

beforeAll(async () => {
  cluster = await startCluster(2, {
    // A 1 MiB quota: 256 KiB per address, 512 KiB per room.
    env: { FOLDER_SIZE_LIMIT: String(1 / 1024), UPLOAD_IP_SHARE: '25', UPLOAD_ROOM_SHARE: '50' },
  });
}, 120_000);

afterAll(async () => {
  await cluster?.close();
}, 60_000);

it("keeps one address's share of the quota exact when its uploads race through two nodes", async () => {
  const [a, b] = cluster.nodes;
  const SIZE = 50_000;
  const fits = Math.floor((256 * 1024) / SIZE); // 5
  const rooms = await Promise.all([createRoom(a.url), createRoom(b.url), createRoom(a.url)]);
  const results = await Promise.all(
    Array.from({ length: 12 }, (_, i) => {
      const room = rooms[i % rooms.length];
      return upload((i % 2 === 0 ? a : b).url, room.roomId, room.proof('upload'), randomBytes(SIZE));
    }),
  );
  const statuses = results.map((r) => r.status).sort();
  expect(statuses).toEqual([...Array(fits).fill(201), ...Array(12 - fits).fill(507)]);
  for (const r of results.filter((x) => x.status === 507)) {
    expect(r.json<{ error: { code: string } }>().error.code).toBe('IP_QUOTA_EXCEEDED');
  }
});
