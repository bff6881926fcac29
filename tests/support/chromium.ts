/**
 * The Chromium the browser tests drive with playwright-core, found in the order `npm test`'s pretest step
 * (scripts/test-prerequisites.mjs) makes sure one exists: CHROMIUM_PATH, Debian's /usr/bin/chromium, or a
 * browser playwright downloaded.
 */
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Flags for a headless Chromium on a machine with a closed network (no background fetches, no GPU). */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', chromium.executablePath()];
  const found = candidates.find((candidate): candidate is string => Boolean(candidate) && fs.existsSync(candidate as string));
  if (!found) throw new Error('no Chromium for the browser tests: run `npm test` (its pretest step installs one) or set CHROMIUM_PATH');
  return found;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
}
