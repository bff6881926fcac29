/**
 * The request file's multipart encoder (sdk/codegen/request.ts, generated into generated/rest/core): exact
 * bytes, the spec's field order, lazy Blob and stream parts with an exact length. Bodies are parsed back with
 * the platform's own multipart parser (Response.formData()).
 */
import { encodeMultipart, orderedFormFields, type MultipartBody } from '../src/generated/rest/core/request.js';

async function bodyBytes(body: MultipartBody): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await new Response(body.body).arrayBuffer());
}

async function parse(body: MultipartBody): Promise<FormData> {
  return new Response(await bodyBytes(body), { headers: { 'content-type': body.contentType } }).formData();
}

const allBytes = Uint8Array.from({ length: 512 }, (_, i) => i % 256);

describe('encodeMultipart', () => {
  it('encodes text fields and Blob parts as a Blob of exactly `length` bytes', async () => {
    const body = encodeMultipart([
      ['room_id', 'room-123'],
      ['file', new Blob([allBytes], { type: 'application/x-test' })],
      ['note', 'Grüße ✓'],
    ]);
    expect(body.body).toBeInstanceOf(Blob);
    expect(body.contentType).toMatch(/^multipart\/form-data; boundary=----SealroomFormBoundary[0-9a-f]{32}$/);
    const bytes = await bodyBytes(body);
    expect(bytes.length).toBe(body.length);
    const form = await parse(body);
    expect([...form.keys()]).toEqual(['room_id', 'file', 'note']);
    expect(form.get('room_id')).toBe('room-123');
    expect(form.get('note')).toBe('Grüße ✓');
    const file = form.get('file') as File;
    expect(file.type).toBe('application/x-test');
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(allBytes);
  });

  it('streams a stream part, with the same bytes as the Blob encoding', async () => {
    const chunks = [allBytes.slice(0, 100), allBytes.slice(100, 101), allBytes.slice(101)];
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(chunk);
        controller.close();
      },
    });
    const body = encodeMultipart([
      ['a', '1'],
      ['file', { stream, size: allBytes.length }],
    ]);
    expect(body.body).toBeInstanceOf(ReadableStream);
    const bytes = await bodyBytes(body);
    expect(bytes.length).toBe(body.length);
    const form = await parse({ ...body, body: new Blob([bytes]) });
    expect(new Uint8Array(await (form.get('file') as File).arrayBuffer())).toEqual(allBytes);
  });

  it.each([
    ['shorter', 511],
    ['longer', 513],
  ])('fails a stream part that is %s than declared', async (_what, declared) => {
    const stream = new Blob([allBytes]).stream() as ReadableStream<Uint8Array>;
    const body = encodeMultipart([['file', { stream, size: declared }]]);
    await expect(bodyBytes(body)).rejects.toThrow(/declared/);
  });

  it('escapes quotes and line breaks in names as browsers do', async () => {
    const body = encodeMultipart([['we"ird\r\nname', 'x']]);
    const text = new TextDecoder().decode(await bodyBytes(body));
    expect(text).toContain('name="we%22ird%0D%0Aname"');
  });

  it('uses a fresh boundary each time', () => {
    expect(encodeMultipart([]).contentType).not.toBe(encodeMultipart([]).contentType);
  });
});

describe('orderedFormFields', () => {
  it("puts an operation's fields in the spec's order, whatever the caller's order", () => {
    const file = new Blob(['x']);
    const fields = orderedFormFields({
      method: 'POST',
      url: '/upload_file',
      formData: { max_downloads: '3', file, size: '1', proof: 'p', room_id: 'r', extra: undefined },
    });
    expect(fields.map(([name]) => name)).toEqual(['room_id', 'proof', 'size', 'file', 'max_downloads']);
  });

  it('puts text before files for operations the spec does not list', () => {
    const fields = orderedFormFields({ method: 'POST', url: '/other', formData: { b: new Blob(['x']), a: 'text', n: 5, o: { k: 1 } } });
    expect(fields).toEqual([
      ['a', 'text'],
      ['n', '5'],
      ['o', '{"k":1}'],
      ['b', expect.any(Blob)],
    ]);
  });
});
