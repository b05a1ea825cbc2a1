import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { ROOT } from '../lib/paths.js';
import { parseCheckArgs } from '../org/check.js';
import { parseCreateArgs } from '../org/create.js';
import { parseDeployArgs } from '../org/deploy.js';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
}
interface Job {
  'runs-on': string;
  container?: string;
  needs?: string;
  if?: string;
  env?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, Job>;
}

const text = readFileSync(path.join(ROOT, '.github/workflows/ci.yml'), 'utf8');
const workflow = parse(text) as Workflow;
const GATE = "env.SFDX_AUTH_URL != ''";

/** The script invocations (`npm run <name> -- args`), with shell variables given sample values. */
function npmRuns(job: Job): { script: string; args: string[] }[] {
  return job.steps
    .flatMap((s) => (s.run ?? '').split('\n'))
    .map((line) => /npm run ([\w:-]+)(?: -- (.*))?$/.exec(line.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ script: m[1], args: (m[2] ?? '').replaceAll('"$SCRATCH_ORG"', 'cosell-ci-1-1').split(/\s+/).filter(Boolean) }));
}

describe('CI workflow', () => {
  it('parses, and runs on pushes and pull requests', () => {
    assert.ok(workflow.on && 'push' in workflow.on && 'pull_request' in workflow.on);
  });

  it('the test job runs README\'s quick start on Debian with its chromium', () => {
    const test = workflow.jobs.test;
    assert.match(test.container ?? '', /^node:22-bookworm/);
    const runs = test.steps.map((s) => s.run ?? '');
    assert.ok(runs.some((r) => /apt-get install .*\bchromium\b/.test(r)));
    assert.ok(runs.includes('npm ci') && runs.includes('npm test'));
    assert.ok(runs.findIndex((r) => r.includes('chromium')) < runs.indexOf('npm test'));
  });

  it('audits the runtime dependencies in a job of its own, with the package script', () => {
    const audit = workflow.jobs.audit;
    assert.deepEqual(npmRuns(audit), [{ script: 'audit:deps', args: [] }]);
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    assert.equal(pkg.scripts['audit:deps'], 'npm audit --omit=dev --audit-level=high');
    assert.ok(!pkg.scripts.test.includes('audit'), 'npm test stays offline');
  });

  describe('scratch-org job', () => {
    const job = workflow.jobs['scratch-org'];

    it('takes the Dev Hub auth URL from the secret into env, never into a job-level condition', () => {
      assert.equal(job.env?.SFDX_AUTH_URL, '${{ secrets.SFDX_AUTH_URL }}');
      assert.equal(job.if, undefined, 'env is not available to a job-level if');
      assert.equal(job.needs, 'test');
    });

    it('gates every step on the secret; without it only a notice runs', () => {
      const [notice, ...rest] = job.steps;
      assert.equal(notice.if, "env.SFDX_AUTH_URL == ''");
      assert.doesNotMatch(notice.run ?? '', /\$SFDX_AUTH_URL|npm|sf /);
      for (const step of rest) assert.ok(step.if?.includes(GATE), `"${step.name ?? step.uses}" is gated on the secret`);
      for (const step of job.steps) assert.doesNotMatch(step.if ?? '', /secrets\./, 'secrets cannot be used in if');
    });

    it('never puts the secret on a command line', () => {
      for (const step of job.steps) assert.doesNotMatch(step.run ?? '', /\$\{\{\s*secrets\./);
      const login = job.steps.find((s) => s.run?.includes('org login sfdx-url'))!;
      assert.match(login.run!, /printf '%s' "\$SFDX_AUTH_URL" \| npx sf org login sfdx-url --sfdx-url-stdin -/);
    });

    it('creates, deploys, checks, and always deletes the scratch org', () => {
      const order = npmRuns(job).map((r) => r.script);
      assert.deepEqual(order, ['org:create', 'deploy', 'org:check']);
      const last = job.steps.at(-1)!;
      assert.match(last.run ?? '', /sf org delete scratch --target-org "\$SCRATCH_ORG" --no-prompt/);
      assert.match(last.if ?? '', /^always\(\) && /);
    });

    it('calls the scripts with arguments they accept', () => {
      const parsers: Record<string, (argv: string[]) => unknown> = { 'org:create': parseCreateArgs, deploy: parseDeployArgs, 'org:check': parseCheckArgs };
      for (const { script, args } of npmRuns(job)) assert.doesNotThrow(() => parsers[script](args), `${script} ${args.join(' ')}`);
      const create = parseCreateArgs(npmRuns(job)[0].args);
      assert.equal(create.devHub, 'devhub');
      assert.equal(create.durationDays, 1, 'CI scratch orgs expire the next day even if deletion fails');
    });

    it('uses only npm scripts package.json defines', () => {
      const scripts = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
      for (const { script } of npmRuns(job)) assert.ok(script in scripts, `package.json has the "${script}" script`);
    });
  });
});
