/**
 * README's advice for a busy node: the Node option it suggests (in NODE_OPTIONS, which accepts only some of V8's
 * options) must start Node, and must do what README says it does: a larger young generation.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const README = fs.readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');

/** A process that fills its young generation with live objects and reports how large it grew. */
const PROBE = `
  const v8 = require('node:v8');
  const keep = [];
  for (let i = 0; i < 400_000; i++) keep.push({ i, s: 'x' + i });
  const young = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
  console.log(JSON.stringify({ youngMb: young.space_size / 2 ** 20, kept: keep.length }));`;

function youngGenerationMb(nodeOptions: string): number {
  const run = spawnSync(process.execPath, ['-e', PROBE], { env: { ...process.env, NODE_OPTIONS: nodeOptions }, encoding: 'utf8' });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return (JSON.parse(run.stdout) as { youngMb: number }).youngMb;
}

describe("README's NODE_OPTIONS for a busy node", () => {
  const suggested = /NODE_OPTIONS=(--max-semi-space-size=(\d+))/.exec(README);

  it('is accepted by Node in NODE_OPTIONS and gives a larger young generation than the default', () => {
    expect(suggested).not.toBeNull();
    const [, options, semiSpaceMb] = suggested as RegExpExecArray;
    const withDefaults = youngGenerationMb('');
    const withSuggested = youngGenerationMb(options);
    expect(withSuggested).toBeGreaterThan(withDefaults);
    expect(withSuggested).toBeLessThanOrEqual(2 * Number(semiSpaceMb));
  });
});
