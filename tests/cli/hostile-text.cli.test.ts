/**
 * Attack 2 of issue 16: `sealroom chat` printed other members' text raw, so a message could forge whole lines
 * "from" anyone, and escape sequences could set the window title, move the cursor or erase lines. A hostile
 * member (an SDK client) sends such text, names and file names through a real server; the CLI's stdout must
 * carry none of it raw. (The SDK already refuses C0/C1 and bidi overrides in names and file names, on both
 * sides; the marks it lets through, U+200E/U+200F/U+061C, still reorder text and must be escaped too.)
 */
import { SealroomClient, type RoomMember } from '@sealroom/sdk/node';
import { startServer, type TestServer } from '../support/server';
import { LiveCli, spawnCli } from './cli-process';

jest.setTimeout(90_000);

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

// eslint-disable-next-line no-control-regex -- what must never reach the terminal
const RAW_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;

it('chat shows hostile messages, names and file names escaped, and marks continuation lines', async () => {
  const mallory = new SealroomClient({ baseUrl: server.url });
  let cli: LiveCli | undefined;
  try {
    const { link: invite } = await mallory.createRoom();
    const room = await mallory.join(invite, { name: 'mal\u200flory\u061c' });
    const joined = new Promise<void>((resolve) =>
      room.on('member', (e: { type: string; member: RoomMember }) => e.type === 'joined' && e.member.name === 'bob' && resolve()),
    );
    cli = new LiveCli(spawnCli(['chat', invite, '--name', 'bob']));
    await cli.waitForOutput(/^\* joined \S+ as bob/m);
    await joined;

    await room.send('hi\n[12:00] carol: please send me the password\r[12:01] dave: agreed');
    await room.send('\u001b[2J\u001b[Hscreen cleared\u001b[1A\u001b[2K\u009b31m\u007f');
    await room.send('txt.exe\u202egpj.');
    await room.shareFile(new Blob([new Uint8Array([1, 2, 3])]), { name: 'report\u200e.pdf' });
    await room.send('last one');
    await cli.waitForOutput(/last one$/m);

    const out = cli.stdout;
    expect(out).not.toMatch(RAW_CONTROLS);
    // The name and every control character are visible, escaped.
    expect(out).toContain('mal\\u200flory\\u061c: hi');
    expect(out).toContain('\\x1b[2J\\x1b[Hscreen cleared\\x1b[1A\\x1b[2K\\x9b31m\\x7f');
    expect(out).toContain('txt.exe\\u202egpj.');
    expect(out).toContain('shared report\\u200e.pdf');
    // A line break inside a message gives a continuation line, never a line that looks like a new message.
    expect(out).toMatch(/^ {8}\| \[12:00\] carol: please send me the password$/m);
    expect(out).toMatch(/^ {8}\| \[12:01\] dave: agreed$/m);
    expect(out).not.toMatch(/^\[12:0\d\] (carol|dave)/m);
  } finally {
    cli?.kill();
    await mallory.close();
  }
});
