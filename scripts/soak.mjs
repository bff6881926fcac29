#!/usr/bin/env node
// The long, opt-in soak (`npm run soak`): 100 clients in 10 rooms for SOAK_SECONDS (default 180) against a
// server in its own process, with the same per-recipient accounting as the short soak of the test suite, and
// the memory check on top: the server's mean RSS over the last minute may exceed the first minute's by at most
// SOAK_RSS_TOLERANCE (default 0.25, i.e. 25 %). Loopback only; it stops by itself. Exit code 1 on any failure.
import { tsImport } from 'tsx/esm/api';

const { runSoak } = await tsImport('../tests/reliability/soak-runner.ts', import.meta.url);
const tolerance = Number(process.env.SOAK_RSS_TOLERANCE ?? 0.25);
const report = await runSoak({
  clients: Number(process.env.SOAK_CLIENTS ?? 100),
  rooms: Number(process.env.SOAK_ROOMS ?? 10),
  durationMs: Number(process.env.SOAK_SECONDS ?? 180) * 1000,
  thinkMs: Number(process.env.SOAK_THINK_MS ?? 1000),
  log: (line) => console.log(line),
});

const failures = [];
const check = (ok, what) => ok || failures.push(what);
check(report.lost.length === 0, `lost deliveries: ${report.lost.slice(0, 5).join('; ')}`);
check(report.duplicated.length === 0, `duplicated deliveries: ${report.duplicated.slice(0, 5).join('; ')}`);
check(report.invented.length === 0, `invented deliveries: ${report.invented.slice(0, 5).join('; ')}`);
check(report.corruptFiles.length === 0, `corrupt files: ${report.corruptFiles.slice(0, 5).join('; ')}`);
check(report.downloadsChecked >= report.filesShared, 'not every file was downloaded and checked');
check(report.failedActions.length === 0, `failed actions: ${report.failedActions.slice(0, 5).join('; ')}`);
check(report.contractViolations.length === 0, `contract violations: ${report.contractViolations.slice(0, 5).join('; ')}`);
check(report.fdAfter <= report.fdBaseline, `file descriptors: ${report.fdBaseline} before, ${report.fdAfter} after`);
check(
  report.rssLastMinuteMiB <= report.rssFirstMinuteMiB * (1 + tolerance),
  `RSS grew from ${report.rssFirstMinuteMiB} MiB (first minute) to ${report.rssLastMinuteMiB} MiB (last minute), over ${tolerance * 100} %`,
);
console.log(`RSS samples (s: MiB): ${report.rss.map((s) => `${Math.round(s.atMs / 1000)}: ${Math.round(s.bytes / 1048576)}`).join(', ')}`);
if (failures.length) {
  console.error(`soak FAILED:\n- ${failures.join('\n- ')}`);
  process.exit(1);
}
console.log('soak passed');
process.exit(0);
