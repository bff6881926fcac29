import vectors from '../test-vectors.json';
import { base64urlDecode, base64urlEncode, formatFileLink, formatInviteLink, parseFileLink, parseInviteLink } from '../src/crypto/index.js';
import { expectCryptoError } from './support/test-helpers.js';

const secret = Uint8Array.from({ length: 32 }, (_, i) => i);
const secretText = base64urlEncode(secret); // 43 characters
const fileKey = Uint8Array.from({ length: 32 }, (_, i) => 255 - i);
const fileKeyText = base64urlEncode(fileKey);

describe('link vectors', () => {
  it.each(vectors.links.map((v) => [v.description, v] as const))('%s', (_, vector) => {
    const { input, expected } = vector;
    if (input.kind === 'invite') {
      const linkSecret = input.secret === null || input.secret === undefined ? null : base64urlDecode(input.secret);
      expect(formatInviteLink(input.base_url, input.room_id!, linkSecret)).toBe(expected.link);
      expect(parseInviteLink(expected.link)).toEqual({
        baseUrl: input.base_url,
        roomId: input.room_id,
        secret: linkSecret,
        passwordOnly: linkSecret === null,
      });
    } else {
      const key = base64urlDecode(input.file_key!);
      expect(formatFileLink(input.base_url, input.file_id!, key)).toBe(expected.link);
      expect(parseFileLink(expected.link)).toEqual({ baseUrl: input.base_url, fileId: input.file_id, fileKey: key });
    }
  });
});

describe('invite links', () => {
  it('round-trip with a secret', () => {
    const link = formatInviteLink('https://chat.example', 'room-123456', secret);
    expect(link).toBe(`https://chat.example/r/room-123456#${secretText}`);
    expect(parseInviteLink(link)).toEqual({ baseUrl: 'https://chat.example', roomId: 'room-123456', secret, passwordOnly: false });
  });

  it('round-trip without a secret (password-only room)', () => {
    const link = formatInviteLink('http://localhost:5000/', 'room-123456', null);
    expect(link).toBe('http://localhost:5000/r/room-123456');
    expect(parseInviteLink(link)).toEqual({ baseUrl: 'http://localhost:5000', roomId: 'room-123456', secret: null, passwordOnly: true });
  });

  it.each([
    ['an empty fragment', 'https://chat.example/r/room-123456#', { baseUrl: 'https://chat.example', secret: null, passwordOnly: true }],
    [
      'a path prefix',
      `https://chat.example/a/b/r/room-123456#${secretText}`,
      { baseUrl: 'https://chat.example/a/b', secret, passwordOnly: false },
    ],
    ['a port', `http://10.0.0.2:5000/r/room-123456#${secretText}`, { baseUrl: 'http://10.0.0.2:5000', secret, passwordOnly: false }],
    ['surrounding whitespace', `  https://chat.example/r/room-123456#${secretText}\n`, { baseUrl: 'https://chat.example', secret }],
    ['an upper-case scheme and host', `HTTPS://Chat.Example/r/room-123456#${secretText}`, { baseUrl: 'https://chat.example', secret }],
    ['a default port', `https://chat.example:443/r/room-123456#${secretText}`, { baseUrl: 'https://chat.example', secret }],
  ])('parse a link with %s', (_, link, expected) => {
    expect(parseInviteLink(link)).toMatchObject({ roomId: 'room-123456', ...expected });
  });

  it.each([
    ['a non-http scheme', `ftp://chat.example/r/room-123456#${secretText}`],
    ['a javascript: URL', `javascript:alert(1)//r/room-123456#${secretText}`],
    ['no scheme', `chat.example/r/room-123456#${secretText}`],
    ['not a URL', 'room-123456'],
    ['a file path', `https://chat.example/f/room-123456#${secretText}`],
    ['no room id', `https://chat.example/r/#${secretText}`],
    ['a short room id', `https://chat.example/r/abc#${secretText}`],
    ['a room id with a dot', `https://chat.example/r/room.123456#${secretText}`],
    ['a percent-encoded room id', `https://chat.example/r/room%2D123456#${secretText}`],
    ['an extra path segment', `https://chat.example/r/room-123456/extra#${secretText}`],
    ['a trailing slash', `https://chat.example/r/room-123456/#${secretText}`],
    ['a query string', `https://chat.example/r/room-123456?x=1#${secretText}`],
    ['an empty query string', `https://chat.example/r/room-123456?#${secretText}`],
    ['credentials', `https://user:pass@chat.example/r/room-123456#${secretText}`],
    ['a backslash', `https://chat.example\\r\\room-123456#${secretText}`],
    ['whitespace inside', `https://chat.example/r/room-123456# ${secretText}`],
    ['a short secret', `https://chat.example/r/room-123456#${secretText.slice(0, 42)}`],
    ['a long secret', `https://chat.example/r/room-123456#${secretText}A`],
    ['a padded secret', `https://chat.example/r/room-123456#${secretText}=`],
    ['a non-canonical secret', `https://chat.example/r/room-123456#${secretText.slice(0, 42)}B`],
    ['a standard-base64 secret', `https://chat.example/r/room-123456#${secretText.slice(0, 41)}+/`],
    ['a second fragment', `https://chat.example/r/room-123456#${secretText}#x`],
  ])('reject a link with %s', async (_, link) => {
    await expectCryptoError(() => parseInviteLink(link), 'INVALID_LINK');
  });

  it('rejects a non-string', async () => {
    await expectCryptoError(() => parseInviteLink(undefined as unknown as string), 'INVALID_LINK');
  });

  it('refuses to format with a bad base URL, id or secret', async () => {
    await expectCryptoError(() => formatInviteLink('ftp://chat.example', 'room-123456', secret), 'INVALID_INPUT');
    await expectCryptoError(() => formatInviteLink('chat.example', 'room-123456', secret), 'INVALID_INPUT');
    await expectCryptoError(() => formatInviteLink('https://chat.example/?x=1', 'room-123456', secret), 'INVALID_INPUT');
    await expectCryptoError(() => formatInviteLink('https://chat.example/#x', 'room-123456', secret), 'INVALID_INPUT');
    await expectCryptoError(() => formatInviteLink('https://u:p@chat.example', 'room-123456', secret), 'INVALID_INPUT');
    await expectCryptoError(() => formatInviteLink('https://chat.example', 'room/1', secret), 'INVALID_ID');
    await expectCryptoError(() => formatInviteLink('https://chat.example', 'room-123456', new Uint8Array(31)), 'INVALID_INPUT');
  });
});

describe('file links', () => {
  it('round-trip', () => {
    const link = formatFileLink('https://chat.example/sealroom/', 'file-abcdef', fileKey);
    expect(link).toBe(`https://chat.example/sealroom/f/file-abcdef#${fileKeyText}`);
    expect(parseFileLink(link)).toEqual({ baseUrl: 'https://chat.example/sealroom', fileId: 'file-abcdef', fileKey });
  });

  it.each([
    ['no fragment', 'https://chat.example/f/file-abcdef'],
    ['an empty fragment', 'https://chat.example/f/file-abcdef#'],
    ['a short key', `https://chat.example/f/file-abcdef#${fileKeyText.slice(0, 42)}`],
    ['an invite path', `https://chat.example/r/file-abcdef#${fileKeyText}`],
    ['a bad file id', `https://chat.example/f/file#${fileKeyText}`],
    ['an extra path segment', `https://chat.example/f/file-abcdef/x#${fileKeyText}`],
    ['a query string', `https://chat.example/f/file-abcdef?download=1#${fileKeyText}`],
    ['a non-http scheme', `ws://chat.example/f/file-abcdef#${fileKeyText}`],
  ])('reject a link with %s', async (_, link) => {
    await expectCryptoError(() => parseFileLink(link), 'INVALID_LINK');
  });

  it('refuses to format with a bad id or key', async () => {
    await expectCryptoError(() => formatFileLink('https://chat.example', 'f', fileKey), 'INVALID_ID');
    await expectCryptoError(() => formatFileLink('https://chat.example', 'file-abcdef', new Uint8Array(16)), 'INVALID_INPUT');
  });
});
