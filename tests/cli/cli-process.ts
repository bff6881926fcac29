/**
 * Runs the `sealroom` CLI as a real child process from its sources (`node --conditions=@sealroom/source
 * --import tsx cli/src/sealroom.ts`: the SDK from its sources too, through its package's `@sealroom/source`
 * export; the same code `npm run build` compiles to cli/dist), with pipes for stdin/stdout/stderr.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = path.resolve(__dirname, '..', '..');
const ENTRY = path.join(ROOT, 'cli/src/sealroom.ts');
/** tsx's loader by its path, so the CLI can run in any working folder. */
const TSX = pathToFileURL(path.join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: Record<string, string>;
  /** Written to stdin, which is then closed (stdin is always a pipe, never a terminal, here). */
  input?: string;
  cwd?: string;
}

/**
 * The CLI's config directory (identity keys, trust records, owner credentials) for this test file's runs, unless a
 * test passes its own SEALROOM_CONFIG_DIR: never the user's own ~/.config/sealroom.
 */
export const TEST_CONFIG_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'sealroom-cli-config-'));

function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', SEALROOM_CONFIG_DIR: TEST_CONFIG_DIR, ...extra };
  if (!('SEALROOM_PASSWORD' in extra)) delete env.SEALROOM_PASSWORD;
  return env;
}

export function spawnCli(args: string[], options: CliOptions = {}): ChildProcess {
  return spawn(process.execPath, ['--conditions=@sealroom/source', '--import', TSX, ENTRY, ...args], {
    cwd: options.cwd ?? ROOT,
    env: cliEnv(options.env),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Runs a command to its end. */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const child = spawnCli(args, options);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdin!.end(options.input ?? '');
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A long-running CLI (chat, serve) whose output is watched as it comes. */
export class LiveCli {
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;

  constructor(readonly child: ChildProcess) {
    child.stdout!.on('data', (c: Buffer) => (this.stdout += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (this.stderr += c.toString()));
    this.exited = new Promise((resolve) => child.once('close', (code) => resolve(code)));
  }

  /** Resolves when stdout matches; fails with everything seen so far after `timeoutMs`. */
  async waitForOutput(pattern: RegExp, timeoutMs = 20_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = this.stdout.match(pattern);
      if (match) return match;
      if (this.child.exitCode !== null || Date.now() > deadline) {
        throw new Error(
          `no ${pattern} in the CLI's output (exit ${this.child.exitCode}).\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`,
        );
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  write(line: string): void {
    this.child.stdin!.write(`${line}\n`);
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}
