/**
 * The GitHub Actions workflows: valid against the workflow schema (@action-validator/core, the maintained
 * validator's WebAssembly build, which also checks globs and job references), and doing what the release
 * process relies on. A broken copy must fail the validator, so the check is known to bite.
 */
import fs from 'node:fs';
import path from 'node:path';
import { validateWorkflow } from '@action-validator/core';
import YAML from 'yaml';

const WORKFLOWS = path.resolve(__dirname, '..', '..', '.github', 'workflows');

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  uses?: string;
  needs?: string | string[];
  permissions?: Record<string, string>;
  steps?: Step[];
}
interface Workflow {
  on: Record<string, { tags?: string[]; branches?: string[] } | null>;
  jobs: Record<string, Job>;
}

const text = (name: string) => fs.readFileSync(path.join(WORKFLOWS, name), 'utf8');
const parse = (name: string) => YAML.parse(text(name)) as Workflow;
const steps = (workflow: Workflow) => Object.values(workflow.jobs).flatMap((job) => job.steps ?? []);

describe('the workflows', () => {
  it.each(['ci.yml', 'release.yml'])('%s is a valid workflow', (name) => {
    expect(validateWorkflow(text(name)).errors).toEqual([]);
  });

  it('the validator rejects a broken workflow (unknown key, job without runs-on or uses)', () => {
    const broken = text('ci.yml').replace('runs-on: ubuntu-24.04', 'runs_on: ubuntu-24.04');
    expect(validateWorkflow(broken).errors.length).toBeGreaterThan(0);
  });

  it('ci.yml runs .ci/run, against PostgreSQL and Redis, and can be called by the release', () => {
    const ci = parse('ci.yml');
    expect(Object.keys(ci.on)).toEqual(expect.arrayContaining(['push', 'pull_request', 'workflow_call']));
    expect(steps(ci).filter((s) => /\.ci\/run\b/.test(s.run ?? ''))).toHaveLength(1);
    expect(text('ci.yml')).toMatch(/image: postgres:/);
    expect(text('ci.yml')).toMatch(/image: redis:/);
  });

  it('release.yml runs on version tags, tests first, checks versions and baseline, publishes with provenance, pushes the image and attaches the docs', () => {
    const release = parse('release.yml');
    expect(Object.keys(release.on)).toEqual(['push']);
    expect(release.on.push).toEqual({ tags: ['v*.*.*'] });
    expect(release.jobs.test.uses).toBe('./.github/workflows/ci.yml');
    for (const [name, job] of Object.entries(release.jobs)) if (name !== 'test') expect(job.needs).toBe('test');

    const sdk = release.jobs.sdk;
    const sdkRuns = (sdk.steps ?? []).map((s) => s.run ?? '');
    expect(sdk.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    expect(sdkRuns).toContain('node scripts/version.mjs --check "${GITHUB_REF_NAME#v}"');
    expect(sdkRuns).toContain('node scripts/compat-check.mjs --release "${GITHUB_REF_NAME#v}"');
    expect(sdkRuns.filter((r) => /^npm publish .*--provenance/.test(r))).toHaveLength(1);

    const image = release.jobs.image;
    const push = (image.steps ?? []).find((s) => s.uses?.startsWith('docker/build-push-action@'));
    expect(push?.with).toMatchObject({ push: true, platforms: 'linux/amd64,linux/arm64' });
    expect(image.permissions).toMatchObject({ packages: 'write' });

    const docs = release.jobs.docs;
    const docsRuns = (docs.steps ?? []).map((s) => s.run ?? '').join('\n');
    expect(docsRuns).toMatch(/npm run build/);
    expect(docsRuns).toMatch(/gh release (create|upload) .*release\/\*/);
    expect(docsRuns).toMatch(/dist\/asyncapi|-C dist asyncapi/);
    expect(docs.permissions).toEqual({ contents: 'write' });
  });
});
