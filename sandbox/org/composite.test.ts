import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Connection } from 'jsforce';
import { startLocalOrg, type LocalOrg } from './index.js';
import { connectAs, rejection } from './test-helpers.js';

let org: LocalOrg;
let conn: Connection;
let admin: Connection;

before(async () => {
  org = await startLocalOrg({ seed: false });
  conn = await connectAs(org, 'integration');
  admin = await connectAs(org, 'admin');
});
after(() => org.close());

type Rec = Record<string, unknown>;
const count = (soql: string) => org.control.records.query(soql).length;
const post = (path: string, body: unknown, method: 'POST' | 'PATCH' = 'POST', as: Connection = conn) =>
  as.request({ method, url: `/services/data/v64.0${path}`, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }) as Promise<unknown>;

describe('sObject collections', () => {
  it('creates with partial success and per-record errors in the collection shape', async () => {
    const results = await conn.sobject('Account').create([{ Name: 'Coll A' }, { BillingCity: 'no name' }, { Name: 'Coll B' }]);
    assert.equal(results.length, 3);
    assert.equal(results[0].success, true);
    assert.deepEqual(results[1], {
      success: false,
      errors: [{ statusCode: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [Name]', fields: ['Name'] }],
    });
    assert.equal(results[2].success, true);
    assert.equal(count("SELECT Id FROM Account WHERE Name LIKE 'Coll %'"), 2);
  });

  it('allOrNone rolls everything back and marks the valid records ALL_OR_NONE_OPERATION_ROLLED_BACK', async () => {
    const results = await conn.sobject('Account').create([{ Name: 'AON 1' }, { Name: 'x'.repeat(256) }], { allOrNone: true });
    assert.deepEqual(results[0], {
      success: false,
      errors: [{ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK', message: 'Record rolled back because not all records were valid and the request was using AllOrNone header', fields: [] }],
    });
    assert.equal((results[1] as { errors: Rec[] }).errors[0].statusCode, 'STRING_TOO_LONG');
    assert.equal(count("SELECT Id FROM Account WHERE Name = 'AON 1'"), 0);
  });

  it('updates, retrieves and deletes many; failures keep their ids where Salesforce gives them', async () => {
    const created = await conn.sobject('Account').create([{ Name: 'Many 1' }, { Name: 'Many 2' }]);
    const ids = created.map((r) => r.id as string);
    // The integration user creates accounts but never edits them (Partner_Center_Integration): the admin edits.
    const updated = await admin.sobject('Account').update([{ Id: ids[0], BillingCountry: 'DE' }, { Id: ids[1], BillingCountry: 'FR' }]);
    assert.deepEqual(updated, [{ id: ids[0], success: true, errors: [] }, { id: ids[1], success: true, errors: [] }]);
    const rows = (await conn.sobject('Account').retrieve([ids[1], ids[0]], { fields: ['Name', 'BillingCountry'] })) as Rec[];
    assert.deepEqual(rows.map((r) => r.BillingCountry), ['FR', 'DE']);
    const refused = await conn.sobject('Account').destroy([ids[0]]);
    assert.deepEqual(refused, [{ id: ids[0], success: false, errors: [{ statusCode: 'INSUFFICIENT_ACCESS_OR_READONLY', message: 'insufficient access rights on object id', fields: [] }] }]);
    const deleted = await admin.sobject('Account').destroy([ids[0], ids[0]]);
    assert.deepEqual(deleted[0], { id: ids[0], success: true, errors: [] });
    assert.deepEqual(deleted[1], { id: ids[0], success: false, errors: [{ statusCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [] }] });
    const badUpdate = await admin.sobject('Account').update([{ Id: ids[0], Name: 'gone' }]);
    assert.equal((badUpdate[0] as { errors: Rec[] }).errors[0].statusCode, 'ENTITY_IS_DELETED');
  });

  it('upserts by external id with created flags, and rejects a key repeated in one request', async () => {
    const first = await conn.sobject('Opportunity').upsert([
      { Referral_Id__c: 'R-1', Name: 'R1', StageName: 'On Hold', CloseDate: '2031-01-01' },
      { Referral_Id__c: 'R-2', Name: 'R2', StageName: 'On Hold', CloseDate: '2031-01-01' },
    ], 'Referral_Id__c');
    assert.deepEqual(first.map((r) => [r.success, (r as Rec).created]), [[true, true], [true, true]]);
    const second = await conn.sobject('Opportunity').upsert([
      { Referral_Id__c: 'R-1', Amount: 10 },
      { Referral_Id__c: 'R-3', Name: 'R3', StageName: 'On Hold', CloseDate: '2031-01-01' },
    ], 'Referral_Id__c');
    assert.deepEqual(second.map((r) => [r.id, (r as Rec).created]), [[first[0].id, false], [second[1].id, true]]);
    const dup = await conn.sobject('Opportunity').upsert([{ Referral_Id__c: 'R-9', Amount: 1 }, { Referral_Id__c: 'r-9', Amount: 2 }], 'Referral_Id__c');
    assert.deepEqual(dup.map((r) => (r as { errors: Rec[] }).errors[0].statusCode), ['DUPLICATE_EXTERNAL_ID', 'DUPLICATE_EXTERNAL_ID']);
  });

  it('limits a collection to 200 records', async () => {
    const records = Array.from({ length: 201 }, (_, i) => ({ attributes: { type: 'Account' }, Name: `Too many ${i}` }));
    const err = await rejection(() => post('/composite/sobjects', { allOrNone: false, records }));
    assert.equal(err.errorCode, 'EXCEEDED_ID_LIMIT');
    const ok = (await post('/composite/sobjects', { allOrNone: false, records: records.slice(0, 200) })) as Rec[];
    assert.equal(ok.filter((r) => r.success).length, 200);
  });
});

describe('composite', () => {
  it('runs subrequests in order with @{ref} references', async () => {
    org.resetStats();
    // As the admin: the last subrequest edits an account, which the integration user may not.
    const res = (await post('/composite', {
      allOrNone: true,
      compositeRequest: [
        { method: 'POST', url: '/services/data/v64.0/sobjects/Account', referenceId: 'acct', body: { Name: 'Composite Co', BillingCountry: 'NL' } },
        { method: 'POST', url: '/services/data/v64.0/sobjects/Contact', referenceId: 'ct', body: { LastName: 'Visser', AccountId: '@{acct.id}' } },
        { method: 'GET', url: "/services/data/v64.0/query?q=SELECT+Id,+Account.Name+FROM+Contact+WHERE+Id='@{ct.id}'", referenceId: 'q' },
        { method: 'PATCH', url: '/services/data/v64.0/sobjects/Account/@{acct.id}', referenceId: 'upd', body: { BillingCity: '@{q.records[0].Account.Name}' } },
      ],
    }, 'POST', admin)) as { compositeResponse: Rec[] };
    const [acct, ct, q, upd] = res.compositeResponse;
    assert.equal(acct.httpStatusCode, 201);
    assert.equal((acct.httpHeaders as Rec).Location, `/services/data/v64.0/sobjects/Account/${(acct.body as Rec).id}`);
    assert.equal(ct.referenceId, 'ct');
    assert.equal(((q.body as { records: Rec[] }).records[0].Account as Rec).Name, 'Composite Co');
    assert.deepEqual(upd, { body: null, httpHeaders: {}, httpStatusCode: 204, referenceId: 'upd' });
    assert.equal(org.control.records.get(String((acct.body as Rec).id))?.BillingCity, 'Composite Co');
    const stats = org.stats();
    assert.equal(stats.byRoute['POST /services/data/vXX.X/composite'], 1);
    assert.equal(stats.total, 1);
    assert.equal(stats.compositeSubrequests, 4);
  });

  it('allOrNone: the failing subrequest reports its error, the others PROCESSING_HALTED, nothing is kept', async () => {
    const res = (await post('/composite', {
      allOrNone: true,
      compositeRequest: [
        { method: 'POST', url: '/services/data/v64.0/sobjects/Account', referenceId: 'a1', body: { Name: 'Halted Co' } },
        { method: 'POST', url: '/services/data/v64.0/sobjects/Opportunity', referenceId: 'o1', body: { Name: 'no stage', AccountId: '@{a1.id}', CloseDate: '2031-01-01' } },
        { method: 'GET', url: '/services/data/v64.0/sobjects/Account/@{a1.id}', referenceId: 'g1' },
      ],
    })) as { compositeResponse: Rec[] };
    const [a1, o1, g1] = res.compositeResponse;
    const halted = [{ errorCode: 'PROCESSING_HALTED', message: 'The transaction was rolled back since another operation in the same transaction failed.' }];
    assert.deepEqual(a1, { body: halted, httpHeaders: {}, httpStatusCode: 400, referenceId: 'a1' });
    assert.equal(o1.httpStatusCode, 400);
    assert.deepEqual(o1.body, [{ message: 'Required fields are missing: [StageName]', errorCode: 'REQUIRED_FIELD_MISSING', fields: ['StageName'] }]);
    assert.deepEqual(g1.body, halted);
    assert.equal(count("SELECT Id FROM Account WHERE Name = 'Halted Co'"), 0);
  });

  it('without allOrNone, independent subrequests succeed and dependents of a failure are halted', async () => {
    const res = (await post('/composite', {
      allOrNone: false,
      compositeRequest: [
        { method: 'POST', url: '/services/data/v64.0/sobjects/Account', referenceId: 'bad', body: { Nme: 'typo' } },
        { method: 'POST', url: '/services/data/v64.0/sobjects/Contact', referenceId: 'dep', body: { LastName: 'Dep', AccountId: '@{bad.id}' } },
        { method: 'POST', url: '/services/data/v64.0/sobjects/Account', referenceId: 'ok', body: { Name: 'Independent Co' } },
      ],
    })) as { compositeResponse: Rec[] };
    const [bad, dep, ok] = res.compositeResponse;
    assert.equal((bad.body as Rec[])[0].errorCode, 'INVALID_FIELD');
    assert.equal((dep.body as Rec[])[0].errorCode, 'PROCESSING_HALTED');
    assert.match(String((dep.body as Rec[])[0].message), /^Invalid reference specified\. No value for bad\.id found in dep\./);
    assert.equal(ok.httpStatusCode, 201);
  });

  it('an all-or-none composite also rolls back a collection subrequest with a failed record', async () => {
    const res = (await post('/composite', {
      allOrNone: true,
      compositeRequest: [
        { method: 'POST', url: '/services/data/v64.0/composite/sobjects', referenceId: 'coll', body: { allOrNone: false, records: [{ attributes: { type: 'Account' }, Name: 'Inner ok' }, { attributes: { type: 'Account' } }] } },
        { method: 'POST', url: '/services/data/v64.0/sobjects/Account', referenceId: 'after', body: { Name: 'After coll' } },
      ],
    })) as { compositeResponse: Rec[] };
    assert.equal(res.compositeResponse[1].httpStatusCode, 400);
    assert.equal(count("SELECT Id FROM Account WHERE Name IN ('Inner ok', 'After coll')"), 0);
  });

  it('rejects malformed composite requests as a whole', async () => {
    assert.equal((await rejection(() => post('/composite', { compositeRequest: [{ method: 'GET', url: '/services/data/v64.0/sobjects', referenceId: 'bad-ref' }] }))).errorCode, 'INVALID_INPUT');
    const tooMany = Array.from({ length: 26 }, (_, i) => ({ method: 'GET', url: '/services/data/v64.0/sobjects', referenceId: `r${i}` }));
    assert.equal((await rejection(() => post('/composite', { compositeRequest: tooMany }))).errorCode, 'INVALID_BATCH_REQUEST');
  });

  it('takes at most 5 queries or sObject Collections among its subrequests', async () => {
    const query = (i: number) => ({ method: 'GET', url: `/services/data/v64.0/query?q=${encodeURIComponent('SELECT Id FROM Account LIMIT 1')}`, referenceId: `q${i}` });
    const collection = { method: 'POST', url: '/services/data/v64.0/composite/sobjects', referenceId: 'c', body: { records: [{ attributes: { type: 'Account' }, Name: 'Sixth heavy' }] } };
    const five = (await post('/composite', { compositeRequest: [0, 1, 2, 3, 4].map(query) })) as { compositeResponse: Rec[] };
    assert.deepEqual(five.compositeResponse.map((r) => r.httpStatusCode), [200, 200, 200, 200, 200]);
    const six = await rejection(() => post('/composite', { compositeRequest: [...[0, 1, 2, 3, 4].map(query), collection] }));
    assert.equal(six.errorCode, 'INVALID_BATCH_REQUEST');
    assert.match(six.message, /more than 5 query or sObject Collections subrequests/);
    assert.equal(count("SELECT Id FROM Account WHERE Name = 'Sixth heavy'"), 0);
  });
});
