/**
 * Transfer progress for `send`, `get` and `/file`: a cli-progress bar with speed and ETA on stderr when it
 * is a terminal, nothing otherwise (so piped output and logs stay clean).
 */
import { SingleBar } from 'cli-progress';
import type { TransferProgress } from '@sealroom/sdk/node';
import { formatBytes } from './cli-output.js';

export interface ProgressReporter {
  update(progress: TransferProgress): void;
  stop(): void;
}

const silent: ProgressReporter = { update: () => undefined, stop: () => undefined };

export function progressReporter(label: string, stream: NodeJS.WriteStream = process.stderr): ProgressReporter {
  if (!stream.isTTY) return silent;
  const bar = new SingleBar({
    stream,
    format: `${label} [{bar}] {percentage}% | {done}/{size} | {speed} | ETA {eta_formatted}`,
    barsize: 24,
    hideCursor: true,
    clearOnComplete: false,
    etaBuffer: 20,
  });
  const started = Date.now();
  let running = false;
  return {
    update({ loaded, total }) {
      const seconds = Math.max((Date.now() - started) / 1000, 0.001);
      const payload = { done: formatBytes(loaded), size: formatBytes(total), speed: `${formatBytes(loaded / seconds)}/s` };
      if (!running) {
        bar.start(Math.max(total, 1), loaded, payload);
        running = true;
      } else bar.update(loaded, payload);
    },
    stop() {
      if (running) bar.stop();
      running = false;
    },
  };
}
