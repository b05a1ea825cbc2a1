import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Connection } from 'jsforce';
import { startLocalOrg, type LocalOrg } from './index.js';
import { connectAs, rejection } from './test-helpers.js';

let org: LocalOrg;
let integration: Connection;
let seller: Connection;
let admin: Connection;
let accountId: string;

before(async () => {
  org = await startLocalOrg({ extraFields: { Account: [{ name: 'Legacy_Id__c', label: 'Legacy ID', type: 'string', length: 40, externalId: true }] } });
  integration = await connectAs(org, 'integration');
  seller = await connectAs(org, 'seller');
  admin = await connectAs(org, 'admin');
  accountId = org.seeded!.accounts.contoso;
});
after(() => org.close());

type Rec = Record<string, unknown>;
const newOpp = (extra: Rec = {}): Rec => ({ Name: 'Test deal', StageName: 'Prospecting', CloseDate: '2031-03-01', AccountId: accountId, ...extra });

/** The raw error body of a REST call, to check Salesforce's exact shape. */
async function raw(conn: Connection, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${org.url}/services/data/v64.0${path}`, {
    method,
    headers: { Authorization: `Bearer ${conn.accessToken}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: res.status === 204 ? null : await res.json() };
}

describe('sObject rows', () => {
  it('creates, reads, updates and deletes with the platform\'s status codes and audit fields', async () => {
    const created = await integration.sobject('Opportunity').create(newOpp({ Amount: 1234.567 }));
    assert.equal(created.success, true);
    const id = created.id as string;
    assert.match(id, /^006[A-Za-z0-9]{15}$/);
    const row = (await integration.sobject('Opportunity').retrieve(id)) as Rec;
    assert.equal(row.Amount, 1234.57);
    assert.equal(row.IsClosed, false);
    assert.equal(row.Probability, 10);
    assert.equal(row.Partner_Center_Sync_Status__c, 'Not Synced');
    assert.equal(row.Sync_With_Partner_Center__c, false);
    assert.equal(row.OwnerId, org.control.users.get('integration').id);
    assert.match(String(row.CreatedDate), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/);
    assert.deepEqual((row.attributes as Rec).type, 'Opportunity');

    await seller.sobject('Opportunity').update({ Id: id, StageName: 'Closed Won' });
    const won = (await seller.sobject('Opportunity').retrieve(id, { fields: ['IsClosed', 'IsWon', 'LastModifiedById', 'Probability'] })) as Rec;
    assert.deepEqual({ ...won, attributes: undefined }, { attributes: undefined, IsClosed: true, IsWon: true, LastModifiedById: org.control.users.get('seller').id, Probability: 100 });

    assert.equal((await raw(integration, 'PATCH', `/sobjects/Opportunity/${id}`, { Description: 'x' })).status, 204);
    assert.equal((await raw(admin, 'DELETE', `/sobjects/Opportunity/${id}`)).status, 204);
    assert.deepEqual(await raw(integration, 'GET', `/sobjects/Opportunity/${id}`), { status: 404, body: [{ errorCode: 'ENTITY_IS_DELETED', message: 'entity is deleted' }] });
    const all = await integration.query(`SELECT Id, IsDeleted FROM Opportunity WHERE Id = '${id}'`, { scanAll: true });
    assert.deepEqual(all.records.map((r) => r.IsDeleted), [true]);
  });

  it('cascades a delete to master-detail children and clears lookups', async () => {
    const oppId = (await integration.sobject('Opportunity').create(newOpp())).id as string;
    const sol = (await integration.sobject('Microsoft_Solution__c').create({ Opportunity__c: oppId, Solution_Id__c: 'SOL-1' })).id as string;
    const log = (await integration.sobject('Partner_Center_Sync_Log__c').create({ Opportunity__c: oppId, Direction__c: 'Outbound', Outcome__c: 'Success' })).id as string;
    await admin.sobject('Opportunity').destroy(oppId);
    assert.equal(org.control.records.get(sol), null);
    assert.equal(org.control.records.get(log)?.Opportunity__c, null);
    assert.match(String(org.control.records.get(log)?.Name), /^SL-\d{8}$/);
  });

  it('answers unknown types, malformed and foreign ids like Salesforce', async () => {
    assert.deepEqual(await raw(integration, 'GET', '/sobjects/Opportunty/describe'), { status: 404, body: [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }] });
    assert.deepEqual(await raw(integration, 'GET', '/sobjects/Opportunity/not-an-id'), { status: 404, body: [{ errorCode: 'NOT_FOUND', message: 'Provided external ID field does not exist or is not accessible: not-an-id' }] });
    assert.equal((await raw(integration, 'GET', `/sobjects/Opportunity/${accountId}`)).status, 404);
    assert.equal((await raw(integration, 'PUT', `/sobjects/Opportunity/${accountId}`, {})).status, 405);
  });
});

describe('conditional update: If-Unmodified-Since', () => {
  // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/intro_rest_conditional_requests.htm
  async function patch(id: string, since: string, body: Rec): Promise<number> {
    const res = await fetch(`${org.url}/services/data/v64.0/sobjects/Opportunity/${id}`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${integration.accessToken}`, 'Content-Type': 'application/json', 'If-Unmodified-Since': since },
      body: JSON.stringify(body),
    });
    return res.status;
  }

  it('writes only while the record is unmodified since the date, to the second; 412 and nothing written otherwise', async () => {
    const id = (await integration.sobject('Opportunity').create(newOpp({ Description: 'as read' }))).id as string;
    const read = (await integration.sobject('Opportunity').retrieve(id)) as Rec;
    const since = new Date(Math.floor(Date.parse(String(read.LastModifiedDate)) / 1000) * 1000).toUTCString();
    assert.equal(await patch(id, since, { Description: 'first write' }), 204);
    // The write made the record newer than the date: a second write on the same precondition is refused.
    await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 5));
    await seller.sobject('Opportunity').update({ Id: id, Description: 'seller edit' });
    assert.equal(await patch(id, since, { Description: 'stale write' }), 412);
    assert.equal(((await integration.sobject('Opportunity').retrieve(id)) as Rec).Description, 'seller edit');
    const later = new Date(Date.now() + 1000).toUTCString();
    assert.equal(await patch(id, later, { Description: 'fresh write' }), 204);
  });

  it('refuses a value that is not an HTTP-date with 400', async () => {
    const id = (await integration.sobject('Opportunity').create(newOpp())).id as string;
    assert.equal(await patch(id, '2026-12-07T10:00:00Z', { Description: 'x' }), 400);
  });
});

describe('object permissions from the package\'s permission sets', () => {
  it('the connector cannot delete; a seller cannot write settings, the catalog or sync logs', async () => {
    const id = (await integration.sobject('Opportunity').create(newOpp())).id as string;
    const denied = [{ message: 'insufficient access rights on object id', errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY', fields: [] }];
    assert.deepEqual(await raw(integration, 'DELETE', `/sobjects/Opportunity/${id}`), { status: 400, body: denied });
    assert.deepEqual(await raw(seller, 'POST', '/sobjects/Partner_Center_Settings__c', { Name: 'Mine' }), { status: 400, body: denied });
    assert.deepEqual(await raw(seller, 'PATCH', `/sobjects/Partner_Center_Settings__c/${org.seeded!.settingsId}`, { Active__c: false }), { status: 400, body: denied });
    assert.deepEqual(await raw(integration, 'POST', '/sobjects/Microsoft_Solution_Detail__c', { Name: 'x', Solution_Id__c: 'SOL-99999-XYZ' }), { status: 400, body: denied });
    assert.equal((await raw(seller, 'POST', '/sobjects/Partner_Center_Sync_Status__e', { Opportunity_Id__c: id, Sync_Status__c: 'Synced' })).status, 400);
    assert.equal((await integration.describe('Opportunity')).deletable, false);
    assert.equal((await seller.describe('Partner_Center_Settings__c')).createable, false);
    assert.equal((await admin.describe('Partner_Center_Settings__c')).createable, true);
  });
});

describe('save rules', () => {
  const expectError = async (conn: Connection, method: string, path: string, body: unknown, expected: Rec[]) => {
    const res = await raw(conn, method, path, body);
    assert.equal(res.status, 400, JSON.stringify(res.body));
    assert.deepEqual(res.body, expected);
  };

  it('REQUIRED_FIELD_MISSING lists the missing fields', async () => {
    await expectError(integration, 'POST', '/sobjects/Opportunity', { Name: 'x' }, [
      { message: 'Required fields are missing: [CloseDate, StageName]', errorCode: 'REQUIRED_FIELD_MISSING', fields: ['CloseDate', 'StageName'] },
    ]);
  });

  it('runs the package\'s validation rules with their messages', async () => {
    const id = (await integration.sobject('Opportunity').create(newOpp({ Visible_To_Microsoft_Sellers__c: true }))).id as string;
    const visibility = {
      message: 'Visible to Microsoft Sellers cannot be turned off once saved: this deal has been shared with Microsoft sellers in Partner Center, and that sharing cannot be withdrawn.',
      errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      fields: ['Visible_To_Microsoft_Sellers__c'],
    };
    await expectError(seller, 'PATCH', `/sobjects/Opportunity/${id}`, { Visible_To_Microsoft_Sellers__c: false }, [visibility]);
    // The rule binds the connector too.
    await expectError(integration, 'PATCH', `/sobjects/Opportunity/${id}`, { Visible_To_Microsoft_Sellers__c: false }, [visibility]);
    await expectError(seller, 'POST', '/sobjects/Opportunity', newOpp({ Microsoft_Help__c: 'QuotesOrLicensing' }), [
      {
        message: 'How Can Microsoft Help? needs Visible to Microsoft Sellers: select Visible to Microsoft Sellers to ask Microsoft for help, or clear How Can Microsoft Help?.',
        errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
        fields: ['Visible_To_Microsoft_Sellers__c'],
      },
    ]);
    const ok = await seller.sobject('Opportunity').create(newOpp({ Microsoft_Help__c: 'QuotesOrLicensing', Visible_To_Microsoft_Sellers__c: true }));
    assert.equal(ok.success, true);
  });

  it('only the connector may set the sync status to anything but Pending', async () => {
    const id = (await integration.sobject('Opportunity').create(newOpp({ Partner_Center_Sync_Status__c: 'Error' }))).id as string;
    await expectError(seller, 'PATCH', `/sobjects/Opportunity/${id}`, { Partner_Center_Sync_Status__c: 'Synced' }, [
      {
        message: 'Partner Center Sync Status is set by the connector: you can only change it to Pending to retry the sync. Use Retry sync on the Microsoft Partner Center card.',
        errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
        fields: ['Partner_Center_Sync_Status__c'],
      },
    ]);
    await seller.sobject('Opportunity').update({ Id: id, Partner_Center_Sync_Status__c: 'Pending' });
    await integration.sobject('Opportunity').update({ Id: id, Partner_Center_Sync_Status__c: 'Synced' });
  });

  it('restricted picklists, stages and currencies reject unknown values', async () => {
    await expectError(integration, 'POST', '/sobjects/Opportunity', newOpp({ Microsoft_Help__c: 'Unknown' }), [
      { message: 'How Can Microsoft Help?: bad value for restricted picklist field: Unknown', errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', fields: ['Microsoft_Help__c'] },
    ]);
    await expectError(integration, 'POST', '/sobjects/Opportunity', newOpp({ StageName: 'Dreaming' }), [
      { message: 'Stage: bad value for restricted picklist field: Dreaming', errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', fields: ['StageName'] },
    ]);
    const res = await raw(integration, 'POST', '/sobjects/Opportunity', newOpp({ CurrencyIsoCode: 'XXX' }));
    assert.equal((res.body as Rec[])[0].errorCode, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
  });

  it('unique external ids reject duplicates (case-insensitively) with DUPLICATE_VALUE', async () => {
    const first = (await integration.sobject('Opportunity').create(newOpp({ Referral_Id__c: 'ref-dup-1' }))).id as string;
    await expectError(integration, 'POST', '/sobjects/Opportunity', newOpp({ Referral_Id__c: 'REF-DUP-1' }), [
      { message: `duplicate value found: Referral_Id__c duplicates value on record with id: ${first.slice(0, 15)}`, errorCode: 'DUPLICATE_VALUE', fields: [] },
    ]);
  });

  it('field-level security: the seller cannot write the connector\'s fields', async () => {
    const id = (await integration.sobject('Opportunity').create(newOpp())).id as string;
    await expectError(seller, 'PATCH', `/sobjects/Opportunity/${id}`, { Referral_Id__c: 'x', Partner_Center_Status__c: 'Active', Name: 'ok' }, [
      {
        message: 'Unable to create/update fields: Referral_Id__c, Partner_Center_Status__c. Please check the security settings of this field and verify that it is read/write for your profile or permission set.',
        errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
        fields: ['Referral_Id__c', 'Partner_Center_Status__c'],
      },
    ]);
    const describe = await seller.describe('Opportunity');
    const audit = describe.fields.find((f) => f.name === 'Partner_Center_Audit__c');
    assert.equal(audit?.updateable, false);
    const auditForConnector = (await integration.describe('Opportunity')).fields.find((f) => f.name === 'Partner_Center_Audit__c');
    assert.equal(auditForConnector?.updateable, true);
    // Platform-maintained fields are read-only for everyone.
    await expectError(integration, 'PATCH', `/sobjects/Opportunity/${id}`, { IsWon: true }, [
      { message: 'Unable to create/update fields: IsWon. Please check the security settings of this field and verify that it is read/write for your profile or permission set.', errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', fields: ['IsWon'] },
    ]);
  });

  it('STRING_TOO_LONG for the audit trail over 131,072 characters', async () => {
    const id = (await integration.sobject('Opportunity').create(newOpp())).id as string;
    await integration.sobject('Opportunity').update({ Id: id, Partner_Center_Audit__c: 'a'.repeat(131072) });
    const res = await raw(integration, 'PATCH', `/sobjects/Opportunity/${id}`, { Partner_Center_Audit__c: 'a'.repeat(131073) });
    assert.equal(res.status, 400);
    const [err] = res.body as Rec[];
    assert.equal(err.errorCode, 'STRING_TOO_LONG');
    assert.deepEqual(err.fields, ['Partner_Center_Audit__c']);
    assert.match(String(err.message), /^Partner Center Audit Trail: data value too large: a+\.\.\. \(max length=131072\)$/);
  });

  it('rejects unknown fields, wrong value types and bad references', async () => {
    assert.deepEqual(await raw(integration, 'POST', '/sobjects/Opportunity', newOpp({ Referal_Id__c: 'x' })), {
      status: 400, body: [{ message: "No such column 'Referal_Id__c' on sobject of type Opportunity", errorCode: 'INVALID_FIELD', fields: [] }],
    });
    assert.deepEqual((await raw(integration, 'POST', '/sobjects/Opportunity', newOpp({ Id: accountId }))).body, [
      { message: 'The Id field should not be specified in the sobject data.', errorCode: 'INVALID_FIELD', fields: [] },
    ]);
    const wrongType = await raw(integration, 'POST', '/sobjects/Opportunity', newOpp({ CloseDate: 'tomorrow' }));
    assert.equal((wrongType.body as Rec[])[0].errorCode, 'JSON_PARSER_ERROR');
    const malformed = await raw(integration, 'POST', '/sobjects/Opportunity', newOpp({ AccountId: 'abc' }));
    assert.deepEqual(malformed.body, [{ message: 'Account ID: id value of incorrect type: abc', errorCode: 'MALFORMED_ID', fields: ['AccountId'] }]);
    const foreign = await raw(integration, 'POST', '/sobjects/Opportunity', newOpp({ AccountId: org.seeded!.contacts.dana }));
    assert.equal((foreign.body as Rec[])[0].errorCode, 'FIELD_INTEGRITY_EXCEPTION');
    const bad = await fetch(`${org.url}/services/data/v64.0/sobjects/Opportunity`, { method: 'POST', headers: { Authorization: `Bearer ${integration.accessToken}`, 'Content-Type': 'application/json' }, body: '{"Name":' });
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as Rec[])[0].errorCode, 'JSON_PARSER_ERROR');
  });

  it('fault knob: UNABLE_TO_LOCK_ROW on the next write, then normal service', async () => {
    const id = (await integration.sobject('Opportunity').create(newOpp())).id as string;
    org.control.faults.set({ lockRowNext: 1 });
    const err = await rejection(() => integration.sobject('Opportunity').update({ Id: id, Name: 'locked' }));
    assert.equal(err.errorCode, 'UNABLE_TO_LOCK_ROW');
    assert.match(err.message, /^unable to obtain exclusive access to this record or 1 records: 006/);
    await integration.sobject('Opportunity').update({ Id: id, Name: 'unlocked' });
    org.control.faults.reset();
  });

  it('fault knob: extra latency on every call', async () => {
    org.control.faults.set({ latencyMs: 120 });
    const started = Date.now();
    await integration.query('SELECT Id FROM Account LIMIT 1');
    assert.ok(Date.now() - started >= 110);
    org.control.faults.reset();
  });
});

describe('upsert by external id', () => {
  it('creates (201), then updates (200), matching case-insensitively', async () => {
    const path = '/sobjects/Opportunity/Referral_Id__c/REF-UPSERT-1';
    const created = await raw(integration, 'PATCH', path, { Name: 'From Partner Center', StageName: 'On Hold', CloseDate: '2031-01-01' });
    assert.equal(created.status, 201);
    const id = (created.body as Rec).id as string;
    assert.deepEqual(created.body, { id, success: true, errors: [], created: true });
    const updated = await raw(integration, 'PATCH', '/sobjects/Opportunity/Referral_Id__c/ref-upsert-1', { Amount: 99 });
    assert.deepEqual(updated, { status: 200, body: { id, success: true, errors: [], created: false } });
    const viaJsforce = await integration.sobject('Opportunity').upsert({ Referral_Id__c: 'REF-UPSERT-1', Amount: 100 }, 'Referral_Id__c');
    assert.equal((viaJsforce as Rec).id, id);
    assert.equal(org.control.records.get(id)?.Referral_Id__c, 'REF-UPSERT-1');
    assert.equal(org.control.records.get(id)?.Amount, 100);
    const fetched = await raw(integration, 'GET', '/sobjects/Opportunity/Referral_Id__c/REF-UPSERT-1');
    assert.equal((fetched.body as Rec).Id, id);
  });

  it('answers 300 with the matching records when a non-unique external id matches several', async () => {
    // The package's external ids are unique; a customer's own non-unique one (extraFields) can match twice.
    for (let i = 0; i < 2; i++) await integration.sobject('Account').create({ Name: `Legacy ${i}`, Legacy_Id__c: 'L-42' });
    const res = await raw(integration, 'PATCH', '/sobjects/Account/Legacy_Id__c/L-42', { Phone: '1' });
    assert.equal(res.status, 300);
    assert.equal((res.body as string[]).length, 2);
    assert.match((res.body as string[])[0], /^\/services\/data\/v64\.0\/sobjects\/Account\/001[A-Za-z0-9]{15}$/);
    const err = await rejection(() => integration.sobject('Account').upsert({ Legacy_Id__c: 'L-42', Phone: '2' }, 'Legacy_Id__c'));
    assert.equal(err.errorCode, 'MULTIPLE_CHOICES');
  });

  it('404 for a field that is not an external id; updateOnly does not create', async () => {
    assert.deepEqual(await raw(integration, 'PATCH', '/sobjects/Opportunity/Name/x', { Amount: 1 }), {
      status: 404, body: [{ message: 'Provided external ID field does not exist or is not accessible: Name', errorCode: 'NOT_FOUND', fields: [] }],
    });
    assert.equal((await raw(integration, 'PATCH', '/sobjects/Opportunity/Referral_Id__c/none?updateOnly=true', { Amount: 1 })).status, 404);
  });
});

describe('describe and relationships', () => {
  it('describeGlobal lists the package objects with key prefixes', async () => {
    const global = await integration.describeGlobal();
    const byName = new Map(global.sobjects.map((s) => [s.name, s]));
    assert.equal(byName.get('Opportunity')?.keyPrefix, '006');
    assert.equal(byName.get('OpportunityContactRole')?.keyPrefix, '00K');
    assert.equal(byName.get('Microsoft_Solution__c')?.custom, true);
    assert.equal(byName.get('Partner_Center_Sync_Status__e')?.queryable, false);
  });

  it('describe gives fields with types, picklist values, external ids and child relationships', async () => {
    const d = await integration.describe('Opportunity');
    const field = (n: string) => d.fields.find((f) => f.name === n)!;
    assert.deepEqual((field('Microsoft_Help__c').picklistValues ?? []).map((p) => p.value), ['GeneralOrOther', 'CustomerTechnicalArchitecture', 'ProofOfConceptOrDemo', 'QuotesOrLicensing', 'PostSalesCustomerSuccess', 'WorkloadSpecificValueProposition']);
    assert.equal(field('Referral_Id__c').externalId, true);
    assert.equal(field('Referral_Id__c').unique, true);
    assert.equal(field('Partner_Center_Audit__c').length, 131072);
    assert.equal(field('AccountId').type, 'reference');
    assert.deepEqual(field('AccountId').referenceTo, ['Account']);
    // Stages come from the org's OpportunityStage rows, the on-hold stage included.
    assert.ok((field('StageName').picklistValues ?? []).some((p) => p.value === 'On Hold'));
    const children = d.childRelationships.map((c) => c.relationshipName);
    assert.ok(children.includes('OpportunityContactRoles') && children.includes('Microsoft_Solutions__r') && children.includes('Partner_Center_Sync_Logs__r'));
  });

  it('walks a relationship from a record', async () => {
    const res = await raw(integration, 'GET', `/sobjects/Opportunity/${org.seeded!.opportunities.contosoLandingZone}/OpportunityContactRoles`);
    assert.equal((res.body as Rec).totalSize, 2);
    const parent = await raw(integration, 'GET', `/sobjects/Opportunity/${org.seeded!.opportunities.contosoLandingZone}/Account`);
    assert.equal((parent.body as Rec).Name, 'Contoso Pharmaceuticals');
  });
});

describe('platform events and call statistics', () => {
  it('publishes Partner_Center_Sync_Status__e (201 with an id) to subscribers', async () => {
    const received: Rec[] = [];
    const stop = org.control.events.subscribe('Partner_Center_Sync_Status__e', (m) => received.push(m.data.payload));
    const oppId = org.seeded!.opportunities.contosoLandingZone;
    const res = await raw(integration, 'POST', '/sobjects/Partner_Center_Sync_Status__e', { Opportunity_Id__c: oppId, Sync_Status__c: 'Synced', Message__c: 'ok' });
    stop();
    assert.equal(res.status, 201);
    assert.match(String((res.body as Rec).id), /^e02/);
    assert.equal(received.length, 1);
    assert.equal(received[0].Sync_Status__c, 'Synced');
    assert.equal(received[0].CreatedById, org.control.users.get('integration').id);
    const tooLong = await raw(integration, 'POST', '/sobjects/Partner_Center_Sync_Status__e', { Opportunity_Id__c: oppId, Sync_Status__c: 'x'.repeat(21) });
    assert.equal((tooLong.body as Rec[])[0].errorCode, 'STRING_TOO_LONG');
    const missing = await raw(integration, 'POST', '/sobjects/Partner_Center_Sync_Status__e', { Message__c: 'no id' });
    assert.deepEqual(missing.body, [{ message: 'Required fields are missing: [Opportunity_Id__c, Sync_Status__c]', errorCode: 'REQUIRED_FIELD_MISSING', fields: ['Opportunity_Id__c', 'Sync_Status__c'] }]);
    const stream = await fetch(`${org.url}/local/events/Partner_Center_Sync_Status__e?after=0`, { headers: { Authorization: `Bearer ${integration.accessToken}` } });
    assert.equal(((await stream.json()) as unknown[]).length, 1);
  });

  it('counts every API call by route', async () => {
    org.resetStats();
    await integration.query('SELECT Id FROM Account');
    await integration.sobject('Account').create({ Name: 'Counted' });
    await raw(integration, 'GET', '/sobjects/Nope/describe');
    const stats = org.stats();
    assert.equal(stats.total, 3);
    assert.deepEqual(stats.byRoute, {
      'GET /services/data/vXX.X/query': 1,
      'GET /services/data/vXX.X/sobjects/:type/describe': 1,
      'POST /services/data/vXX.X/sobjects/:type': 1,
    });
  });
});
