/**
 * README's advice for a busy node: the Node option it suggests (in NODE_OPTIONS, which accepts only some of V8's
 * options) must start Node, and must do what README says: a young generation of that many MB per half instead of
 * Node's 16. Read from V8's heap limit, which reserves three semi-spaces for the young generation; the size the
 * young generation has actually grown to depends on GC heuristics and would make this test flaky.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const README = fs.readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');
const DEFAULT_SEMI_SPACE_MB = 16; // V8's maximum on 64-bit machines, Node 20

function heapLimitMb(nodeOptions: string): number {
  const run = spawnSync(process.execPath, ['-p', "require('node:v8').getHeapStatistics().heap_size_limit / 2 ** 20"], {
    env: { ...process.env, NODE_OPTIONS: nodeOptions },
    encoding: 'utf8',
  });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return Number(run.stdout);
}

describe("README's NODE_OPTIONS for a busy node", () => {
  const suggested = /NODE_OPTIONS=(--max-semi-space-size=(\d+))/.exec(README);

  it('is accepted by Node in NODE_OPTIONS and sets the young generation to that size per half', () => {
    expect(suggested).not.toBeNull();
    const [, options, semiSpaceMb] = suggested as RegExpExecArray;
    expect(heapLimitMb(options) - heapLimitMb('')).toBe(3 * (Number(semiSpaceMb) - DEFAULT_SEMI_SPACE_MB));
  });
});
