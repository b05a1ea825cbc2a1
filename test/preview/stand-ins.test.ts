/**
 * The preview's platform stand-ins on the server side, without a browser: the UI API shapes (records, object info,
 * picklists, related lists), the GraphQL → SOQL translation, the preview's HTTP surface, and the bundler's
 * platform checks (no Apex, only labels the package defines). Everything runs against a seeded local org as its
 * real users.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startLocalOrg, type LocalOrg } from '../../sandbox/org/index.js';
import { BundleError, bundleComponents } from '../../sandbox/preview/bundle.js';
import { runGraphql } from '../../sandbox/preview/graphql.js';
import { startPreview, type Preview } from '../../sandbox/preview/index.js';
import { readLabels } from '../../sandbox/preview/labels.js';
import { OrgSession } from '../../sandbox/preview/org-session.js';
import { MASTER_RECORD_TYPE_ID, UiApi, UiApiError } from '../../sandbox/preview/ui-api.js';

let org: LocalOrg;
let seller: OrgSession;
let admin: OrgSession;

function session(key: 'seller' | 'admin'): OrgSession {
  const user = org.control.users.get(key);
  return new OrgSession(
    { url: org.url, apiVersion: org.apiVersion, clientId: org.sellerCredentials.clientId, clientSecret: org.sellerCredentials.clientSecret },
    { username: user.username, password: user.password ?? '' }
  );
}

async function rejects(promise: Promise<unknown>, status: number): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof UiApiError, `a UI API error, got ${String(error)}`);
    assert.equal(error.status, status);
    return error.body;
  }
  assert.fail(`expected a ${status} error`);
}

describe('preview stand-ins against the local org', () => {
  before(async () => {
    org = await startLocalOrg({ seed: true });
    seller = session('seller');
    admin = session('admin');
  });
  after(async () => {
    await org?.close();
  });

  test('getRecord: requested fields, parent paths and picklist display values, in the UI API shape', async () => {
    const id = org.seeded?.opportunities.contosoLandingZone as string;
    const record = (await new UiApi(seller).getRecord(id, ['Opportunity.Name'], ['Opportunity.Microsoft_Help__c', 'Opportunity.Account.Name', 'Opportunity.No_Such__c'])) as {
      apiName: string;
      id: string;
      recordTypeId: string;
      fields: Record<string, { value: unknown; displayValue: unknown }>;
    };
    assert.equal(record.apiName, 'Opportunity');
    assert.equal(record.id, id);
    assert.equal(record.recordTypeId, MASTER_RECORD_TYPE_ID);
    assert.deepEqual(Object.keys(record.fields).sort(), ['Account', 'Microsoft_Help__c', 'Name'], 'an unknown optional field is left out');
    assert.deepEqual(record.fields.Name, { displayValue: null, value: 'Contoso - Azure landing zone' });
    assert.equal(record.fields.Microsoft_Help__c.value, 'CustomerTechnicalArchitecture');
    assert.equal(typeof record.fields.Microsoft_Help__c.displayValue, 'string');
    const account = record.fields.Account as { displayValue: unknown; value: { apiName: string; fields: Record<string, { value: unknown }> } };
    assert.equal(account.displayValue, 'Contoso Pharmaceuticals');
    assert.equal(account.value.apiName, 'Account');
    assert.equal(account.value.fields.Name.value, 'Contoso Pharmaceuticals');
  });

  test('getRecord: an unknown required field fails with 400, a deleted or malformed record id with 404', async () => {
    const api = new UiApi(seller);
    const id = org.seeded?.opportunities.contosoLandingZone as string;
    const bad = (await rejects(api.getRecord(id, ['Opportunity.No_Such__c']), 400)) as Array<{ errorCode: string }>;
    assert.equal(bad[0].errorCode, 'INVALID_FIELD');
    const gone = org.control.records.create('Opportunity', { Name: 'Deleted', StageName: 'Prospecting', CloseDate: '2027-01-31' });
    org.control.records.delete('Opportunity', gone);
    await rejects(api.getRecord(gone, ['Opportunity.Name']), 404);
    await rejects(api.getRecord('not-an-id', ['Opportunity.Name']), 404);
  });

  test('updateRecord: the org\'s validation rule comes back as a field error the components can show', async () => {
    const id = org.seeded?.opportunities.fabrikamDynamics as string;
    const body = (await rejects(new UiApi(seller).updateRecord(id, { Partner_Center_Sync_Status__c: 'Synced' }), 400)) as {
      output: { fieldErrors: Record<string, Array<{ errorCode: string; message: string }>> };
    };
    const errors = body.output.fieldErrors.Partner_Center_Sync_Status__c;
    assert.equal(errors[0].errorCode, 'FIELD_CUSTOM_VALIDATION_EXCEPTION');
    assert.match(errors[0].message, /set by the connector/);
    assert.notEqual(org.control.records.get(id)?.Partner_Center_Sync_Status__c, 'Synced');

    const saved = (await new UiApi(seller).updateRecord(id, { Description: 'From the preview' })) as { fields: Record<string, { value: unknown }> };
    assert.equal(saved.fields.Description.value, 'From the preview');
    assert.equal(org.control.records.get(id)?.Description, 'From the preview');
  });

  test('createRecord and deleteRecord write through the sObject API as the user', async () => {
    const api = new UiApi(seller);
    const opportunity = org.seeded?.opportunities.tailspinTeams as string;
    const created = (await api.createRecord('Microsoft_Solution__c', { Opportunity__c: opportunity, Solution_Id__c: 'SOL-1-ABC', Solution_Name__c: 'Test' })) as {
      id: string;
      apiName: string;
      fields: Record<string, { value: unknown }>;
    };
    assert.equal(created.apiName, 'Microsoft_Solution__c');
    assert.equal(created.fields.Solution_Id__c.value, 'SOL-1-ABC');
    assert.equal(org.control.records.get(created.id)?.Opportunity__c, opportunity);
    await api.deleteRecord(created.id);
    assert.equal(org.control.records.get(created.id), null);
    // The seller may not create catalog entries (read-only object for sellers).
    await rejects(api.createRecord('Microsoft_Solution_Detail__c', { Name: 'x', Solution_Id__c: 'SOL-2-X' }), 400);
  });

  test('getObjectInfo: per-user access, UI API data types and child relationships', async () => {
    const sellerInfo = (await new UiApi(seller).objectInfo('Opportunity')) as {
      updateable: boolean;
      defaultRecordTypeId: string;
      fields: Record<string, { dataType: string; updateable: boolean }>;
      childRelationships: Array<{ relationshipName: string; childObjectApiName: string }>;
    };
    assert.equal(sellerInfo.defaultRecordTypeId, MASTER_RECORD_TYPE_ID);
    assert.equal(sellerInfo.fields.Sync_With_Partner_Center__c.dataType, 'Boolean');
    assert.equal(sellerInfo.fields.Microsoft_Help__c.dataType, 'Picklist');
    assert.equal(sellerInfo.fields.AccountId.dataType, 'Reference');
    assert.equal(sellerInfo.fields.Amount.dataType, 'Currency');
    assert.equal(sellerInfo.fields.Sync_With_Partner_Center__c.updateable, true);
    assert.equal(sellerInfo.fields.Referral_Id__c.updateable, false, 'sellers cannot edit the referral id');
    assert.ok(sellerInfo.childRelationships.some((c) => c.relationshipName === 'Microsoft_Solutions__r' && c.childObjectApiName === 'Microsoft_Solution__c'));
    const adminInfo = (await new UiApi(admin).objectInfo('Opportunity')) as { fields: Record<string, { updateable: boolean }> };
    assert.equal(adminInfo.fields.Referral_Id__c.updateable, true);
    const settings = (await new UiApi(seller).objectInfo('Partner_Center_Settings__c')) as { createable: boolean; updateable: boolean };
    assert.deepEqual([settings.createable, settings.updateable], [false, false], 'sellers cannot change the settings');
  });

  test('getPicklistValues: stage attributes come from the org\'s OpportunityStage records', async () => {
    const api = new UiApi(seller);
    const stages = (await api.picklistValues('Opportunity', MASTER_RECORD_TYPE_ID, 'StageName')) as {
      values: Array<{ value: string; attributes: { closed: boolean; won: boolean } | null }>;
    };
    const org_stages = org.control.records.query('SELECT ApiName, IsClosed, IsWon FROM OpportunityStage WHERE IsActive = true');
    assert.equal(stages.values.length, org_stages.length);
    const won = stages.values.find((v) => v.value === 'Closed Won');
    assert.deepEqual([won?.attributes?.closed, won?.attributes?.won], [true, true]);
    const open = stages.values.find((v) => v.value === 'Prospecting');
    assert.deepEqual([open?.attributes?.closed, open?.attributes?.won], [false, false]);
    await rejects(api.picklistValues('Opportunity', '012000000000001AAA', 'StageName'), 404);
    await rejects(api.picklistValues('Opportunity', MASTER_RECORD_TYPE_ID, 'Name'), 400);
  });

  test('getRelatedListRecords: child records of the parent, sorted, in the collection shape', async () => {
    const api = new UiApi(seller);
    const id = org.seeded?.opportunities.contosoLandingZone as string;
    const roles = (await api.relatedListRecords(id, 'OpportunityContactRoles', { fields: ['OpportunityContactRole.ContactId', 'OpportunityContactRole.Role'], sortBy: ['-OpportunityContactRole.Role'] })) as {
      count: number;
      records: Array<{ apiName: string; fields: Record<string, { value: unknown }> }>;
      listReference: { parentObjectApiName: string; objectApiName: string };
    };
    assert.equal(roles.count, 2);
    assert.deepEqual(roles.records.map((r) => r.fields.Role.value), ['Economic Buyer', 'Decision Maker']);
    assert.equal(roles.records[0].apiName, 'OpportunityContactRole');
    assert.deepEqual([roles.listReference.parentObjectApiName, roles.listReference.objectApiName], ['Opportunity', 'OpportunityContactRole']);
    await rejects(api.relatedListRecords(id, 'NoSuchList__r', { fields: [] }), 400);
  });

  test('graphql: the card\'s, the solutions\' and the setup page\'s query shapes run as SOQL', async () => {
    const catalog = await runGraphql(seller, {
      query: `query catalog($term: String, $first: Int) { uiapi { query {
        matches: Microsoft_Solution_Detail__c(where: { and: [{ Active__c: { eq: true } }, { or: [{ Name: { like: $term } }, { Solution_Id__c: { like: $term } }] }] }, orderBy: { Name: { order: ASC } }, first: $first) {
          edges { node { Id Name { value } Solution_Id__c { value } Solution_Type__c { value displayValue } } }
          totalCount
        }
        catalog: Microsoft_Solution_Detail__c(where: { Active__c: { eq: true } }) { totalCount }
      } } }`,
      variables: { term: '%litware%', first: 2 },
    });
    assert.equal(catalog.errors, undefined, JSON.stringify(catalog.errors));
    const query = (catalog.data as { uiapi: { query: Record<string, { edges?: Array<{ node: Record<string, { value?: unknown }> }>; totalCount: number }> } }).uiapi.query;
    assert.equal(query.matches.totalCount, 3, 'three Litware entries match');
    assert.deepEqual(query.matches.edges?.map((e) => e.node.Name.value), ['Litware Azure Landing Zone Accelerator', 'Litware Data Platform Modernization']);
    assert.equal(query.catalog.totalCount, 6);

    // A literal % in the search term is matched literally (escaped as the solutions component does).
    const literal = await runGraphql(seller, {
      query: 'query { uiapi { query { Microsoft_Solution_Detail__c(where: { Name: { like: "%\\\\%%" } }) { totalCount } } } }',
    });
    assert.equal((literal.data as { uiapi: { query: { Microsoft_Solution_Detail__c: { totalCount: number } } } }).uiapi.query.Microsoft_Solution_Detail__c.totalCount, 0);

    const opportunity = org.seeded?.opportunities.fabrikamDynamics as string;
    org.control.records.create('Partner_Center_Sync_Log__c', { Outcome__c: 'Error', Operation__c: 'Create', Message__c: 'Rejected', Occurred_At__c: '2026-11-01T10:00:00.000Z', Opportunity__c: opportunity }, { as: 'integration' });
    const log = await runGraphql(seller, {
      query: `query { uiapi { query { recentErrors: Partner_Center_Sync_Log__c(where: { Outcome__c: { in: ["Error", "Parked"] } }, orderBy: { Occurred_At__c: { order: DESC } }, first: 10) {
        edges { node { Id Message__c { value } Occurred_At__c { value } Opportunity__r { Name { value } } } } } } } }`,
    });
    assert.equal(log.errors, undefined, JSON.stringify(log.errors));
    const node = (log.data as { uiapi: { query: { recentErrors: { edges: Array<{ node: Record<string, unknown> }> } } } }).uiapi.query.recentErrors.edges[0].node as {
      Message__c: { value: string };
      Occurred_At__c: { value: string };
      Opportunity__r: { Name: { value: string } };
    };
    assert.equal(node.Message__c.value, 'Rejected');
    assert.match(node.Occurred_At__c.value, /^2026-11-01T10:00:00(\.000)?Z$/);
    assert.equal(node.Opportunity__r.Name.value, 'Fabrikam - Dynamics 365 Sales rollout');
  });

  test('graphql: default page size, cursors, and errors for what is not supported', async () => {
    const page = await runGraphql(seller, {
      query: 'query { uiapi { query { OpportunityStage(orderBy: { SortOrder: { order: ASC } }) { edges { cursor node { Id } } pageInfo { hasNextPage endCursor } } } } }',
    });
    const stages = (page.data as { uiapi: { query: { OpportunityStage: { edges: unknown[]; pageInfo: { hasNextPage: boolean; endCursor: string } } } } }).uiapi.query.OpportunityStage;
    assert.equal(stages.edges.length, 10, 'first defaults to 10');
    assert.equal(stages.pageInfo.hasNextPage, true);
    const next = await runGraphql(seller, {
      query: `query { uiapi { query { OpportunityStage(orderBy: { SortOrder: { order: ASC } }, after: "${stages.pageInfo.endCursor}") { edges { node { Id } } pageInfo { hasNextPage } } } } }`,
    });
    const rest = (next.data as { uiapi: { query: { OpportunityStage: { edges: unknown[]; pageInfo: { hasNextPage: boolean } } } } }).uiapi.query.OpportunityStage;
    assert.equal(rest.edges.length, 1);
    assert.equal(rest.pageInfo.hasNextPage, false);

    const mutation = await runGraphql(seller, { query: 'mutation { uiapi { x } }' });
    assert.match(mutation.errors?.[0].message ?? '', /not supported/);
    const syntax = await runGraphql(seller, { query: 'query { uiapi { ' });
    assert.equal(syntax.data, null);
    assert.ok(syntax.errors?.[0].locations, 'syntax errors carry a location');
    const unknown = await runGraphql(seller, { query: 'query { uiapi { query { Opportunity { edges { node { Nope { value } } } } } } }' });
    assert.match(unknown.errors?.[0].message ?? '', /Cannot query field "Nope"/);
  });
});

describe('preview server and bundler', () => {
  let preview: Preview;
  let fixtures: string;

  before(async () => {
    org = await startLocalOrg({ seed: true });
    fixtures = mkdtempSync(path.join(tmpdir(), 'preview-fixtures-'));
    const component = (name: string, js: string) => {
      mkdirSync(path.join(fixtures, name));
      writeFileSync(path.join(fixtures, name, `${name}.js`), js);
      writeFileSync(path.join(fixtures, name, `${name}.html`), '<template><p>{greeting}</p></template>\n');
    };
    component('usesLabel', "import { LightningElement } from 'lwc';\nimport title from '@salesforce/label/c.PC_Card_Title';\nexport default class UsesLabel extends LightningElement { greeting = title; }\n");
    component('usesApex', "import { LightningElement } from 'lwc';\nimport getThings from '@salesforce/apex/ThingController.getThings';\nexport default class UsesApex extends LightningElement { greeting = String(getThings); }\n");
    component('plain', "import { LightningElement } from 'lwc';\nexport default class Plain extends LightningElement { greeting = 'hello'; }\n");
    component('unknownLabel', "import { LightningElement } from 'lwc';\nimport nope from '@salesforce/label/c.No_Such_Label';\nexport default class UnknownLabel extends LightningElement { greeting = nope; }\n");
    preview = await startPreview({ org, componentDirs: [fixtures] });
  });

  after(async () => {
    await preview?.close();
    await org?.close();
    if (fixtures) rmSync(fixtures, { recursive: true, force: true });
  });

  const labelNames = () => new Set(Object.keys(readLabels()));

  test('components bundle together with the LWC engine: an entry each, shared chunks, the labels each uses', async () => {
    const bundle = await bundleComponents({ components: ['usesLabel', 'plain'], labelNames: labelNames(), componentDirs: [fixtures] });
    assert.deepEqual(bundle.labels, { usesLabel: ['PC_Card_Title'], plain: [] });
    const imported = (entry: string) => [...(bundle.files.get(entry) ?? '').matchAll(/(?:from|import) '\.\/(chunks\/[^']+)'/g)].map((m) => m[1]);
    const shared = imported('usesLabel.js').filter((chunk) => imported('plain.js').includes(chunk));
    assert.ok(shared.length > 0, `both entries import the engine from a shared chunk: ${[...bundle.files.keys()].join(', ')}`);
    assert.ok(shared.every((chunk) => bundle.files.has(chunk)));
    assert.match([...bundle.files.values()].join('\n'), /registerComponent|LightningElement/);
  });

  test('imports the platform would reject fail the bundle: Apex methods, undefined labels', async () => {
    await assert.rejects(bundleComponents({ components: ['usesApex'], labelNames: labelNames(), componentDirs: [fixtures] }), (error: unknown) => {
      assert.ok(error instanceof BundleError || /Apex/.test(String(error)));
      assert.match(String((error as Error).message), /Apex methods are not available/);
      return true;
    });
    await assert.rejects(bundleComponents({ components: ['unknownLabel'], labelNames: labelNames(), componentDirs: [fixtures] }), /defines no custom label No_Such_Label/);
  });

  test('pages: the user, language and component are checked; labels are sent in the page language', async () => {
    const ok = await fetch(preview.pageUrl('usesLabel', { user: 'seller', lang: 'it' }));
    assert.equal(ok.status, 200);
    const html = await ok.text();
    assert.match(html, /<html lang="it">/);
    assert.match(html, /"PC_Card_Title":/);
    assert.match(html, /"key":"seller"/);
    assert.equal((await fetch(preview.pageUrl('noSuchComponent', { user: 'seller' }))).status, 404);
    assert.equal((await fetch(preview.pageUrl('usesLabel', { user: 'nobody' }))).status, 400);
    assert.equal((await fetch(preview.pageUrl('usesLabel', { user: 'integration' }))).status, 400, 'the integration user has no interactive login');
    assert.equal((await fetch(preview.pageUrl('usesLabel', { user: 'seller', lang: 'xx' }))).status, 400);
    // One broken component (usesApex) does not take the others down: each is then built alone.
    const entry = await fetch(`${preview.url}/bundles/usesLabel.js`);
    assert.equal(entry.status, 200);
    assert.match(entry.headers.get('content-type') ?? '', /javascript/);
    assert.match(html, new RegExp(`src="${new URL(entry.url).pathname}"`), 'the page loads the entry the redirect names');
    for (const [, chunk] of (await entry.text()).matchAll(/(?:from|import) '\.\/(chunks\/[^']+)'/g)) {
      assert.equal((await fetch(new URL(chunk, entry.url))).status, 200, `${chunk} is served beside the entry`);
    }
    const broken = await fetch(`${preview.url}/bundles/usesApex.js`);
    assert.equal(broken.status, 422);
    assert.match(await broken.text(), /Apex methods are not available/);
    assert.equal((await fetch(`${preview.url}/bundles/all-1/usesLabel.js`)).status, 404);
    const index = await (await fetch(`${preview.url}/`)).text();
    assert.match(index, /usesLabel/);
    const css = await fetch(`${preview.url}/assets/slds/styles/salesforce-lightning-design-system.min.css`);
    assert.equal(css.status, 200);
    assert.match(css.headers.get('content-type') ?? '', /text\/css/);
    assert.equal((await fetch(`${preview.url}/assets/slds/../../package.json`)).status, 404);
  });

  test('the API answers as the page\'s user', async () => {
    const id = org.seeded?.opportunities.contosoLandingZone as string;
    const record = await fetch(`${preview.url}/api/ui-api/records/${id}?fields=Opportunity.Name&user=seller`);
    assert.equal(record.status, 200);
    assert.equal(((await record.json()) as { fields: { Name: { value: string } } }).fields.Name.value, 'Contoso - Azure landing zone');
    const denied = await fetch(`${preview.url}/api/ui-api/records/${id}?user=seller`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ fields: { Referral_Id__c: 'X' } }),
    });
    assert.equal(denied.status, 400, 'a seller cannot write the referral id');
    const events = await fetch(`${preview.url}/api/events/status?user=seller`);
    assert.deepEqual(await events.json(), { enabled: true });
  });
});
