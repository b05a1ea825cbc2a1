import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Connection } from 'jsforce';
import { startLocalOrg, type LocalOrg } from './index.js';
import { connectAs, rejection } from './test-helpers.js';

let org: LocalOrg;
let conn: Connection;
const BULK = 2150;

before(async () => {
  org = await startLocalOrg();
  conn = await connectAs(org, 'integration');
  for (let i = 0; i < BULK; i++) org.control.records.create('Lead', { LastName: `Lead ${String(i).padStart(4, '0')}`, Company: 'Bulk Co' });
});
after(() => org.close());

type Rec = Record<string, unknown>;

describe('query through jsforce', () => {
  it('returns parent fields and child sub-queries as the connector reads an opportunity', async () => {
    const id = org.seeded!.opportunities.contosoLandingZone;
    const res = await conn.query<Rec>(
      `SELECT Id, Name, Amount, CurrencyIsoCode, CloseDate, StageName, Account.Name, Account.BillingCountry, Owner.Name,
              (SELECT Contact.FirstName, Contact.LastName, Contact.Email, Role, IsPrimary FROM OpportunityContactRoles ORDER BY IsPrimary DESC),
              (SELECT Solution_Id__c, Solution_Name__c, Solution_Detail__r.Solution_Type__c FROM Microsoft_Solutions__r)
       FROM Opportunity WHERE Id = '${id}'`,
    );
    assert.equal(res.totalSize, 1);
    assert.equal(res.done, true);
    const [opp] = res.records;
    assert.equal(opp.CloseDate, org.control.records.get(id)?.CloseDate);
    assert.deepEqual((opp.Account as Rec).BillingCountry, 'US');
    const roles = (opp.OpportunityContactRoles as { records: Rec[] }).records;
    assert.deepEqual(roles.map((r) => [(r.Contact as Rec).Email, r.IsPrimary]), [['dana.whitfield@contoso.example', true], ['lee.park@contoso.example', false]]);
    const [sol] = (opp.Microsoft_Solutions__r as { records: Rec[] }).records;
    assert.equal((sol.Solution_Detail__r as Rec).Solution_Type__c, 'CoSellReady');
  });

  it('finds syncing records in the recycle bin only with queryAll', async () => {
    const id = org.control.records.create('Account', { Name: 'Soon deleted' });
    org.control.records.delete('Account', id);
    assert.equal((await conn.query(`SELECT Id FROM Account WHERE Id = '${id}'`)).totalSize, 0);
    assert.equal((await conn.query(`SELECT Id FROM Account WHERE Id = '${id}'`, { scanAll: true })).totalSize, 1);
  });

  it('reports query errors as jsforce errors with Salesforce codes', async () => {
    const err = await rejection(async () => conn.query('SELECT Id, Referal_Id__c FROM Opportunity'));
    assert.equal(err.errorCode, 'INVALID_FIELD');
    assert.match(err.message, /No such column 'Referal_Id__c' on entity 'Opportunity'/);
    const res = await fetch(`${org.url}/services/data/v64.0/query?q=${encodeURIComponent('SELECT Id FROM Nothing__c')}`, { headers: { Authorization: `Bearer ${conn.accessToken}` } });
    assert.equal(res.status, 400);
    const body = (await res.json()) as Rec[];
    assert.deepEqual(Object.keys(body[0]), ['message', 'errorCode']);
    assert.equal(body[0].errorCode, 'INVALID_TYPE');
  });
});

describe('paging', () => {
  it('returns 2,000 records and a nextRecordsUrl; the locator serves the rest', async () => {
    const url = `${org.url}/services/data/v64.0/query?q=${encodeURIComponent("SELECT Id, Name FROM Lead WHERE Company = 'Bulk Co' ORDER BY Name")}`;
    const first = (await (await fetch(url, { headers: { Authorization: `Bearer ${conn.accessToken}` } })).json()) as Rec;
    assert.deepEqual(Object.keys(first), ['totalSize', 'done', 'nextRecordsUrl', 'records']);
    assert.equal(first.totalSize, BULK);
    assert.equal(first.done, false);
    assert.equal((first.records as Rec[]).length, 2000);
    assert.match(String(first.nextRecordsUrl), /^\/services\/data\/v64\.0\/query\/01g[A-Za-z0-9]{15}-2000$/);
    const second = (await conn.request(String(first.nextRecordsUrl))) as Rec;
    assert.equal(second.done, true);
    assert.equal(second.nextRecordsUrl, undefined);
    assert.equal((second.records as Rec[]).length, BULK - 2000);
    assert.equal(((second.records as Rec[]).at(-1) as Rec).Name, `Lead ${BULK - 1}`);
    // A finished locator is gone.
    assert.equal((await rejection(() => conn.request(String(first.nextRecordsUrl)))).errorCode, 'INVALID_QUERY_LOCATOR');
  });

  it('jsforce autoFetch follows nextRecordsUrl; batchSize asks for smaller pages', async () => {
    const all = await conn.query("SELECT Id FROM Lead WHERE Company = 'Bulk Co'").run({ autoFetch: true, maxFetch: 5000 });
    assert.equal(all.records.length, BULK);
    assert.equal(all.done, true);
    org.resetStats();
    const small = await conn.query("SELECT Id FROM Lead WHERE Company = 'Bulk Co'")
      .run({ autoFetch: true, maxFetch: 5000, headers: { 'Sforce-Query-Options': 'batchSize=500' } });
    assert.equal(small.records.length, BULK);
    const byRoute = org.stats().byRoute;
    assert.equal(byRoute['GET /services/data/vXX.X/query'], 1);
    assert.equal(byRoute['GET /services/data/vXX.X/query/:locator'], Math.ceil(BULK / 500) - 1);
  });

  it('COUNT() counts without returning rows', async () => {
    const res = await conn.query("SELECT COUNT() FROM Lead WHERE Company = 'Bulk Co'");
    assert.equal(res.totalSize, BULK);
    assert.deepEqual(res.records, []);
  });
});
