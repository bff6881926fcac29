/**
 * A program that uses @sealroom/sdk as an installed package would: the consumer test (consumer.sdk.test.ts)
 * installs the packed tarball into a fresh project, type-checks this file with `tsc --strict`, and runs it
 * against a real server. It prints one JSON line with what it observed.
 *
 *   SEALROOM_URL   the server
 *   WORK_DIR       a folder for the 20 MB file and its download
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { SealroomError, encryptedSize, type RoomFile, type RoomMessage } from '@sealroom/sdk';
import { SealroomClient, type SavedFile } from '@sealroom/sdk/node';

const baseUrl = process.env.SEALROOM_URL!;
const workDir = process.env.WORK_DIR!;
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

function waitFor<T>(register: (resolve: (value: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out')), 30_000);
    register((value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}

// Uploads are counted through the client's own fetch, to show that an over-limit file never starts one.
let uploadRequests = 0;
const countingFetch = (input: string, init: RequestInit): Promise<Response> => {
  if (input.includes('/upload_file')) uploadRequests++;
  return fetch(input, init);
};

async function main(): Promise<void> {
  const aliceClient = new SealroomClient({ baseUrl, fetch: countingFetch });
  const bobClient = new SealroomClient({ baseUrl });
  const { link: invite }: { link: string } = await aliceClient.createRoom();
  const alice = await aliceClient.join(invite, { name: 'Alice' });
  const bob = await bobClient.join(invite, { name: 'Bob' });

  // Two clients chat.
  const heardByBob = waitFor<RoomMessage>((resolve) => bob.on('message', resolve));
  await alice.send('Hello, Bob!');
  const heardByAlice = waitFor<RoomMessage>((resolve) => alice.on('message', resolve));
  await bob.send('Hello, Alice!');
  const [toBob, toAlice] = await Promise.all([heardByBob, heardByAlice]);

  // A 20 MB file round-trips byte for byte (from a file on disk, streamed, to a file on disk).
  const original = path.join(workDir, 'twenty.bin');
  const data = randomBytes(20 * 1024 * 1024);
  fs.writeFileSync(original, data);
  const announced = waitFor<RoomFile>((resolve) => bob.on('file', resolve));
  const shared = await alice.shareFile(fs.createReadStream(original), { type: 'application/octet-stream' });
  const received = await announced;
  const saved: SavedFile = await bobClient.saveFile(received, path.join(workDir, 'twenty.copy.bin'));
  const roundTrip = sha256(fs.readFileSync(saved.path)) === sha256(data);

  // An over-limit file is refused before upload: nothing read from the source, no upload request made.
  const config = await aliceClient.getConfig();
  const overLimit = config.max_upload_bytes + 1;
  let pulled = 0;
  const source = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        pulled += 65_536;
        controller.enqueue(new Uint8Array(65_536));
      },
    },
    { highWaterMark: 0 }, // no read-ahead: only a reader's request pulls
  );
  const uploadsBefore = uploadRequests;
  let refusal: { code: string; isSealroomError: boolean } | null = null;
  try {
    await alice.shareFile(source, { name: 'too-big.bin', size: overLimit });
  } catch (error) {
    refusal = { code: error instanceof SealroomError ? error.code : String(error), isSealroomError: error instanceof SealroomError };
  }

  await Promise.all([alice.leave(), bob.leave()]);
  console.log(
    JSON.stringify({
      chat: [`${toBob.from.name}: ${toBob.text}`, `${toAlice.from.name}: ${toAlice.text}`],
      file: {
        name: received.name,
        size: received.size,
        encryptedSize: received.encryptedSize,
        expectedEncryptedSize: encryptedSize(data.length),
        sharedId: shared.id === received.id,
        roundTrip,
      },
      overLimit: { refusal, pulled, uploadRequests: uploadRequests - uploadsBefore, totalUploads: uploadRequests },
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
