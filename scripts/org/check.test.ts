import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { SOLUTION_CATALOG } from '../../sandbox/org/seed.js';
import { ROOT } from '../lib/paths.js';
import { EXIT_FAILURE, EXIT_OK, UsageError } from './args.js';
import { main, orgChecks, parseCheckArgs, sampleCatalogIds, verdict } from './check.js';
import { qualify, readPackageContents } from './package-contents.js';
import { CATALOG_PLAN } from './project.js';
import { recordingIo, scriptedRunner, sfReply } from './test-support.js';

const contents = readPackageContents();
const context = { targetOrg: 'ci', username: 'admin@example.com' };

describe('what force-app promises', () => {
  it('reads the objects, their fields and the flows from the source', () => {
    const opportunity = contents.objects.find((o) => o.name === 'Opportunity');
    assert.ok(opportunity?.fields.includes('Referral_Id__c') && opportunity.fields.includes('Sync_With_Partner_Center__c'));
    assert.ok(contents.objects.some((o) => o.name === 'Partner_Center_Sync_Request__e' && o.platformEvent));
    assert.ok(contents.flows.length > 0 && contents.flows.every((f) => typeof f.active === 'boolean'));
  });

  it('qualifies custom names with the namespace, once', () => {
    assert.equal(qualify('Referral_Id__c', 'pcsell'), 'pcsell__Referral_Id__c');
    assert.equal(qualify('pcsell__Referral_Id__c', 'pcsell'), 'pcsell__Referral_Id__c');
    assert.equal(qualify('Partner_Center_Sync_Request__e', 'pcsell'), 'pcsell__Partner_Center_Sync_Request__e');
    assert.equal(qualify('Opportunity', 'pcsell'), 'Opportunity');
    assert.equal(qualify('Referral_Id__c', undefined), 'Referral_Id__c');
  });
});

describe('org checks', () => {
  const checks = orgChecks(contents, { ...context, catalogIds: ['SOL-1', 'SOL-2'] });
  const byTitle = (needle: string) => checks.find((c) => c.title.includes(needle))!;

  it('queries every custom field of every object, by name', () => {
    const opportunity = byTitle('Opportunity:');
    const soql = opportunity.args[opportunity.args.indexOf('--query') + 1];
    for (const field of contents.objects.find((o) => o.name === 'Opportunity')!.fields) assert.match(soql, new RegExp(`\\b${field}\\b`));
    assert.deepEqual(opportunity.args.slice(-3), ['--target-org', 'ci', '--json']);
  });

  it('a namespace prefixes objects and fields in the queries', () => {
    const namespaced = orgChecks(contents, { ...context, namespace: 'pcsell' });
    const soql = namespaced.find((c) => c.title.startsWith('pcsell__Microsoft_Solution__c'))!.args[3];
    assert.match(soql, /FROM pcsell__Microsoft_Solution__c/);
    assert.match(soql, /pcsell__Solution_Id__c/);
  });

  it('flows: each active flow must have an active version', () => {
    const flows = byTitle('flows active');
    assert.ok(flows.args.includes('--use-tooling-api'));
    const active = contents.flows.filter((f) => f.active).map((f) => f.name);
    const allActive = { records: active.map((name) => ({ DeveloperName: name, ActiveVersionId: '301000000000001AAA' })) };
    assert.deepEqual(flows.judge(allActive), []);
    const oneInactive = { records: allActive.records.map((r, i) => (i === 0 ? { ...r, ActiveVersionId: null } : r)).slice(0, -1) };
    const problems = flows.judge(oneInactive);
    assert.match(problems[0], new RegExp(`flow ${active[0]} has no active version`));
    if (active.length > 1) assert.match(problems.at(-1)!, new RegExp(`flow ${active.at(-1)} is not in the org`));
  });

  it('platform events: every field in the source must be described', () => {
    const event = contents.objects.find((o) => o.platformEvent)!;
    const check = byTitle(event.name);
    assert.deepEqual(check.judge({ fields: [{ name: 'Id' }, ...event.fields.map((name) => ({ name }))] }), []);
    assert.deepEqual(check.judge({ fields: [] }), event.fields.map((f) => `field ${f} is missing`));
  });

  it('permission set and sample catalog', () => {
    const permset = byTitle('Partner_Center_Admin assigned');
    assert.match(permset.args[3], /Assignee\.Username = 'admin@example\.com'/);
    assert.deepEqual(permset.judge({ records: [{ Id: '0Pa' }] }), []);
    assert.match(permset.judge({ records: [] })[0], /not assigned/);
    const catalog = byTitle('sample solution catalog');
    assert.deepEqual(catalog.judge({ records: [{ Solution_Id__c: 'SOL-1' }] }), ['catalog entry SOL-2 is missing']);
  });

  it('a failed query is a failed check, in words', () => {
    const problems = verdict(byTitle('Opportunity:'), sfReply({ status: 1, name: 'INVALID_FIELD', message: "No such column 'Referral_Id__c' on entity 'Opportunity'." }, 1), 'ci');
    assert.deepEqual(problems, ["Could not run the check: No such column 'Referral_Id__c' on entity 'Opportunity'."]);
  });
});

describe('org:check run', () => {
  it('runs every check, reports each and exits 1 when one fails', async () => {
    const io = recordingIo();
    const runner = scriptedRunner([
      ['org display', sfReply({ status: 0, result: { username: 'admin@example.com' } })],
      ['data query --query SELECT Id FROM PermissionSetAssignment', sfReply({ status: 0, result: { records: [] } })],
      ['data query --query SELECT DeveloperName', sfReply({ status: 0, result: { records: contents.flows.map((f) => ({ DeveloperName: f.name, ActiveVersionId: '301' })) } })],
      ['data query', sfReply({ status: 0, result: { records: [] } })],
      ['sobject describe --sobject Partner_Center_Sync_Request__e', sfReply({ status: 0, result: { fields: contents.objects.find((o) => o.name === 'Partner_Center_Sync_Request__e')!.fields.map((name) => ({ name })) } })],
      ['sobject describe --sobject Partner_Center_Sync_Status__e', sfReply({ status: 0, result: { fields: contents.objects.find((o) => o.name === 'Partner_Center_Sync_Status__e')!.fields.map((name) => ({ name })) } })],
    ]);
    assert.equal(await main(['--target-org', 'ci'], io, runner), EXIT_FAILURE);
    const total = orgChecks(contents, context).length;
    assert.match(io.stdout(), /✗ Partner_Center_Admin assigned to admin@example\.com\n {4}Partner_Center_Admin is not assigned/);
    assert.match(io.stdout(), new RegExp(`${total - 1} of ${total} checks passed on ci\\.`));
  });

  it('exits 0 when all pass', async () => {
    const io = recordingIo();
    const runner = scriptedRunner([
      ['org display', sfReply({ status: 0, result: { username: 'admin@example.com' } })],
      ['data query --query SELECT Id FROM PermissionSetAssignment', sfReply({ status: 0, result: { records: [{ Id: '0Pa' }] } })],
      ['data query --query SELECT DeveloperName', sfReply({ status: 0, result: { records: contents.flows.map((f) => ({ DeveloperName: f.name, ActiveVersionId: '301' })) } })],
      ['data query --query SELECT Solution_Id__c', sfReply({ status: 0, result: { records: sampleCatalogIds().map((id) => ({ Solution_Id__c: id })) } })],
      ['data query', sfReply({ status: 0, result: { records: [] } })],
      ['sobject describe', sfReply({ status: 0, result: { fields: contents.objects.filter((o) => o.platformEvent).flatMap((o) => o.fields).map((name) => ({ name })) } })],
    ]);
    assert.equal(await main(['-o', 'ci', '--sample-catalog'], io, runner), EXIT_OK, io.stdout() + io.stderr());
    assert.doesNotMatch(io.stdout(), /✗/);
  });

  it('rejects unknown flags', () => {
    assert.throws(() => parseCheckArgs(['--catalog']), (e: Error) => e instanceof UsageError && e.message.includes('--catalog'));
  });
});

describe('sample catalog data plan', () => {
  const plan = JSON.parse(readFileSync(path.join(ROOT, CATALOG_PLAN), 'utf8')) as { sobject: string; files: string[] }[];
  const fields = new Set(contents.objects.find((o) => o.name === 'Microsoft_Solution_Detail__c')!.fields);

  it('loads the same catalog as the local org, so both are seeded alike', () => {
    assert.deepEqual(sampleCatalogIds().sort(), SOLUTION_CATALOG.map((s) => s.Solution_Id__c).sort());
  });

  it('uses only fields the package defines, and valid picklist values', () => {
    const picklist = readFileSync(path.join(ROOT, 'force-app/main/default/objects/Microsoft_Solution_Detail__c/fields/Solution_Type__c.field-meta.xml'), 'utf8');
    for (const entry of plan) {
      assert.equal(entry.sobject, 'Microsoft_Solution_Detail__c');
      for (const file of entry.files) {
        const data = JSON.parse(readFileSync(path.join(ROOT, path.dirname(CATALOG_PLAN), file), 'utf8')) as { records: Record<string, unknown>[] };
        for (const record of data.records) {
          assert.equal((record.attributes as { type: string }).type, entry.sobject);
          for (const key of Object.keys(record).filter((k) => k !== 'attributes' && k !== 'Name')) assert.ok(fields.has(key), `${key} is not a field of ${entry.sobject}`);
          assert.ok(picklist.includes(`<fullName>${String(record.Solution_Type__c)}</fullName>`), `picklist value ${String(record.Solution_Type__c)}`);
        }
      }
    }
  });
});
