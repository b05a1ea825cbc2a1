/**
 * The scripts against the real pinned sf with an empty HOME: no org and no Dev Hub is authorised, as on a fresh
 * machine or a CI run without the secret. sf answers these checks offline (about 5 s each here); the preflight's
 * timeout would turn a hang into a message.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../lib/paths.js';
import { main as packageVersion } from '../release/package-version.js';
import { EXIT_FAILURE } from './args.js';
import { main as check } from './check.js';
import { main as create } from './create.js';
import { main as deploy } from './deploy.js';
import { PACKAGE_BUILD_DEFINITION } from './project.js';
import { createRunner } from './sf-runner.js';
import { isolatedSfEnvironment, recordingIo } from './test-support.js';

const DEV_HUB_ADVICE = 'No Dev Hub is authorised: run `sf org login web --set-default-dev-hub --alias devhub`';

function isolated() {
  const { env, cwd } = isolatedSfEnvironment();
  return { runner: createRunner({ env, cwd }), env, cwd };
}

describe('with no org and no Dev Hub authorised (real sf, empty HOME)', { concurrency: 3, timeout: 240_000 }, () => {
  it('org:create says how to authorise a Dev Hub, before building anything', async () => {
    const io = recordingIo();
    assert.equal(await create([], io, isolated().runner), EXIT_FAILURE);
    assert.match(io.stderr(), new RegExp(`^org:create: ${DEV_HUB_ADVICE.replace(/[.*+?^${}()|[\]\\`]/g, '\\$&')}`));
    assert.doesNotMatch(io.stderr(), /\[1\//, 'no step of the plan ran');
  });

  it('org:create with a named Dev Hub says that alias is not authorised', async () => {
    const io = recordingIo();
    assert.equal(await create(['--target-dev-hub', 'cosell-hub', '--skip-build'], io, isolated().runner), EXIT_FAILURE);
    assert.match(io.stderr(), /No Dev Hub is authorised as "cosell-hub": run `sf org login web --set-default-dev-hub --alias cosell-hub`/);
  });

  it('deploy and org:check say the org is not authorised, or that no default org is set', async () => {
    const named = recordingIo();
    assert.equal(await deploy(['--target-org', 'cosell-uat', '--assign-permsets'], named, isolated().runner), EXIT_FAILURE);
    assert.match(named.stderr(), /^deploy: No org is authorised as "cosell-uat": run `sf org login web --alias cosell-uat`/);
    const unnamed = recordingIo();
    assert.equal(await check([], unnamed, isolated().runner), EXIT_FAILURE);
    assert.match(unnamed.stderr(), /^org:check: No org was named and no default org is set: pass --target-org <alias>/);
  });

  it('package:version says how to authorise a Dev Hub once the project has a namespace', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'cosell-project-'));
    writeFileSync(
      path.join(root, 'sfdx-project.json'),
      JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true, package: 'Partner Center Co-Sell', versionNumber: '0.1.0.NEXT' }], namespace: 'pcsell' }),
    );
    mkdirSync(path.join(root, 'config'));
    copyFileSync(path.join(ROOT, PACKAGE_BUILD_DEFINITION), path.join(root, PACKAGE_BUILD_DEFINITION));
    const { env } = isolatedSfEnvironment();
    const io = recordingIo();
    assert.equal(await packageVersion(['--installation-key-bypass'], io, createRunner({ env, cwd: root }), root), EXIT_FAILURE);
    assert.match(io.stderr(), new RegExp(`^package:version: ${DEV_HUB_ADVICE.replace(/[.*+?^${}()|[\]\\`]/g, '\\$&')}`));
  });

  it('as a process: `deploy` exits 1 with the message on stderr', () => {
    const { env } = isolated();
    const child = spawnSync(process.execPath, ['--import', 'tsx', path.join('scripts', 'org', 'deploy.ts'), '--target-org', 'cosell-uat'], {
      cwd: ROOT,
      env,
      encoding: 'utf8',
      timeout: 120_000,
    });
    assert.equal(child.status, 1, child.stderr);
    assert.match(child.stderr, /No org is authorised as "cosell-uat"/);
    assert.equal(child.stdout, '');
  });
});
