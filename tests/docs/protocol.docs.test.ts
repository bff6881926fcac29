/**
 * PROTOCOL.md's worked examples are the test vectors' values, and the SDK computes them: a reader who follows the
 * document gets the bytes the vectors (and so a second, independent implementation) expect.
 */
import fs from 'node:fs';
import path from 'node:path';
import vectors from '../../sdk/test-vectors.json';
import {
  base64urlDecode,
  canonicalEncode,
  deriveFileAccessKeys,
  hexEncode,
  importAuthKey,
  makeDownloadProof,
  makeOwnerSignature,
  makeProof,
  safetyCode,
  signFields,
  signingKeyFromSeed,
} from '../../sdk/src/crypto/index.js';

const ROOT = path.resolve(__dirname, '..', '..');
const protocol = fs.readFileSync(path.join(ROOT, 'PROTOCOL.md'), 'utf8');
const section = (title: string): string => {
  const start = protocol.indexOf(`## ${title}`);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = protocol.indexOf('\n## ', start + 1);
  return protocol.slice(start, end === -1 ? undefined : end);
};
/** The first inline code span after `marker`. */
const codeAfter = (marker: string): string => {
  const at = protocol.indexOf(marker);
  expect(at).toBeGreaterThanOrEqual(0);
  return /`([^`]+)`/.exec(protocol.slice(at + marker.length))![1];
};

describe('PROTOCOL.md', () => {
  it('specifies sealroom/v2, naming v1 only where it says what changed', () => {
    expect(protocol.startsWith('# The Sealroom protocol, `sealroom/v2`')).toBe(true);
    const beforeVersioning = protocol.slice(0, protocol.indexOf('## 11. Versioning'));
    expect(beforeVersioning).not.toContain('sealroom/v1');
  });

  it("gives the room proof vector's proof, which the SDK makes", async () => {
    const vector = vectors.proofs[0]!;
    expect(protocol).toContain(`\`${vector.expected.mac_input}\``);
    expect(codeAfter('the proof is\n')).toBe(vector.expected.proof);
    expect(await makeProof(await importAuthKey(base64urlDecode(vector.input.auth)), 'join', vector.input.room_id, vector.input.ts)).toBe(
      vector.expected.proof,
    );
  });

  it("gives the download proof vector's dk and proof, which the SDK makes", async () => {
    const vector = vectors.download_proofs[0]!;
    expect(codeAfter('so\n`dk` = ')).toBe(vector.expected.download_key);
    expect(protocol).toContain(`the proof is\n\`${vector.expected.proof}\``);
    const access = await deriveFileAccessKeys(base64urlDecode(vector.input.file_key));
    expect(await makeDownloadProof(access.dk, vector.input.file_id, vector.input.ts)).toBe(vector.expected.proof);
  });

  it("gives the owner delete vector's header, which the SDK makes", async () => {
    const vector = vectors.owner_delete[0]!;
    expect(protocol).toContain(vector.input.owner_seed);
    expect(protocol).toContain(vector.expected.owner_key);
    expect(protocol).toContain(`\`${vector.expected.header}\``);
    expect(await makeOwnerSignature(await signingKeyFromSeed(vector.input.owner_seed), vector.input.room_id, vector.input.ts)).toBe(
      vector.expected.header,
    );
  });

  it('gives the canonical encoding example of the vectors', () => {
    const vector = vectors.canonical[1]!;
    const example = protocol.slice(protocol.indexOf('Example (test vector `canonical[1]`)'));
    const hex = /is\n?\s*`([0-9a-f ]+)\n?([0-9a-f ]*)`/.exec(example)!;
    expect((hex[1] + hex[2]).replace(/\s/g, '')).toBe(vector.expected_hex);
    expect(hexEncode(canonicalEncode(vector.fields))).toBe(vector.expected_hex);
  });

  it("gives member-alice's key and profile signature of the vectors", async () => {
    const vector = vectors.signatures[0]!;
    expect(protocol).toContain(vector.input.seed);
    expect(protocol).toContain(vector.expected.public_key);
    expect(protocol).toContain(`\`sig\` = \`${vector.expected.sig}\``);
    const [, kind, ...fields] = vector.input.fields;
    expect(kind).toBe('profile');
    expect(await signFields(await signingKeyFromSeed(vector.input.seed), 'profile', fields)).toBe(vector.expected.sig);
    expect(protocol).toContain(`is ${vectors.sealed[3]!.expected.json_bytes}\nbytes of JSON`);
  });

  it('gives the safety code of the vectors, which the SDK computes', async () => {
    const vector = vectors.safety_codes[0]!;
    expect(protocol).toContain(`\`${vector.expected.code}\``);
    expect(await safetyCode(vector.input.room_id, vector.input.key_a, vector.input.key_b)).toBe(vector.expected.code);
  });

  it("gives the file vectors' key and the ciphertext of `hello`", () => {
    expect(protocol).toContain(vectors.file_keys.file_key);
    expect(protocol).toContain(`\`hello\` → 21 (\`${vectors.files[1]!.expected.ciphertext_hex}\`)`);
    expect(protocol).toContain(`${vectors.file_info.expected.json_bytes} bytes of JSON`);
  });

  it('lists every entry of the vectors file in section 10', () => {
    const table = section('10. Test vectors');
    const entries = Object.keys(vectors).filter((k) => !['name', 'version', 'generator', 'format'].includes(k));
    for (const entry of entries) expect(table).toContain(`\`${entry}`);
    expect(vectors.version).toBe('sealroom/v2');
  });

  it('names every HKDF info string the vectors use', () => {
    for (const label of ['room', 'msg', 'meta', 'auth', 'file key', 'file nonce', 'file download', 'file info']) {
      expect(section('2. Keys')).toContain(`\`sealroom/v2 ${label}\``);
    }
  });

  it('states the proof window of the server: 110 s back, 10 s ahead', () => {
    expect(protocol).toContain('now − 110 ≤ ts ≤ now + 10');
    expect(protocol).toContain('`proof_future_skew_s` (10)');
  });
});
