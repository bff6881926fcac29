/**
 * `sealroom chat`: an interactive room. node:readline keeps the prompt; incoming lines are written above it.
 * With stdin piped, each line is a message (or a command), and the room is left when stdin ends.
 * The conversation goes to stdout: `[HH:MM] name: text` for messages (further lines of the same message as
 * `        | text`), `* ...` for members, files and status, and `! ...` for warnings about identities (a name back
 * with another key, two people with one name) and for what the SDK dropped because it failed its signature
 * check. Everything that comes from the room is escaped (terminal-text.ts). `/verify <name>` shows the safety
 * code and marks the member verified when the user says yes; identity keys and what was verified are kept per
 * room in the config directory (config-store.ts).
 */
import { createReadStream, existsSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { clearLine, createInterface, cursorTo, type Interface } from 'node:readline';
import type { Command } from 'commander';
import { SealroomClient, type DroppedEvent, type NodeFileSource, type Room, type RoomFile, type RoomMember } from '@sealroom/sdk/node';
import { formatBytes } from '../cli-output.js';
import { ConfigIdentityStore } from '../config-store.js';
import { CliError, EXIT, describeFailure } from '../exit-codes.js';
import { progressReporter } from '../progress-reporter.js';
import { safeInline, safeLines } from '../terminal-text.js';
import { joinRoom } from '../room-join.js';
import { checkLocalFile, checkServerTakes } from './send.command.js';

interface ChatFlags {
  name: string;
  password?: boolean;
}

const HELP =
  'commands: /file <path> shares a file, /get [n] [path] saves file n shared here (default: the latest) in the current folder or at path, /members lists who is here, /verify <name> compares safety codes with someone, /quit leaves (Ctrl-D too)';

/** A member's display name, safe to print (see terminal-text.ts). */
function who(member: RoomMember): string {
  return member.name === null ? `(unreadable name ${safeInline(member.id.slice(0, 6))})` : safeInline(member.name);
}

/** `name [verified] [key changed] [same name]`, for /members. */
function withTags(member: RoomMember): string {
  const tags = [
    member.self ? 'you' : null,
    !member.self && member.verified ? 'verified' : null,
    member.keyChanged ? 'key changed' : null,
    member.sameName ? `same name, id ${member.id.slice(0, 8)}` : null,
    !member.self && member.identityKey === null ? 'unverifiable' : null,
  ].filter((tag) => tag !== null);
  return tags.length > 0 ? `${who(member)} (${tags.join(', ')})` : who(member);
}

const DROP_REASON: Record<DroppedEvent['reason'], string> = {
  bad_signature: 'its signature does not verify: forged or altered on the way',
  unknown_sender: 'its sender is unknown here, so it cannot be checked',
  undecryptable: 'it does not decrypt for its sender: relabelled or moved',
  invalid_payload: 'it is malformed',
};

function keyChangedWarning(member: RoomMember): string {
  return `! warning: ${who(member)}'s identity key changed since this config last saw that name: it may be someone else. Compare safety codes: /verify ${who(member)}`;
}

function sameNameWarning(member: RoomMember): string {
  return `! warning: more than one person here is called ${who(member)}: compare safety codes (/verify ${who(member)}) before trusting either`;
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
  return `* ${who(file.from)} shared ${safeInline(file.name)} (${formatBytes(file.size)}, until ${clock(file.expiresAt)}, /get ${number}): ${safeInline(file.link)}`;
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
      const client = new SealroomClient({ identityStore: new ConfigIdentityStore() });
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
        // Every line of a multi-line message is marked as its continuation: a line break cannot forge a message.
        if (!m.from.self) print(safeLines(`[${clock(m.sentAt)}] ${who(m.from)}: `, m.text));
      });
      room.on('file', (f) => {
        if (!f.from.self) announce(f);
      });
      room.on('member', (e) => {
        print(`* ${who(e.member)} ${e.type === 'joined' ? 'joined' : e.reason === 'disconnected' ? 'disconnected' : 'left'}`);
        if (e.type === 'joined' && e.member.sameName) print(sameNameWarning(e.member));
      });
      // One warning per member appearance: from the event, or from the members present at the join (below).
      const keyChangeNoted = new Set<string>();
      const warnKeyChanged = (member: RoomMember) => {
        if (keyChangeNoted.has(member.id)) return;
        keyChangeNoted.add(member.id);
        print(keyChangedWarning(member));
      };
      room.on('key_changed', (e) => warnKeyChanged(e.member));
      room.on('dropped', (e) => {
        const sender = room.members.find((m) => m.id === e.memberId);
        const what = e.kind === 'profile' ? "a member's profile" : `a ${e.kind}`;
        print(`! dropped ${what}${sender ? ` claiming to be from ${who(sender)}` : ''}: ${DROP_REASON[e.reason]}`);
      });
      room.on('disconnect', () => print('* connection lost, reconnecting...'));
      room.on('reconnect', (e) => print(e.recovered ? '* reconnected' : '* reconnected (messages sent meanwhile were missed)'));
      room.on('closed', (e) => {
        print(`* the room was closed (${e.reason})`);
        finish(EXIT.NOT_FOUND);
      });
      room.on('error', (error) => process.stderr.write(`sealroom: ${describeFailure(error).message}\n`));

      print(`* joined ${safeInline(room.id)} as ${safeInline(flags.name)}; here: ${members()}`);
      // Members already here were checked during the join (their key_changed may come now or may have come already).
      for (const member of room.members) if (member.keyChanged) warnKeyChanged(member);
      const names = new Set<string>();
      for (const member of room.members) {
        if (member.sameName && member.name !== null && !names.has(member.name)) {
          names.add(member.name);
          print(sameNameWarning(member));
        }
      }
      if (interactive) print(`* ${HELP}`);

      // After /verify: the member whose code was shown, until the user answers yes or no on the next line.
      let confirming: RoomMember | null = null;
      const verifyCommand = async (target: string): Promise<void> => {
        if (target === '') throw new CliError('/verify takes the name of someone here (see /members)', EXIT.USAGE);
        const others = room.members.filter((m) => !m.self && m.identityKey !== null);
        let matches = others.filter((m) => m.name === target);
        if (matches.length === 0) matches = others.filter((m) => target.length >= 4 && m.id.startsWith(target));
        if (matches.length === 0) throw new CliError(`nobody called ${safeInline(target)} is here (see /members)`, EXIT.USAGE);
        if (matches.length > 1) {
          print(
            `! ${matches.length} people here are called ${safeInline(target)}: /verify <id> with one of ${matches.map((m) => m.id.slice(0, 8)).join(', ')}`,
          );
          return;
        }
        const member = matches[0]!;
        const code = await room.safetyCode(member);
        print(`* safety code with ${who(member)}: ${code}`);
        if (member.keyChanged) print(keyChangedWarning(member));
        print(`* compare it with the code ${who(member)} sees for you, in person or on a call (not in this room).`);
        print(`* do they see the same digits? mark ${who(member)} as verified? [y/N]`);
        confirming = member;
      };

      // Lines are handled one after another, so messages keep their order and /quit waits for earlier sends.
      let queue = Promise.resolve();
      const handle = async (line: string): Promise<void> => {
        const text = line.trim();
        if (confirming !== null) {
          const member: RoomMember = confirming;
          confirming = null;
          if (/^(y|yes)$/i.test(text)) {
            await room.verify(member);
            print(`* ${who(member)} is verified (remembered for this room until their key changes)`);
          } else {
            print(`* ${who(member)} not marked as verified`);
          }
          return;
        }
        if (text === '') return;
        if (text === '/quit') return finish(EXIT.OK);
        if (text === '/help') return print(`* ${HELP}`);
        if (text === '/members') return print(`* here: ${room.members.map(withTags).join(', ')}`);
        if (text === '/verify' || text.startsWith('/verify ')) return verifyCommand(text.slice('/verify'.length).trim());
        if (text.startsWith('/file ')) {
          const path = text.slice('/file '.length).trim();
          const progress = progressReporter('upload');
          try {
            const size = await checkLocalFile(path);
            await checkServerTakes(client, path, size);
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
          print(`* saved ${safeInline(file.name)} to ${safeInline(target)}`);
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
