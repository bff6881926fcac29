/**
 * `sealroom chat`: an interactive room. node:readline keeps the prompt; incoming lines are written above it.
 * With stdin piped, each line is a message (or a command), and the room is left when stdin ends.
 * The conversation goes to stdout: `[HH:MM] name: text` for messages, `* ...` for members, files and status.
 */
import { createReadStream, existsSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { clearLine, createInterface, cursorTo, type Interface } from 'node:readline';
import type { Command } from 'commander';
import { SealroomClient, type NodeFileSource, type Room, type RoomFile, type RoomMember } from '@sealroom/sdk/node';
import { formatBytes } from '../cli-output.js';
import { CliError, EXIT, describeFailure } from '../exit-codes.js';
import { progressReporter } from '../progress-reporter.js';
import { joinRoom } from '../room-join.js';
import { checkLocalFile } from './send.command.js';

interface ChatFlags {
  name: string;
  password?: boolean;
}

const HELP =
  'commands: /file <path> shares a file, /get [n] [path] saves file n shared here (default: the latest) in the current folder or at path, /members lists who is here, /quit leaves (Ctrl-D too)';

function who(member: RoomMember): string {
  return member.name ?? `(unreadable name ${member.id.slice(0, 6)})`;
}

function clock(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

/** Prints a line above the prompt without disturbing what the user is typing. */
function lineWriter(rl: Interface, interactive: boolean): (line: string) => void {
  return (line) => {
    if (!interactive) {
      process.stdout.write(`${line}\n`);
      return;
    }
    clearLine(process.stdout, 0);
    cursorTo(process.stdout, 0);
    process.stdout.write(`${line}\n`);
    rl.prompt(true);
  };
}

function describeFile(file: RoomFile, number: number): string {
  return `* ${who(file.from)} shared ${file.name} (${formatBytes(file.size)}, until ${clock(file.expiresAt)}, /get ${number}): ${file.link}`;
}

/** `name` in the current folder, or `name (1).ext`, ... when taken: a download never replaces a file. */
function freePath(name: string): string {
  const safe = basename(name).replace(/^\.+/, '') || 'download';
  const ext = extname(safe);
  const stem = safe.slice(0, safe.length - ext.length);
  for (let n = 0; ; n++) {
    const candidate = resolve(n === 0 ? safe : `${stem} (${n})${ext}`);
    if (!existsSync(candidate)) return candidate;
  }
}

export function registerChat(program: Command): void {
  program
    .command('chat')
    .description('join a room and chat: type a line to send it, /file <path> to share a file, /quit to leave')
    .argument('<invite>', 'the room invite link')
    .option('-n, --name <name>', 'your display name in the room', process.env.USER ?? 'sealroom-cli')
    .option('-p, --password', 'the room has a password (asked on the terminal, or SEALROOM_PASSWORD when stdin is piped)')
    .action(async (invite: string, flags: ChatFlags) => {
      const client = new SealroomClient();
      const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true;
      let room: Room<NodeFileSource>;
      try {
        room = await joinRoom(client, invite, flags.name, { stdinAllowed: false, password: flags.password === true });
      } catch (error) {
        await client.close();
        throw error;
      }

      const rl = createInterface({
        input: process.stdin,
        output: interactive ? process.stdout : undefined,
        terminal: interactive,
        prompt: '> ',
      });
      const print = lineWriter(rl, interactive);
      const members = () => room.members.map((m) => (m.self ? `${who(m)} (you)` : who(m))).join(', ');

      // Files announced while here, numbered from 1 for /get.
      const files: RoomFile[] = [];
      const announce = (file: RoomFile) => {
        files.push(file);
        print(describeFile(file, files.length));
      };

      let finish!: (code: number) => void;
      const finished = new Promise<number>((resolve) => (finish = resolve));

      room.on('message', (m) => {
        if (!m.from.self) print(`[${clock(m.sentAt)}] ${who(m.from)}: ${m.text}`);
      });
      room.on('file', (f) => {
        if (!f.from.self) announce(f);
      });
      room.on('member', (e) =>
        print(`* ${who(e.member)} ${e.type === 'joined' ? 'joined' : e.reason === 'disconnected' ? 'disconnected' : 'left'}`),
      );
      room.on('disconnect', () => print('* connection lost, reconnecting...'));
      room.on('reconnect', (e) => print(e.recovered ? '* reconnected' : '* reconnected (messages sent meanwhile were missed)'));
      room.on('closed', (e) => {
        print(`* the room was closed (${e.reason})`);
        finish(EXIT.NOT_FOUND);
      });
      room.on('error', (error) => process.stderr.write(`sealroom: ${describeFailure(error).message}\n`));

      print(`* joined ${room.id} as ${flags.name}; here: ${members()}`);
      if (interactive) print(`* ${HELP}`);

      // Lines are handled one after another, so messages keep their order and /quit waits for earlier sends.
      let queue = Promise.resolve();
      const handle = async (line: string): Promise<void> => {
        const text = line.trim();
        if (text === '') return;
        if (text === '/quit') return finish(EXIT.OK);
        if (text === '/help') return print(`* ${HELP}`);
        if (text === '/members') return print(`* here: ${members()}`);
        if (text.startsWith('/file ')) {
          const path = text.slice('/file '.length).trim();
          const progress = progressReporter('upload');
          try {
            const size = await checkLocalFile(path);
            const shared = await room.shareFile(createReadStream(path), { size, onProgress: (p) => progress.update(p) });
            progress.stop();
            announce(shared);
          } finally {
            progress.stop();
          }
          return;
        }
        if (text === '/get' || text.startsWith('/get ')) {
          const [which, ...rest] = text.slice('/get'.length).trim().split(/\s+/).filter(Boolean);
          const number = which === undefined ? files.length : Number(which);
          const file = files[number - 1];
          if (!Number.isInteger(number) || file === undefined) {
            throw new CliError(
              files.length === 0 ? 'no file was shared here yet' : `/get takes a file number from 1 to ${files.length}`,
              EXIT.USAGE,
            );
          }
          const target = rest.length > 0 ? resolve(rest.join(' ')) : freePath(file.name);
          const progress = progressReporter('download');
          try {
            await client.saveFile(file, target, { onProgress: (p) => progress.update(p) });
          } finally {
            progress.stop();
          }
          print(`* saved ${file.name} to ${target}`);
          return;
        }
        if (text.startsWith('/')) throw new CliError(`unknown command ${text.split(' ')[0]}; ${HELP}`, EXIT.USAGE);
        await room.send(line);
      };
      rl.on('line', (line) => {
        queue = queue.then(() =>
          handle(line).catch((error: unknown) => {
            const { exitCode, message } = describeFailure(error);
            process.stderr.write(`sealroom: ${message}\n`);
            if (exitCode === EXIT.NOT_FOUND && room.state === 'closed') finish(exitCode);
          }),
        );
      });
      rl.on('close', () => void queue.then(() => finish(EXIT.OK))); // end of input (Ctrl-D, or the pipe closed)
      rl.on('SIGINT', () => finish(EXIT.OK)); // Ctrl-C at the prompt leaves the room cleanly

      const code = await finished;
      await queue.catch(() => undefined);
      rl.close();
      await client.close();
      if (code !== EXIT.OK) throw new CliError(`the room ${room.id} is closed`, code as typeof EXIT.NOT_FOUND);
    });
}
