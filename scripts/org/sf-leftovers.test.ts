/**
 * Nothing the pinned sf starts outlives the command: sf's update check spawns a detached `sf update --autoupdate`
 * (and a version refresh) unless both auto-update variables and the version-check variable are set (sf-runner.ts).
 * The command runs with an isolated HOME; afterwards no process may still carry that HOME in its environment.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { SF_QUIET_ENV, createRunner, sfEnvironment } from './sf-runner.js';
import { isolatedSfEnvironment } from './test-support.js';

/** Processes (Linux /proc) whose environment holds HOME=<home>: every process the command started inherits it. */
function processesWithHome(home: string): { pid: number; command: string }[] {
  const found: { pid: number; command: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
      if (!environ.includes(`HOME=${home}`)) continue;
      found.push({ pid: Number(entry), command: readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ') });
    } catch {
      // Gone already, or not ours to read.
    }
  }
  return found;
}

describe('sf leaves nothing running (real pinned sf, isolated HOME)', { timeout: 120_000 }, () => {
  it('the scripts disable auto-update under both names and the new-version check', () => {
    const env = sfEnvironment({ PATH: '/usr/bin', SF_AUTOUPDATE_DISABLE: 'true' });
    for (const [name, value] of Object.entries(SF_QUIET_ENV)) assert.equal(env[name], value, name);
    assert.equal(env.SF_DISABLE_AUTOUPDATE, 'true', 'the documented name alone would leave the update plugin on');
  });

  it('after `sf org list` no process started by it is still alive', async () => {
    const { env, cwd, home } = isolatedSfEnvironment();
    const result = await createRunner({ env, cwd }).sf(['org', 'list', '--json'], { timeoutMs: 90_000 });
    assert.equal(result.timedOut, false);
    // A detached child is spawned while the command runs; give it a moment to show up if it was started.
    await delay(1500);
    const left = processesWithHome(home);
    assert.deepEqual(left, [], `still running after the command: ${left.map((p) => `${p.pid} ${p.command}`).join('; ')}`);
  });
});
