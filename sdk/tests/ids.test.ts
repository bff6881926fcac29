import { ID_PATTERN, assertValidId, isValidId, randomId } from '../src/crypto/index.js';
import { expectCryptoError } from './support/test-helpers.js';

describe('ids', () => {
  it.each(['abcdef', 'A-b_C-9', 'x'.repeat(36), 'vector-room-1', '______'])('accepts %j', (id) => {
    expect(isValidId(id)).toBe(true);
    expect(assertValidId(id, 'room_id')).toBe(id);
  });

  it.each([
    ['too short', 'abcde'],
    ['too long', 'x'.repeat(37)],
    ['empty', ''],
    ['a dot', 'abc.def'],
    ['a slash', 'abc/def'],
    ['a pipe (the AAD separator)', 'abc|def'],
    ['a space', 'abc def'],
    ['a non-ASCII letter', 'abcdéf'],
    ['a trailing newline', 'abcdef\n'],
  ])('rejects an id with %s', async (_, id) => {
    expect(isValidId(id)).toBe(false);
    await expectCryptoError(() => assertValidId(id, 'member_id'), 'INVALID_ID');
  });

  it('rejects non-strings', () => {
    expect(isValidId(123456)).toBe(false);
    expect(isValidId(null)).toBe(false);
  });

  it('makes random 22-character ids that follow the rules', () => {
    const ids = new Set(Array.from({ length: 100 }, () => randomId()));
    expect(ids.size).toBe(100);
    for (const id of ids) {
      expect(id).toHaveLength(22);
      expect(id).toMatch(ID_PATTERN);
    }
  });
});
