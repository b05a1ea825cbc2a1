import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiError } from './errors.js';
import { Org } from './org.js';
import { provisionStages, seedDemoData, type SeedResult } from './seed.js';

let org: Org;
let seeded: SeedResult;
const ids = (soql: string): string[] => org.queries.execute(soql, { version: '64.0' }).records.map((r) => String(r.Id));
const names = (soql: string): string[] => org.queries.execute(soql, { version: '64.0' }).records.map((r) => String(r.Name));
const fails = (soql: string, errorCode: string, message?: RegExp): void => {
  assert.throws(() => org.queries.execute(soql, { version: '64.0' }), (err: unknown) => {
    assert.ok(err instanceof ApiError, String(err));
    assert.equal(err.statusCode, 400);
    assert.equal(err.errorCode, errorCode, err.message);
    if (message) assert.match(err.message, message);
    return true;
  });
};

before(() => {
  org = new Org();
  provisionStages(org);
  seeded = seedDemoData(org) as SeedResult;
  const sys = org.systemActor();
  // Extra rows for null, LIKE and ordering cases.
  org.dml.create(sys, 'Account', { Name: "O'Brien & Sons", BillingCountry: 'IE' });
  org.dml.create(sys, 'Account', { Name: '100% Juice_Co' });
});
after(() => org.close());

describe('SOQL: fields and relationships', () => {
  it('shapes parent fields as nested objects and children as sub-query results', () => {
    const [rec] = org.queries.execute(
      `SELECT Name, Account.Name, Account.Owner.Name, (SELECT Role, Contact.LastName FROM OpportunityContactRoles WHERE IsPrimary = true), (SELECT Solution_Id__c FROM Microsoft_Solutions__r), (SELECT Id FROM Partner_Center_Sync_Logs__r) FROM Opportunity WHERE Id = '${seeded.opportunities.contosoLandingZone}'`,
      { version: '64.0' },
    ).records;
    assert.deepEqual(Object.keys(rec), ['attributes', 'Name', 'Account', 'OpportunityContactRoles', 'Microsoft_Solutions__r', 'Partner_Center_Sync_Logs__r']);
    assert.deepEqual(rec.attributes, { type: 'Opportunity', url: `/services/data/v64.0/sobjects/Opportunity/${seeded.opportunities.contosoLandingZone}` });
    const account = rec.Account as Record<string, unknown>;
    assert.equal(account.Name, 'Contoso Pharmaceuticals');
    assert.equal((account.Owner as Record<string, unknown>).Name, 'Sam Seller');
    const roles = rec.OpportunityContactRoles as { totalSize: number; done: boolean; records: Record<string, unknown>[] };
    assert.equal(roles.totalSize, 1);
    assert.equal(roles.done, true);
    assert.equal(roles.records[0].Role, 'Decision Maker');
    assert.equal((roles.records[0].Contact as Record<string, unknown>).LastName, 'Whitfield');
    assert.equal((rec.Microsoft_Solutions__r as { records: Record<string, unknown>[] }).records[0].Solution_Id__c, 'SOL-10482-LZA');
    assert.equal(rec.Partner_Center_Sync_Logs__r, null);
  });

  it('returns null for a missing parent and canonical API-name casing whatever the query used', () => {
    const opp = org.dml.create(org.systemActor(), 'Opportunity', { Name: 'No account', StageName: 'Prospecting', CloseDate: '2030-01-01' });
    const [rec] = org.queries.execute(`select name, account.name, ACCOUNT.billingcountry from opportunity where id = '${opp}'`, { version: '64.0' }).records;
    assert.deepEqual(rec, { attributes: rec.attributes, Name: 'No account', Account: null });
  });

  it('COUNT() returns only the number of rows', () => {
    const page = org.queries.execute('SELECT COUNT() FROM Opportunity WHERE IsClosed = false', { version: '64.0' });
    assert.equal(page.totalSize, ids('SELECT Id FROM Opportunity WHERE IsClosed = false').length);
    assert.deepEqual(page.records, []);
  });

  it('expands FIELDS(STANDARD) and bounds FIELDS(ALL)', () => {
    const [rec] = org.queries.execute('SELECT FIELDS(ALL) FROM Microsoft_Solution_Detail__c LIMIT 1', { version: '64.0' }).records;
    assert.ok('Solution_Id__c' in rec && 'CreatedDate' in rec);
    fails('SELECT FIELDS(ALL) FROM Account', 'MALFORMED_QUERY', /LIMIT of at most 200/);
  });
});

describe('SOQL: WHERE', () => {
  it('compares text case-insensitively and supports LIKE with escapes', () => {
    assert.deepEqual(names("SELECT Name FROM Account WHERE BillingCountry = 'deutschland'"), ['Fabrikam Handels GmbH']);
    assert.deepEqual(names("SELECT Name FROM Account WHERE Name LIKE 'o\\'brien%'"), ["O'Brien & Sons"]);
    assert.deepEqual(names("SELECT Name FROM Account WHERE Name LIKE '100\\%%'"), ['100% Juice_Co']);
    assert.deepEqual(names("SELECT Name FROM Account WHERE Name LIKE '%\\_Co'"), ['100% Juice_Co']);
  });

  it('matches LIKE pieces in order, anchored at both ends, without letting them overlap', () => {
    assert.deepEqual(names("SELECT Name FROM Account WHERE Name LIKE '%brien%SONS'"), ["O'Brien & Sons"]);
    assert.deepEqual(names("SELECT Name FROM Account WHERE Name LIKE '%sons%brien%'"), []);
    assert.deepEqual(names("SELECT Name FROM Account WHERE Name LIKE 'contoso%s'"), ['Contoso Pharmaceuticals']);
    assert.deepEqual(names("SELECT Name FROM Account WHERE Name LIKE 'contoso%'"), ['Contoso Pharmaceuticals']);
    assert.deepEqual(names("SELECT Name FROM Account WHERE Name LIKE 'Tailspin Toys%s'"), []);
    assert.deepEqual(names("SELECT Name FROM Account WHERE Name LIKE 'tailspin toys'"), ['Tailspin Toys']);
    assert.deepEqual(names("SELECT Name FROM Account WHERE Name LIKE 'T_ilspin%'"), ['Tailspin Toys']);
  });

  it('follows SOQL null semantics', () => {
    const all = ids('SELECT Id FROM Account').length;
    const missing = ids('SELECT Id FROM Account WHERE BillingCountry = null').length;
    assert.equal(missing, 2);
    assert.equal(ids('SELECT Id FROM Account WHERE BillingCountry != null').length, all - missing);
    // `!= x` and NOT IN keep rows whose value is null.
    assert.equal(ids("SELECT Id FROM Account WHERE BillingCountry != 'US'").length, all - 1);
    assert.equal(ids("SELECT Id FROM Account WHERE BillingCountry NOT IN ('US', 'GB')").length, all - 2);
    assert.equal(ids("SELECT Id FROM Account WHERE BillingCountry IN ('US', null)").length, missing + 1);
    assert.equal(ids("SELECT Id FROM Account WHERE BillingCountry < 'ZZ'").length, all - missing);
  });

  it('honours parentheses, NOT and AND/OR', () => {
    const soql = "SELECT Name FROM Account WHERE (BillingCountry = 'US' OR BillingCountry = 'GB') AND NOT Name LIKE 'North%' ORDER BY Name";
    assert.deepEqual(names(soql), ['Contoso Pharmaceuticals']);
    assert.deepEqual(names("SELECT Name FROM Account WHERE NOT (BillingCountry = 'US' OR BillingCountry = null) AND Name != 'x' ORDER BY Name"),
      ['Fabrikam Handels GmbH', 'Northwind Traders Ltd', "O'Brien & Sons"]);
    fails("SELECT Id FROM Account WHERE Name = 'a' AND Name = 'b' OR Name = 'c'", 'MALFORMED_QUERY', /unexpected token: 'OR'/);
  });

  it('compares numbers, booleans, dates, datetimes and date literals with their types', () => {
    assert.deepEqual(names('SELECT Name FROM Opportunity WHERE Amount >= 250000 AND IsWon = false'), ['Contoso - Azure landing zone']);
    assert.deepEqual(names('SELECT Name FROM Opportunity WHERE IsWon = true'), ['Northwind - Data platform modernisation']);
    assert.equal(ids('SELECT Id FROM Opportunity WHERE CloseDate < TODAY').length, 1);
    assert.equal(ids('SELECT Id FROM Opportunity WHERE CloseDate = NEXT_N_DAYS:91 AND CloseDate > 2000-01-01').length, 3);
    assert.equal(ids('SELECT Id FROM Opportunity WHERE CreatedDate = TODAY AND LastModifiedDate > 2000-01-01T00:00:00Z').length, ids('SELECT Id FROM Opportunity').length);
    fails("SELECT Id FROM Opportunity WHERE Amount = '5'", 'INVALID_QUERY_FILTER_OPERATOR', /must be of type double and should not be enclosed in quotes/);
    fails('SELECT Id FROM Opportunity WHERE Name = 5', 'INVALID_QUERY_FILTER_OPERATOR', /must be of type string and should be enclosed in quotes/);
    fails('SELECT Id FROM Opportunity WHERE CreatedDate > 2020-01-01', 'INVALID_QUERY_FILTER_OPERATOR', /dateTime/);
  });

  it('matches ids in 15- or 18-character form and rejects malformed ids', () => {
    const id = seeded.accounts.contoso;
    assert.deepEqual(ids(`SELECT Id FROM Account WHERE Id = '${id.slice(0, 15)}'`), [id]);
    assert.deepEqual(ids(`SELECT Id FROM Account WHERE Id IN ('${id.toLowerCase()}')`), [id]);
    fails("SELECT Id FROM Account WHERE Id = 'nope'", 'INVALID_QUERY_FILTER_OPERATOR', /invalid ID field: nope/);
  });

  it('finds rows by external id through the key index, case-insensitively, and still honours OR and queryAll', () => {
    const sys = org.systemActor();
    const a = org.dml.create(sys, 'Opportunity', { Name: 'Ref A', StageName: 'On Hold', CloseDate: '2031-01-01', Referral_Id__c: 'REF-Key-A' });
    const b = org.dml.create(sys, 'Opportunity', { Name: 'Ref B', StageName: 'On Hold', CloseDate: '2031-01-01', Referral_Id__c: 'REF-Key-B' });
    assert.deepEqual(ids("SELECT Id FROM Opportunity WHERE Referral_Id__c = 'ref-key-a'"), [a]);
    assert.deepEqual(ids("SELECT Id FROM Opportunity WHERE Referral_Id__c IN ('REF-KEY-B', 'REF-KEY-A') AND Name LIKE 'Ref%'"), [a, b]);
    assert.deepEqual(ids("SELECT Id FROM Opportunity WHERE Referral_Id__c = 'REF-Key-A' OR Name = 'Ref B'"), [a, b]);
    org.dml.remove(sys, 'Opportunity', b);
    assert.deepEqual(ids("SELECT Id FROM Opportunity WHERE Referral_Id__c = 'REF-Key-B'"), []);
    const all = org.queries.execute("SELECT Id FROM Opportunity WHERE Referral_Id__c = 'REF-Key-B'", { version: '64.0', includeDeleted: true });
    assert.deepEqual(all.records.map((r) => r.Id), [b]);
  });

  it('filters on parent fields and runs semi-joins', () => {
    assert.deepEqual(names("SELECT Name FROM Opportunity WHERE Account.BillingCountry = 'GB'"), ['Northwind - Data platform modernisation']);
    assert.deepEqual(names("SELECT Name FROM Opportunity WHERE Id IN (SELECT OpportunityId FROM OpportunityContactRole WHERE Role = 'Economic Buyer')"), ['Contoso - Azure landing zone']);
  });

  it('rejects long text filters, unknown fields and objects in Salesforce\'s words', () => {
    fails("SELECT Id FROM Opportunity WHERE Description = 'x'", 'INVALID_FIELD', /field 'Description' can not be filtered in a query call/);
    fails('SELECT Id, Nme FROM Opportunity', 'INVALID_FIELD', /^\nSELECT Id, Nme FROM Opportunity\n {11}\^\nERROR at Row:1:Column:12\nNo such column 'Nme' on entity 'Opportunity'/);
    fails('SELECT Acount.Name FROM Opportunity', 'INVALID_FIELD', /Didn't understand relationship 'Acount' in field path/);
    fails('SELECT Id FROM Opportunty', 'INVALID_TYPE', /sObject type 'Opportunty' is not supported/);
    fails('SELECT Id, (SELECT Id FROM Solutions__r) FROM Opportunity', 'INVALID_TYPE', /Didn't understand relationship 'Solutions__r' in FROM part/);
    fails('SELECT Id FROM Partner_Center_Sync_Request__e', 'INVALID_TYPE_FOR_OPERATION');
    fails('SELECT Id, Id FROM Account', 'MALFORMED_QUERY', /duplicate field selected/);
    fails('SELECT Id FROM', 'MALFORMED_QUERY');
  });

  it('says plainly which constructs the local org does not implement', () => {
    fails('SELECT StageName, COUNT(Id) FROM Opportunity GROUP BY StageName', 'MALFORMED_QUERY', /not supported by the local org/);
    fails('SELECT Id FROM Opportunity WHERE CALENDAR_YEAR(CloseDate) = 2024', 'MALFORMED_QUERY', /not supported by the local org/);
    fails('SELECT TYPEOF Owner WHEN User THEN Name END FROM Opportunity', 'MALFORMED_QUERY', /not supported by the local org/);
  });
});

describe('SOQL: ORDER BY, LIMIT, OFFSET', () => {
  it('orders with nulls first ascending and last descending, case-insensitively, across relationships', () => {
    const asc = org.queries.execute('SELECT Name, BillingCountry FROM Account ORDER BY BillingCountry, Name', { version: '64.0' }).records;
    assert.deepEqual(asc.map((r) => r.BillingCountry), [null, null, 'Deutschland', 'GB', 'IE', 'US']);
    const desc = org.queries.execute('SELECT BillingCountry FROM Account ORDER BY BillingCountry DESC', { version: '64.0' }).records;
    assert.deepEqual(desc.map((r) => r.BillingCountry), ['US', 'IE', 'GB', 'Deutschland', null, null]);
    assert.deepEqual(names('SELECT Name FROM Opportunity WHERE AccountId != null ORDER BY Account.Name DESC LIMIT 2'),
      ['Tailspin - Teams Phone', 'Northwind - Data platform modernisation']);
  });

  it('applies OFFSET then LIMIT, and caps OFFSET at 2000', () => {
    const all = names('SELECT Name FROM Account ORDER BY Name');
    assert.deepEqual(names('SELECT Name FROM Account ORDER BY Name LIMIT 2 OFFSET 1'), all.slice(1, 3));
    fails('SELECT Id FROM Account OFFSET 2001', 'NUMBER_OUTSIDE_VALID_RANGE');
  });
});
