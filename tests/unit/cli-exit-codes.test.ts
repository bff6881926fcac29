import { EXIT, describeFailure } from '../../cli/src/exit-codes';
import { safeInline, safeLines } from '../../cli/src/terminal-text';

describe('the CLI and the refusals of issue 16', () => {
  it.each([
    ['IP_QUOTA_EXCEEDED', EXIT.TOO_LARGE],
    ['ROOM_QUOTA_EXCEEDED', EXIT.TOO_LARGE],
    ['UPLOAD_TOO_SLOW', EXIT.NETWORK],
    ['ORIGIN_NOT_ALLOWED', EXIT.ACCESS_DENIED],
    ['TOO_MANY_UPLOADS', EXIT.RUNTIME],
  ])('%s exits %i', (code, exitCode) => {
    expect(describeFailure(Object.assign(new Error('refused'), { code })).exitCode).toBe(exitCode);
  });

  it('prints a hostile server message and code with their control characters escaped', () => {
    const { message } = describeFailure(Object.assign(new Error('bad\u001b]0;title\u0007 news'), { code: 'X\u001b[2J' }));
    expect(message).toBe('bad\\x1b]0;title\\x07 news (X\\x1b[2J)');
  });

  it('escapes C0, C1, DEL and bidi controls, and marks continuation lines', () => {
    expect(safeInline('a\u0000b\u009bc\u007fd\u202ee\u2067f\nx')).toBe('a\\x00b\\x9bc\\x7fd\\u202ee\\u2067f\\nx');
    expect(safeLines('[12:00] mallory: ', 'hi\r\n[12:01] bob: yes\u2028more')).toBe(
      '[12:00] mallory: hi\n        | [12:01] bob: yes\n        | more',
    );
  });
});
