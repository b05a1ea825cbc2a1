import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError } from './args.js';
import { deployPlan, main, parseDeployArgs, permsetAlreadyAssigned } from './deploy.js';
import { commandLine } from './plan.js';
import { recordingIo, scriptedRunner, sfReply } from './test-support.js';

const lines = (argv: string[], target = 'my-org') => deployPlan(parseDeployArgs(argv), target).map(commandLine);

describe('deploy arguments', () => {
  it('defaults: build, then deploy force-app waiting 30 minutes, no permission sets', () => {
    assert.deepEqual(parseDeployArgs([]), { targetOrg: undefined, assignPermsets: false, dryRun: false, wait: 30, build: true, help: false });
    assert.deepEqual(lines(['--target-org', 'my-org']), [
      'npm run build',
      'sf project deploy start --source-dir force-app/main/default/externalCredentials --source-dir force-app/main/default/namedCredentials --source-dir force-app/main/default/externalServiceRegistrations --target-org my-org --wait 30 --json',
      'sf project deploy start --source-dir force-app --target-org my-org --wait 30 --json',
    ]);
  });

  it('--assign-permsets adds the admin permission set after the deploy', () => {
    assert.deepEqual(lines(['-o', 'my-org', '--assign-permsets']).slice(2), [
      'sf project deploy start --source-dir force-app --target-org my-org --wait 30 --json',
      'sf org assign permset --name Partner_Center_Admin --target-org my-org --json',
    ]);
  });

  it('--dry-run, --wait and --skip-build', () => {
    assert.deepEqual(lines(['--target-org=ci', '--dry-run', '--wait', '45', '--skip-build'], 'ci'), [
      'sf project deploy start --source-dir force-app --target-org ci --wait 45 --dry-run --json',
    ]);
  });

  it('targets the org the preflight resolved when no alias is given', () => {
    assert.deepEqual(lines([], 'admin@example.com')[2], 'sf project deploy start --source-dir force-app --target-org admin@example.com --wait 30 --json');
  });

  it('deploys the External Service and its credentials first, then force-app (forcedotcom/cli issue 2233)', () => {
    const [callouts, all] = lines(['-o', 'my-org', '--skip-build']);
    assert.equal(callouts, 'sf project deploy start --source-dir force-app/main/default/externalCredentials --source-dir force-app/main/default/namedCredentials --source-dir force-app/main/default/externalServiceRegistrations --target-org my-org --wait 30 --json');
    assert.equal(all, 'sf project deploy start --source-dir force-app --target-org my-org --wait 30 --json');
  });

  for (const [argv, flag] of [
    [['--wait', 'soon'], '--wait'],
    [['--wait', '0'], '--wait'],
    [['--wait', '601'], '--wait'],
    [['--target-org', 'my org'], '--target-org'],
    [['--target-org', '--dry-run'], '--target-org'],
    [['--target-org', ''], '--target-org'],
    [['--target-org'], '--target-org'],
    [['--asign-permsets'], '--asign-permsets'],
    [['--dry-run', '--assign-permsets'], '--assign-permsets'],
    [['extra'], 'extra'],
  ] as const) {
    it(`rejects ${argv.join(' ') || '(empty)'} naming ${flag}`, () => {
      assert.throws(() => parseDeployArgs([...argv]), (error: Error) => error instanceof UsageError && error.message.includes(flag));
    });
  }

  it('a usage error exits 2 with the message and the help, before calling sf', async () => {
    const io = recordingIo();
    const runner = scriptedRunner([]);
    assert.equal(await main(['--wait', 'x'], io, runner), EXIT_USAGE);
    assert.match(io.stderr(), /deploy: --wait must be a whole number from 1 to 600; got "x"\./);
    assert.match(io.stderr(), /Usage: npm run deploy/);
    assert.equal(runner.calls.length, 0);
  });

  it('--help prints the usage and exits 0', async () => {
    const io = recordingIo();
    assert.equal(await main(['--help'], io, scriptedRunner([])), EXIT_OK);
    assert.match(io.stdout(), /--assign-permsets/);
  });
});

describe('deploy run', () => {
  const display = sfReply({ status: 0, result: { username: 'admin@example.com' } });

  it('stops after the preflight when the org is not authorised', async () => {
    const io = recordingIo();
    const runner = scriptedRunner([
      ['org display', sfReply({ status: 2, name: 'NamedOrgNotFoundError', message: 'Parsing --target-org \n\tNo authorization information found for prod.\nSee more help with --help' }, 2)],
    ]);
    assert.equal(await main(['--target-org', 'prod', '--skip-build'], io, runner), EXIT_FAILURE);
    assert.match(io.stderr(), /No org is authorised as "prod": run `sf org login web --alias prod`/);
    assert.equal(runner.calls.length, 1);
  });

  it('treats an already assigned permission set as done', async () => {
    const io = recordingIo();
    const runner = scriptedRunner([
      ['org display', display],
      ['project deploy start', sfReply({ status: 0, result: { status: 'Succeeded', files: [] } })],
      ['project deploy start', sfReply({ status: 0, result: { status: 'Succeeded', files: [] } })],
      ['org assign permset', sfReply({ status: 1, result: { successes: [], failures: [{ name: 'x', message: 'Duplicate PermissionSetAssignment' }] } }, 1)],
    ]);
    assert.equal(await main(['--skip-build', '--assign-permsets'], io, runner), EXIT_OK);
    assert.match(io.stderr(), /already done/);
    assert.match(io.stderr(), /Deployed to admin@example\.com/);
  });

  it('reports the failing components of a failed deploy and exits 1', async () => {
    const io = recordingIo();
    const runner = scriptedRunner([
      ['org display', display],
      [
        'project deploy start',
        sfReply(
          {
            status: 1,
            result: {
              status: 'Failed',
              files: [{ state: 'Failed', type: 'CustomField', fullName: 'Opportunity.Referral_Id__c', error: 'Duplicate name', filePath: 'force-app/x.field-meta.xml', lineNumber: 3 }],
            },
          },
          1,
        ),
      ],
    ]);
    assert.equal(await main(['--skip-build', '--assign-permsets'], io, runner), EXIT_FAILURE);
    assert.match(io.stderr(), /CustomField Opportunity\.Referral_Id__c: Duplicate name \(force-app\/x\.field-meta\.xml:3\)/);
    assert.equal(runner.calls.length, 2, 'no permission set assignment after a failed deploy');
  });

  it('recognises only duplicate assignments as already done', () => {
    assert.equal(permsetAlreadyAssigned({ result: { failures: [{ message: 'Duplicate PermissionSetAssignment' }] } }), true);
    assert.equal(permsetAlreadyAssigned({ result: { failures: [{ message: 'Permission set not found' }] } }), false);
    assert.equal(permsetAlreadyAssigned({ result: { failures: [] } }), false);
  });
});
