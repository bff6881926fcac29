import {
  CRYPTO_ERROR_CODES,
  DecryptError,
  InvalidInputError,
  SealroomCryptoError,
  base64urlDecode,
  base64urlDecodeExact,
  base64urlEncode,
  concatBytes,
  hexDecode,
  hexEncode,
  isSealroomCryptoError,
  utf8Decode,
  utf8Encode,
} from '../src/crypto/index.js';
import { expectCryptoError } from './support/test-helpers.js';

const ascii = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));

describe('base64url', () => {
  // RFC 4648 section 10, in the URL-safe alphabet without padding.
  it.each([
    ['', ''],
    ['f', 'Zg'],
    ['fo', 'Zm8'],
    ['foo', 'Zm9v'],
    ['foob', 'Zm9vYg'],
    ['fooba', 'Zm9vYmE'],
    ['foobar', 'Zm9vYmFy'],
  ])('encodes and decodes the RFC 4648 vector %j', (plain, encoded) => {
    expect(base64urlEncode(ascii(plain))).toBe(encoded);
    expect(base64urlDecode(encoded)).toEqual(ascii(plain));
  });

  it('uses - and _ instead of + and /', () => {
    expect(base64urlEncode(Uint8Array.of(0xfb, 0xff))).toBe('-_8');
    expect(base64urlDecode('-_8')).toEqual(Uint8Array.of(0xfb, 0xff));
  });

  it('round-trips every length from 0 to 100 bytes and agrees with Node', () => {
    for (let length = 0; length <= 100; length++) {
      const bytes = globalThis.crypto.getRandomValues(new Uint8Array(length));
      const encoded = base64urlEncode(bytes);
      expect(encoded).toBe(Buffer.from(bytes).toString('base64url'));
      expect(base64urlDecode(encoded)).toEqual(bytes);
    }
  });

  it.each([
    ['padding', 'Zg=='],
    ['single padding character', 'Zm8='],
    ['impossible length', 'Zm9vY'],
    ['a lone character', 'Z'],
    ['standard alphabet +', 'ab+c'],
    ['standard alphabet /', 'ab/c'],
    ['whitespace', 'Zm9v Yg'],
    ['trailing newline', 'Zm9v\n'],
    ['non-ASCII', 'Zm9vé'],
    ['non-canonical trailing bits (1 byte)', 'Zh'],
    ['non-canonical trailing bits (2 bytes)', 'Zm9'],
  ])('rejects %s', async (_, text) => {
    await expectCryptoError(() => base64urlDecode(text), 'INVALID_ENCODING');
  });

  it('decodes values of an exact length, and rejects other lengths', async () => {
    expect(base64urlDecodeExact('Zm9v', 3, 'value')).toEqual(ascii('foo'));
    await expectCryptoError(() => base64urlDecodeExact('Zm9vYg', 3, 'value'), 'INVALID_INPUT');
    await expectCryptoError(() => base64urlDecodeExact('Zm9v=', 3, 'value'), 'INVALID_ENCODING');
  });
});

describe('hex', () => {
  it('round-trips and writes lowercase', () => {
    const bytes = Uint8Array.of(0x00, 0x0f, 0xab, 0xff);
    expect(hexEncode(bytes)).toBe('000fabff');
    expect(hexDecode('000FabFF')).toEqual(bytes);
    expect(hexDecode('')).toEqual(new Uint8Array(0));
  });

  it.each(['abc', '0g', '0x00', ' 00'])('rejects %j', async (text) => {
    await expectCryptoError(() => hexDecode(text), 'INVALID_ENCODING');
  });
});

describe('UTF-8', () => {
  it('round-trips multi-byte text', () => {
    const text = 'Grüße 👋 ✓';
    expect(utf8Encode(text)).toEqual(new Uint8Array(Buffer.from(text, 'utf8')));
    expect(utf8Decode(utf8Encode(text))).toBe(text);
  });

  it.each([
    ['a lone continuation byte', [0x80]],
    ['an invalid byte', [0xff]],
    ['an overlong encoding', [0xc0, 0x80]],
    ['a truncated sequence', [0xe2, 0x82]],
    ['an encoded surrogate', [0xed, 0xa0, 0x80]],
  ])('rejects %s', async (_, bytes) => {
    await expectCryptoError(() => utf8Decode(Uint8Array.from(bytes)), 'INVALID_ENCODING');
  });
});

describe('concatBytes', () => {
  it('joins arrays in order', () => {
    expect(concatBytes([Uint8Array.of(1, 2), new Uint8Array(0), Uint8Array.of(3)])).toEqual(Uint8Array.of(1, 2, 3));
    expect(concatBytes([])).toEqual(new Uint8Array(0));
  });
});

describe('errors', () => {
  it('have unique codes', () => {
    expect(new Set(CRYPTO_ERROR_CODES).size).toBe(CRYPTO_ERROR_CODES.length);
  });

  it('form a hierarchy under SealroomCryptoError with a stable code', () => {
    const error = new DecryptError('bad', 'TRUNCATED');
    expect(error).toBeInstanceOf(SealroomCryptoError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('DecryptError');
    expect(error.code).toBe('TRUNCATED');
    expect(isSealroomCryptoError(error)).toBe(true);
    expect(isSealroomCryptoError(error, 'TRUNCATED')).toBe(true);
    expect(isSealroomCryptoError(error, 'DECRYPT_FAILED')).toBe(false);
    expect(isSealroomCryptoError(new Error('other'))).toBe(false);
    expect(new InvalidInputError('x').code).toBe('INVALID_INPUT');
  });
});
