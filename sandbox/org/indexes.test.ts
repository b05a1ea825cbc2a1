/**
 * The field indexes only narrow the rows a query reads: on random data and random WHERE clauses, the indexed
 * plan returns exactly what a scan of every row returns; and a selective query does not read every row.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { likeGrams } from './indexes.js';
import { Org } from './org.js';
import { compileQuery } from './soql-compile.js';
import { runPlan, runValues } from './soql-run.js';

const WORDS = ['Contoso', 'contoso', 'CONTOSO', 'Fabrikam', 'Ltd', 'GmbH', 'Straße', 'İstanbul', 'Ünal', 'north_wind', '100%', 'Adatum', 'ab', 'a'];

let org: Org;
const accounts: string[] = [];
const contacts: string[] = [];

function run(soql: string, includeDeleted: boolean, indexed: boolean) {
  const plan = compileQuery(soql, { schema: org.schema, now: Date.now(), runValues: (inner) => runValues(org.store, inner) });
  return runPlan(org.store, indexed ? plan : { ...plan, probe: null }, { includeDeleted, version: '64.0' });
}

before(() => {
  org = new Org();
  const actor = org.systemActor();
  const random = fc.sample(fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 4 }), { numRuns: 120, seed: 7 });
  random.forEach((words, i) => {
    const accountId = org.dml.create(actor, 'Account', { Name: words.join(i % 3 === 0 ? '  ' : ' '), BillingPostalCode: String(i % 7) });
    accounts.push(accountId);
    const contactId = org.dml.create(actor, 'Contact', { AccountId: i % 5 === 0 ? null : accountId, LastName: `Doe ${i}`, Email: `${words[0].toLowerCase()}.${i % 9}@example.com` });
    contacts.push(contactId);
  });
  // Some of each in the recycle bin, and a re-parented contact, so the index is kept through updates and deletes.
  for (const id of accounts.filter((_, i) => i % 11 === 4)) org.dml.remove(actor, 'Account', id);
  for (const id of contacts.filter((_, i) => i % 13 === 6)) org.dml.remove(actor, 'Contact', id);
  org.dml.update(actor, 'Contact', contacts[1], { AccountId: accounts[2], Email: 'MOVED@Example.com' });
  org.dml.update(actor, 'Account', accounts[3], { Name: 'Renamed Contoso Holdings' });
});
after(() => org.close());

const quote = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const likeOf = fc.tuple(fc.constantFrom(...WORDS, 'onto', 'oso', 'RAß', 'tanb', 'ltd'), fc.constantFrom('%', '', '_'), fc.constantFrom(...WORDS, 'td', 'mbh', ''))
  .map(([a, wild, b]) => `Name LIKE ${quote(`${['', '%'][a.length % 2]}${a}${wild}${b}%`.replace('100%', '100\\%'))}`);
const accountCondition = fc.oneof(
  likeOf,
  fc.constantFrom(...WORDS).map((w) => `Name = ${quote(w)}`),
  fc.nat(119).map((i) => `Id = '${accounts[i]}'`),
  fc.nat(6).map((n) => `BillingPostalCode = '${n}'`),
);
const accountWhere = fc.oneof(
  accountCondition,
  fc.array(accountCondition, { minLength: 2, maxLength: 4 }).map((cs) => cs.join(' OR ')),
  fc.tuple(accountCondition, accountCondition).map(([a, b]) => `${a} AND ${b}`),
  fc.tuple(accountCondition, accountCondition, accountCondition).map(([a, b, c]) => `(${a} OR ${b}) AND NOT ${c}`),
);
const contactWhere = fc.oneof(
  fc.array(fc.constantFrom(...WORDS.map((w) => `${w.toLowerCase()}.${w.length % 9}@example.com`), 'moved@example.com'), { minLength: 1, maxLength: 3 }).map((es) => `Email IN (${es.map(quote).join(', ')})`),
  fc.nat(119).map((i) => `AccountId = '${accounts[i]}'`),
  fc.nat(119).map((i) => `AccountId IN (SELECT Id FROM Account WHERE Name LIKE 'Contoso%' AND Id != '${accounts[i]}')`),
  fc.constantFrom('AccountId = null', "Account.Name LIKE '%Ltd'"),
);

describe('field indexes', () => {
  it('return the rows a scan returns, for any WHERE clause on random records', () => {
    fc.assert(
      fc.property(accountWhere, fc.boolean(), (where, all) => {
        const soql = `SELECT Id, Name, (SELECT Id, Email FROM Contacts) FROM Account WHERE ${where} ORDER BY Name, Id`;
        assert.deepEqual(run(soql, all, true), run(soql, all, false), soql);
      }),
      { numRuns: 400, seed: 14 },
    );
    fc.assert(
      fc.property(contactWhere, fc.boolean(), (where, all) => {
        const soql = `SELECT Id, Email, Account.Name FROM Contact WHERE ${where} ORDER BY Id`;
        assert.deepEqual(run(soql, all, true), run(soql, all, false), soql);
      }),
      { numRuns: 200, seed: 14 },
    );
  });

  it('answer a selective query without reading every row of the object', () => {
    const list = org.store.list.bind(org.store);
    let scans = 0;
    org.store.list = (type, includeDeleted) => (scans++, list(type, includeDeleted));
    try {
      const found = run(`SELECT Id FROM Account WHERE Name LIKE 'Renamed%Holdings' OR Name LIKE 'Fabrikam%Straße%'`, false, true);
      assert.ok(found.totalSize >= 1);
      run(`SELECT Id, (SELECT Id FROM Contacts) FROM Account WHERE Id IN ('${accounts[0]}', '${accounts[2]}')`, false, true);
      run(`SELECT Id FROM Contact WHERE Email IN ('moved@example.com') AND AccountId = '${accounts[2]}'`, false, true);
      assert.equal(scans, 0);
      run(`SELECT Id FROM Account WHERE NOT Name LIKE 'Contoso%'`, false, true);
      assert.equal(scans, 1, 'a negation has no index and reads the rows');
    } finally {
      org.store.list = list;
    }
  });

  it('take no trigrams from a pattern with _ or without three literal characters', () => {
    assert.equal(likeGrams("'Con_oso%'"), null);
    assert.equal(likeGrams("'%ab%'"), null);
    assert.deepEqual(likeGrams("'Ab\\%c%'"), ['ab%', 'b%c']);
  });
});

describe('a database from a version that indexed fewer fields', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'local-org-index-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is re-indexed when the org opens it', () => {
    const dbPath = path.join(dir, 'org.sqlite');
    const first = new Org({ dbPath });
    const id = first.dml.create(first.systemActor(), 'Account', { Name: 'Indexed Later GmbH' });
    first.close();
    const raw = new DatabaseSync(dbPath);
    raw.exec("DELETE FROM record_grams; DELETE FROM record_keys WHERE field <> 'Username'; PRAGMA user_version = 0;");
    raw.close();

    const second = new Org({ dbPath });
    try {
      const plan = compileQuery(`SELECT Id FROM Account WHERE Name LIKE 'Indexed%GmbH'`, { schema: second.schema, now: Date.now(), runValues: () => [] });
      assert.deepEqual(runPlan(second.store, plan, { includeDeleted: false, version: '64.0' }).records.map((r) => r.attributes), [
        { type: 'Account', url: `/services/data/v64.0/sobjects/Account/${id}` },
      ]);
    } finally {
      second.close();
    }
  });
});

describe('the control API query', () => {
  it('returns every matching record, past one batch of 2,000', async () => {
    const { startLocalOrg } = await import('./index.js');
    const local = await startLocalOrg({ seed: false });
    try {
      for (let i = 0; i < 2100; i++) local.control.records.create('Account', { Name: `Many ${i}` });
      assert.equal(local.control.records.query(`SELECT Id FROM Account WHERE Name LIKE 'Many%'`).length, 2100);
    } finally {
      await local.close();
    }
  });
});
