/**
 * Runs in Chromium (bundled for the browser by browser.sdk.test.ts): a session through the SDK's browser
 * entry, with the browser's own fetch, XMLHttpRequest, Blob and WebCrypto.
 */
import vectors from '../../../sdk/test-vectors.json';
import { SealroomClient, signFields, signingKeyFromSeed, type RoomMessage, type TransferProgress } from '../../../sdk/src/index.js';

export interface BrowserSessionResult {
  message: string;
  uploadPhases: Array<TransferProgress['phase']>;
  uploaded: number;
  sizeMatches: boolean;
  bytesEqual: boolean;
  downloaded: number;
  /** Chromium's WebCrypto Ed25519 gives the public key and signature of the vectors (node:crypto's). */
  ed25519MatchesVectors: boolean;
  /** Alice and Bob, both in Chromium, see the same safety code (6 groups of 5 digits). */
  safetyCodesAgree: boolean;
}

async function ed25519MatchesVectors(): Promise<boolean> {
  const vector = vectors.signatures[0]!;
  const key = await signingKeyFromSeed(vector.input.seed);
  const [, , ...fields] = vector.input.fields;
  return key.publicKey === vector.expected.public_key && (await signFields(key, 'profile', fields)) === vector.expected.sig;
}

async function session(size: number): Promise<BrowserSessionResult> {
  const client = new SealroomClient({ baseUrl: location.origin });
  const invite = (await client.createRoom()).link;
  const alice = await client.join(invite, { name: 'Alice' });
  const bob = await new SealroomClient().join(invite, { name: 'Bob' });
  const heard = new Promise<RoomMessage>((resolve) => bob.on('message', resolve));
  await alice.send('hello from Chromium');
  const message = await heard;
  const codeAtAlice = await alice.safetyCode(alice.members.find((m) => m.id === bob.memberId)!);
  const codeAtBob = await bob.safetyCode(bob.members.find((m) => m.id === alice.memberId)!);

  // Every byte value, then random bytes (getRandomValues fills at most 64 KiB at a time).
  const data = new Uint8Array(size);
  for (let offset = 0; offset < size; offset += 65_536) crypto.getRandomValues(data.subarray(offset, Math.min(size, offset + 65_536)));
  for (let i = 0; i < 256; i++) data[i] = i;
  const phases = new Set<TransferProgress['phase']>();
  let uploaded = 0;
  const file = await alice.shareFile(new File([data], 'random.bin', { type: 'application/octet-stream' }), {
    onProgress: (p) => {
      phases.add(p.phase);
      if (p.phase === 'uploading') uploaded = p.loaded;
    },
  });
  const download = await new SealroomClient().downloadFile(file.link);
  const back = new Uint8Array(await new Response(download.stream).arrayBuffer());
  let equal = back.length === data.length;
  for (let i = 0; equal && i < data.length; i++) equal = back[i] === data[i];
  await Promise.all([alice.leave(), bob.leave()]);
  return {
    message: `${message.from.name}: ${message.text}`,
    uploadPhases: [...phases],
    uploaded,
    sizeMatches: download.size === size,
    bytesEqual: equal,
    downloaded: back.length,
    ed25519MatchesVectors: await ed25519MatchesVectors(),
    safetyCodesAgree: codeAtAlice === codeAtBob && /^\d{5}( \d{5}){5}$/.test(codeAtAlice),
  };
}

(globalThis as unknown as { sealroomSession: typeof session }).sealroomSession = session;
