/**
 * Reads a V8 CPU profile of a sustained run (`BENCH_PHASES=sustained BENCH_PROFILE=<dir>`) and splits it at the
 * run's minutes, to tell a cost that grows with the process's age from a machine that slows down: per minute,
 * how long the main thread was busy, and each of the busiest functions' share of that time. A function whose
 * share grows is the server's own doing; every share staying put while the busy time moves is the machine (or a
 * cost spread evenly over everything, which the load generator's own CPU per delivery then tells apart).
 *
 *   npm run bench:profile-by-minute -- <dir>/sustained-sealroom.cpuprofile [functions shown (20)]
 *
 * The minutes' boundaries come from `<profile>.minutes.json`, which the benchmark writes beside the profile
 * (the server's clock when each minute started and ended, the clock its profile's sample times use).
 */
import fs from 'node:fs';
import { busiestFunctions, splitProfile, type CpuProfile } from './support/profile-minutes';

const [file, count = '20'] = process.argv.slice(2);
if (!file?.endsWith('.cpuprofile')) {
  console.error('usage: npm run bench:profile-by-minute -- <file.cpuprofile> [functions shown]');
  process.exit(2);
}
const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
const boundariesUs = JSON.parse(fs.readFileSync(file.replace(/\.cpuprofile$/, '.minutes.json'), 'utf8')) as number[];
const minutes = splitProfile(profile, boundariesUs);

const row = (cells: string[]) => console.log(`| ${cells.join(' | ')} |`);
row(['minute', ...minutes.map((_, k) => String(k + 1))]);
row(['---', ...minutes.map(() => '---')]);
row(['main thread busy, s', ...minutes.map((m) => (m.busyUs / 1e6).toFixed(2))]);
for (const label of busiestFunctions(minutes, Number(count))) {
  row([`\`${label}\`, % of busy`, ...minutes.map((m) => (((m.selfUs.get(label) ?? 0) / m.busyUs) * 100).toFixed(1))]);
}
