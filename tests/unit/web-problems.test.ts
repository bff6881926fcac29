import { SealroomServerError } from '@sealroom/sdk';
import { errorSentence, problemFrom } from '../../web/src/lib/problems';

/** The web client explains each refusal of issue 16 in words of its own, not the generic "Something went wrong". */
describe('the web client’s words for the abuse-limit refusals', () => {
  const codes = ['IP_QUOTA_EXCEEDED', 'ROOM_QUOTA_EXCEEDED', 'TOO_MANY_UPLOADS', 'UPLOAD_TOO_SLOW', 'ORIGIN_NOT_ALLOWED'] as const;

  it.each(codes)('%s has its own headline and sentence', (code) => {
    const error = new SealroomServerError(code, 'server text');
    const problem = problemFrom(error);
    expect(problem.title).not.toBe('Something went wrong');
    expect(problem.detail).not.toContain('server text');
    expect(errorSentence(error)).not.toContain('Something went wrong');
  });

  it('gives each code a different headline', () => {
    const titles = codes.map((code) => problemFrom(new SealroomServerError(code, 'x')).title);
    expect(new Set(titles).size).toBe(codes.length);
  });
});
