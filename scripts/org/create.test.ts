import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError } from './args.js';
import { createPlan, main, parseCreateArgs } from './create.js';
import { commandLine } from './plan.js';
import { recordingIo, scriptedRunner, sfReply } from './test-support.js';

const lines = (argv: string[]) => createPlan(parseCreateArgs(argv)).map(commandLine);

describe('org:create arguments', () => {
  it('defaults: build, a 7-day scratch org from the project definition, deploy, admin permission set, sample catalog', () => {
    assert.deepEqual(lines([]), [
      'npm run build',
      'sf org create scratch --definition-file config/project-scratch-def.json --alias cosell-scratch --duration-days 7 --wait 15 --json',
      'sf project deploy start --source-dir force-app/main/default/externalCredentials --source-dir force-app/main/default/namedCredentials --source-dir force-app/main/default/externalServiceRegistrations --target-org cosell-scratch --wait 30 --json',
      'sf project deploy start --source-dir force-app --target-org cosell-scratch --wait 30 --json',
      'sf org assign permset --name Partner_Center_Admin --target-org cosell-scratch --json',
      'sf data import tree --plan scripts/org/data/solution-catalog-plan.json --target-org cosell-scratch --json',
    ]);
  });

  it('every flag reaches the plan', () => {
    assert.deepEqual(
      lines(['-a', 'ci-42', '-v', 'devhub', '-y', '1', '-f', 'config/project-scratch-def.json', '-w', '30', '--set-default', '--skip-build', '--skip-data']),
      [
        'sf org create scratch --definition-file config/project-scratch-def.json --alias ci-42 --duration-days 1 --wait 30 --target-dev-hub devhub --set-default --json',
        'sf project deploy start --source-dir force-app/main/default/externalCredentials --source-dir force-app/main/default/namedCredentials --source-dir force-app/main/default/externalServiceRegistrations --target-org ci-42 --wait 30 --json',
        'sf project deploy start --source-dir force-app --target-org ci-42 --wait 30 --json',
        'sf org assign permset --name Partner_Center_Admin --target-org ci-42 --json',
      ],
    );
  });

  for (const [argv, flag] of [
    [['--duration-days', '31'], '--duration-days'],
    [['--duration-days', '0'], '--duration-days'],
    [['--duration-days', '1.5'], '--duration-days'],
    [['--wait', '1'], '--wait'],
    [['--alias', 'a b'], '--alias'],
    [['--target-dev-hub', 'hub;rm'], '--target-dev-hub'],
    [['--definition-file', 'config/missing.json'], '--definition-file'],
    [['--definition-file'], '--definition-file'],
    [['--namespace', 'x'], '--namespace'],
    [['scratch'], 'scratch'],
  ] as const) {
    it(`rejects ${argv.join(' ')} naming ${flag}`, () => {
      assert.throws(() => parseCreateArgs([...argv]), (error: Error) => error instanceof UsageError && error.message.includes(flag));
    });
  }

  it('exits 2 on bad input without calling sf', async () => {
    const io = recordingIo();
    const runner = scriptedRunner([]);
    assert.equal(await main(['--duration-days', 'forever'], io, runner), EXIT_USAGE);
    assert.match(io.stderr(), /org:create: --duration-days must be a whole number from 1 to 30; got "forever"/);
    assert.equal(runner.calls.length, 0);
  });
});

describe('org:create run', () => {
  const hubs = sfReply({ status: 0, result: { devHubs: [{ alias: 'devhub', username: 'hub@example.com', isDefaultDevHubUsername: true }] } });

  it('runs the whole plan against the default Dev Hub and names the new org', async () => {
    const io = recordingIo();
    const runner = scriptedRunner([
      ['org list', hubs],
      ['npm run build', { code: 0, stdout: '', stderr: '', timedOut: false }],
      ['org create scratch', sfReply({ status: 0, result: { username: 'test-abc@example.com', orgId: '00D000000000001' } })],
      ['project deploy start', sfReply({ status: 0, result: { status: 'Succeeded' } })],
      ['project deploy start', sfReply({ status: 0, result: { status: 'Succeeded' } })],
      ['org assign permset', sfReply({ status: 0, result: { successes: [{ name: 'cosell-scratch', value: 'Partner_Center_Admin' }], failures: [] } })],
      ['data import tree', sfReply({ status: 0, result: [{ refId: 'Solution1' }] })],
    ]);
    assert.equal(await main([], io, runner), EXIT_OK);
    assert.deepEqual(
      runner.calls.map((c) => c.slice(0, 3).join(' ')),
      ['org list --skip-connection-status', 'npm run build', 'org create scratch', 'project deploy start', 'project deploy start', 'org assign permset', 'data import tree'],
    );
    assert.match(io.stderr(), /\[6\/6\] Load the sample solution catalog/);
    assert.match(io.stderr(), /Scratch org "cosell-scratch" \(test-abc@example\.com\) is ready/);
  });

  it('without a default Dev Hub it lists the authorised ones and creates nothing', async () => {
    const io = recordingIo();
    const runner = scriptedRunner([['org list', sfReply({ status: 0, result: { devHubs: [{ alias: 'hub-a', username: 'a@example.com' }, { username: 'b@example.com' }] } })]]);
    assert.equal(await main(['--skip-build'], io, runner), EXIT_FAILURE);
    assert.match(io.stderr(), /No default Dev Hub is set \(authorised Dev Hubs: hub-a, b@example\.com\): pass --target-dev-hub <alias>/);
    assert.equal(runner.calls.length, 1);
  });

  it('stops when the scratch org cannot be created, with sf\'s reason', async () => {
    const io = recordingIo();
    const runner = scriptedRunner([
      ['org list', hubs],
      ['org create scratch', sfReply({ status: 1, name: 'SignupFailedError', message: 'You have reached your daily scratch org limit.' }, 1)],
    ]);
    assert.equal(await main(['--skip-build'], io, runner), EXIT_FAILURE);
    assert.match(io.stderr(), /Could not create the scratch org: You have reached your daily scratch org limit\./);
    assert.equal(runner.calls.length, 2);
  });
});
