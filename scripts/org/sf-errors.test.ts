import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commandLine, executePlan, type Step } from './plan.js';
import { deployFailures, describeSfFailure, parseSfJson } from './sf-errors.js';
import { recordingIo, scriptedRunner, sfReply } from './test-support.js';

const fail = (json: object, code = 1) => sfReply(json, code);

describe('sf errors in words', () => {
  it('no default Dev Hub → the login command to run', () => {
    const text = describeSfFailure(
      fail({ name: 'NoDefaultDevHubError', message: 'No default dev hub found. Use -v or --target-dev-hub to specify an environment.' }),
      { doing: 'create the scratch org', needsDevHub: true },
    );
    assert.equal(text, 'No Dev Hub is authorised: run `sf org login web --set-default-dev-hub --alias devhub` (or pass --target-dev-hub <alias>), then try again.');
  });

  it('unknown alias, for an org and for a Dev Hub', () => {
    const outcome = fail({ name: 'NamedOrgNotFoundError', message: 'Parsing --target-org \n\tNo authorization information found for uat.\nSee more help with --help' }, 2);
    assert.match(describeSfFailure(outcome, { doing: 'deploy' }), /^No org is authorised as "uat": run `sf org login web --alias uat` \(add --instance-url https:\/\/test\.salesforce\.com for a sandbox\)/);
    assert.match(describeSfFailure(outcome, { doing: 'x', needsDevHub: true }), /^No Dev Hub is authorised as "uat": run `sf org login web --set-default-dev-hub --alias uat`/);
  });

  it('usernames with dots are read whole from the message', () => {
    const outcome = fail({ name: 'NamedOrgNotFoundError', message: 'No authorization information found for admin@acme.example.com.' });
    assert.match(describeSfFailure(outcome, { doing: 'x' }), /"admin@acme\.example\.com"/);
  });

  it('no default org, not a Dev Hub, expired login', () => {
    assert.match(describeSfFailure(fail({ name: 'NoDefaultEnvError', message: 'No default environment found.' }), { doing: 'x' }), /pass --target-org <alias>/);
    assert.match(
      describeSfFailure(fail({ name: 'NotADevHubError', message: 'The provided dev hub username x is not a valid dev hub.' }), { doing: 'x', devHub: 'prod', needsDevHub: true }),
      /^"prod" is not a Dev Hub: enable Dev Hub in that org/,
    );
    assert.match(
      describeSfFailure(fail({ name: 'RefreshTokenAuthError', message: 'Error authenticating with the refresh token due to: expired access/refresh token' }), { doing: 'x', org: 'uat' }),
      /authorisation for "uat" has expired.*`sf org login web --alias uat` again/,
    );
  });

  it('anything else keeps sf\'s message after what we were doing', () => {
    assert.equal(
      describeSfFailure(fail({ name: 'SignupFailedError', message: 'Daily limit reached.' }), { doing: 'create the scratch org' }),
      'Could not create the scratch org: Daily limit reached.',
    );
  });

  it('output that is not JSON, and a timeout', () => {
    assert.equal(describeSfFailure({ code: 134, stdout: '', stderr: 'line 1\nFATAL crash\n', timedOut: false }, { doing: 'list orgs' }), 'Could not list orgs: sf exited with code 134:\nline 1\nFATAL crash');
    assert.match(describeSfFailure({ code: 1, stdout: '', stderr: '', timedOut: true }, { doing: 'reach the org' }, 120_000), /did not finish within 120 s/);
  });

  it('deploy component failures from files, else from componentFailures', () => {
    assert.deepEqual(deployFailures({ result: { details: { componentFailures: { componentType: 'Flow', fullName: 'F', problem: 'bad' } } } } as never), ['Flow F: bad']);
    assert.deepEqual(
      deployFailures({ result: { files: [{ state: 'Changed', fullName: 'ok' }, { state: 'Failed', type: 'Flow', fullName: 'F', error: 'bad', filePath: 'f.xml' }] } }),
      ['Flow F: bad (f.xml)'],
    );
  });

  it('parses JSON even after a stray line, and rejects non-objects', () => {
    assert.deepEqual(parseSfJson('Warning: x\n{"status":0}'), { status: 0 });
    assert.equal(parseSfJson('[1]'), null);
    assert.equal(parseSfJson(''), null);
  });
});

describe('plans', () => {
  const keyStep: Step = {
    kind: 'sf',
    title: 'Create a version',
    args: ['package', 'version', 'create', '--package', 'Partner Center Co-Sell', '--installation-key', 's3cret-value', '--json'],
    context: { doing: 'create the package version' },
    timeoutMs: 1000,
    secretFlags: ['--installation-key'],
  };

  it('prints commands as typed, quoting spaces and masking secrets', () => {
    assert.equal(commandLine(keyStep), 'sf package version create --package "Partner Center Co-Sell" --installation-key *** --json');
  });

  it('never prints a secret while running, even when the step fails', async () => {
    const io = recordingIo();
    const runner = scriptedRunner([['package version create', fail({ name: 'Error', message: 'boom' })]]);
    const { ok } = await executePlan([keyStep], runner, io);
    assert.equal(ok, false);
    assert.doesNotMatch(io.stderr() + io.stdout(), /s3cret-value/);
    assert.deepEqual(runner.calls[0], keyStep.args, 'the real value still reaches sf');
  });

  it('a JSON status other than 0 is a failure even when sf exits 0', async () => {
    const io = recordingIo();
    const runner = scriptedRunner([['x', { code: 0, stdout: JSON.stringify({ status: 1, message: 'half done' }), stderr: '', timedOut: false }]]);
    const { ok } = await executePlan([{ ...keyStep, args: ['x'], secretFlags: [] }, { ...keyStep, args: ['never'] }], runner, io);
    assert.equal(ok, false);
    assert.equal(runner.calls.length, 1);
  });
});
