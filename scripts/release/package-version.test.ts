import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError } from '../org/args.js';
import { commandLine } from '../org/plan.js';
import { ROOT } from '../lib/paths.js';
import { PACKAGE_BUILD_DEFINITION, readProject, type SfdxProject } from '../org/project.js';
import { recordingIo, scriptedRunner, sfReply } from '../org/test-support.js';
import { main, packageVersionPlan, parsePackageVersionArgs, projectProblems } from './package-version.js';

const NAME = 'Partner Center Co-Sell';
const project = (extra: Partial<SfdxProject> = {}): SfdxProject => ({
  packageDirectories: [{ path: 'force-app', default: true, package: NAME, versionNumber: '0.1.0.NEXT', versionDescription: 'Co-sell sync' }],
  namespace: 'pcsell',
  ...extra,
});
const released = project({ packageAliases: { [NAME]: '0Ho000000000001AAA' } });
const lines = (argv: string[], p = released) => packageVersionPlan(parsePackageVersionArgs(argv), p).map(commandLine);

function projectDir(p: SfdxProject): string {
  const root = mkdtempSync(path.join(tmpdir(), 'cosell-project-'));
  writeFileSync(path.join(root, 'sfdx-project.json'), JSON.stringify(p));
  mkdirSync(path.join(root, 'config'));
  copyFileSync(path.join(ROOT, PACKAGE_BUILD_DEFINITION), path.join(root, PACKAGE_BUILD_DEFINITION));
  return root;
}

describe('package:version arguments', () => {
  it('defaults: build, then a version with code coverage (promotable), waiting 60 minutes', () => {
    assert.deepEqual(lines(['--installation-key-bypass']), [
      'npm run build',
      `sf package version create --package "${NAME}" --installation-key-bypass --code-coverage --definition-file config/package-build-def.json --wait 60 --json`,
    ]);
  });

  it('every flag reaches the plan; the key is masked when printed', () => {
    assert.deepEqual(lines(['-k', 'open sesame', '-v', 'devhub', '-n', '1.2.0.NEXT', '-w', '120', '--skip-build']), [
      `sf package version create --package "${NAME}" --installation-key *** --code-coverage --definition-file config/package-build-def.json --version-number 1.2.0.NEXT --wait 120 --target-dev-hub devhub --json`,
    ]);
    const step = packageVersionPlan(parsePackageVersionArgs(['-k', 'open sesame', '--skip-build']), released)[0];
    assert.ok(step.args.includes('open sesame'), 'sf receives the real key');
  });

  it('creates the package first when sfdx-project.json has no alias for it yet', () => {
    assert.deepEqual(lines(['-x', '--skip-build', '-v', 'devhub'], project()), [
      `sf package create --name "${NAME}" --package-type Managed --path force-app --description "Co-sell sync" --target-dev-hub devhub --json`,
      `sf package version create --package "${NAME}" --installation-key-bypass --code-coverage --definition-file config/package-build-def.json --wait 60 --target-dev-hub devhub --json`,
    ]);
  });

  for (const [argv, flag] of [
    [[], '--installation-key'],
    [['-k', 'x', '-x'], '--installation-key-bypass'],
    [['-x', '--version-number', '1.2'], '--version-number'],
    [['-x', '--version-number', '1.2.0.LATEST'], '--version-number'],
    [['-x', '--wait', '0'], '--wait'],
    [['-x', '--wait', '241'], '--wait'],
    [['-x', '--target-dev-hub', 'a b'], '--target-dev-hub'],
    [['-x', '--code-coverage'], '--code-coverage'],
    [['--installation-key', ''], '--installation-key'],
  ] as const) {
    it(`rejects ${argv.join(' ') || '(no key choice)'} naming ${flag}`, () => {
      assert.throws(() => parsePackageVersionArgs([...argv]), (error: Error) => error instanceof UsageError && error.message.includes(flag));
    });
  }

  it('exits 2 without a key choice, before reading the project or calling sf', async () => {
    const io = recordingIo();
    const runner = scriptedRunner([]);
    assert.equal(await main([], io, runner, '/nonexistent'), EXIT_USAGE);
    assert.match(io.stderr(), /package:version: --installation-key <key> or --installation-key-bypass is required/);
    assert.equal(runner.calls.length, 0);
  });
});

describe('package:version project checks', () => {
  it('this repository is not ready for a managed version until a namespace is set', () => {
    const problems = projectProblems(readProject());
    assert.equal(problems.length, 1);
    assert.match(problems[0], /no "namespace": a managed package needs one.*docs\/UPGRADING\.md/);
  });

  it('a package name and a namespace are all it needs', () => {
    assert.deepEqual(projectProblems(project()), []);
    assert.match(projectProblems(project({ packageDirectories: [{ path: 'force-app', default: true }] }))[0], /names no "package"/);
  });

  it('without a namespace it stops before asking sf anything', async () => {
    const io = recordingIo();
    const runner = scriptedRunner([]);
    assert.equal(await main(['-x'], io, runner, projectDir(project({ namespace: '' }))), EXIT_FAILURE);
    assert.match(io.stderr(), /a managed package needs one/);
    assert.equal(runner.calls.length, 0);
  });
});

describe('package:version build org and namespace', () => {
  const hub = ['org display', sfReply({ status: 0, result: { username: 'hub@example.com' } })] as const;
  const created = ['package version create', sfReply({ status: 0, result: { Id: '08c000000000001AAA', Status: 'Success', SubscriberPackageVersionId: '04t5g000000AbCdAAK' } })] as const;

  it('the build org enables Opportunity Teams and Notes, which the packaged Opportunity layout uses', () => {
    const directory = readProject().packageDirectories.find((d) => d.default)!;
    assert.equal(directory.definitionFile, PACKAGE_BUILD_DEFINITION);
    const definition = JSON.parse(readFileSync(path.join(ROOT, PACKAGE_BUILD_DEFINITION), 'utf8'));
    assert.equal(definition.settings.opportunitySettings.enableOpportunityTeam, true);
    assert.equal(definition.settings.enhancedNotesSettings.enableEnhancedNotes, true);
    const layout = readFileSync(path.join(ROOT, 'force-app/main/default/layouts/Opportunity-Partner Center Opportunity Layout.layout-meta.xml'), 'utf8');
    assert.match(layout, /<relatedList>RelatedOpportunitySalesTeam<\/relatedList>/);
    assert.match(layout, /<relatedList>RelatedContentNoteList<\/relatedList>/);
  });

  it('a missing definition file is a problem named before sf runs', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'cosell-project-'));
    assert.match(projectProblems(released, undefined, root).join('\n'), /config\/package-build-def\.json .* does not exist/);
  });

  it('--namespace must be a namespace prefix', () => {
    for (const bad of ['co__sell', '1cosell', 'cosell-x', 'abcdefghijklmnop']) {
      assert.throws(() => parsePackageVersionArgs(['-x', '--namespace', bad]), UsageError, bad);
    }
    assert.equal(parsePackageVersionArgs(['-x', '--namespace', 'pcsell']).namespace, 'pcsell');
  });

  it('--namespace on a project without one is written to sfdx-project.json, then the version is built', async () => {
    const root = projectDir(project({ namespace: '', packageAliases: { [NAME]: '0Ho000000000001AAA' } }));
    const io = recordingIo();
    const runner = scriptedRunner([[...hub], [...created]]);
    assert.equal(await main(['-x', '--namespace', 'pcsell', '-v', 'devhub', '--skip-build'], io, runner, root), EXIT_OK);
    assert.equal(JSON.parse(readFileSync(path.join(root, 'sfdx-project.json'), 'utf8')).namespace, 'pcsell');
    assert.match(io.stderr(), /set "namespace": "pcsell" in sfdx-project\.json; commit that change/);
  });

  it('--namespace naming another prefix than sfdx-project.json is refused before sf runs', async () => {
    const io = recordingIo();
    const runner = scriptedRunner([]);
    assert.equal(await main(['-x', '--namespace', 'other', '--skip-build'], io, runner, projectDir(released)), EXIT_FAILURE);
    assert.match(io.stderr(), /--namespace other differs from sfdx-project\.json's "namespace": "pcsell"/);
    assert.equal(runner.calls.length, 0);
  });
});

describe('package:version run', () => {
  const hub = ['org display', sfReply({ status: 0, result: { username: 'hub@example.com' } })] as const;

  it('prints the install URLs of the new version', async () => {
    const io = recordingIo();
    const runner = scriptedRunner([
      [...hub],
      ['package version create', sfReply({ status: 0, result: { Id: '08c000000000001AAA', Status: 'Success', SubscriberPackageVersionId: '04t5g000000AbCdAAK' } })],
    ]);
    assert.equal(await main(['-x', '-v', 'devhub', '--skip-build'], io, runner, projectDir(released)), EXIT_OK);
    assert.match(io.stdout(), /login\.salesforce\.com\/packaging\/installPackage\.apexp\?p0=04t5g000000AbCdAAK/);
    assert.match(io.stdout(), /test\.salesforce\.com\/packaging\/installPackage\.apexp\?p0=04t5g000000AbCdAAK/);
    assert.match(io.stderr(), /sf package version promote --package 04t5g000000AbCdAAK/);
  });

  it('a version still in progress when the wait ends is reported with the command to follow it', async () => {
    const io = recordingIo();
    const runner = scriptedRunner([[...hub], ['package version create', sfReply({ status: 0, result: { Id: '08c000000000001AAA', Status: 'Queued' } })]]);
    assert.equal(await main(['-x', '-v', 'devhub', '--skip-build'], io, runner, projectDir(released)), EXIT_FAILURE);
    assert.match(io.stderr(), /not ready \(status Queued\).*--package-create-request-id 08c000000000001AAA/);
  });

  it('a Dev Hub that is not one is said so', async () => {
    const io = recordingIo();
    const runner = scriptedRunner([
      [...hub],
      ['package version create', sfReply({ status: 1, name: 'NotADevHubError', message: 'The provided dev hub username hub@example.com is not a valid dev hub.' }, 1)],
    ]);
    assert.equal(await main(['-x', '-v', 'prod', '--skip-build'], io, runner, projectDir(released)), EXIT_FAILURE);
    assert.match(io.stderr(), /"prod" is not a Dev Hub/);
  });
});
