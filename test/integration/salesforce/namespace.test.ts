import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildOpportunityQuery } from '../../../connector/engine/opportunity-query.js';
import { DEFAULT_SETTINGS } from '../../../connector/engine/org-settings.js';
import { startLocalOrg, type LocalOrg } from '../../../sandbox/org/index.js';
import { ROOT } from '../../../scripts/lib/paths.js';
import { connectSalesforce } from '../../../connector/salesforce/auth.js';
import { SalesforceWriteError } from '../../../connector/salesforce/errors.js';
import { SalesforceGateway } from '../../../connector/salesforce/gateway.js';
import { PACKAGE_API_NAMES, namespaceMapper } from '../../../connector/salesforce/namespace.js';

const OBJECTS = path.join(ROOT, 'force-app/main/default/objects');

/** Every custom name force-app defines: objects and events, fields, and the relationships of its lookups. */
function packageNamesFromMetadata(): Set<string> {
  const names = new Set<string>();
  for (const object of readdirSync(OBJECTS)) {
    if (/__[ce]$/.test(object)) names.add(object);
    const fieldsDir = path.join(OBJECTS, object, 'fields');
    let files: string[] = [];
    try {
      files = readdirSync(fieldsDir);
    } catch {
      continue;
    }
    for (const file of files.filter((f) => f.endsWith('__c.field-meta.xml'))) {
      const field = file.replace('.field-meta.xml', '');
      names.add(field);
      const xml = readFileSync(path.join(fieldsDir, file), 'utf8');
      const child = /<relationshipName>([^<]+)<\/relationshipName>/.exec(xml);
      if (child) {
        names.add(`${child[1]}__r`); // child relationship, from the parent's side
        names.add(field.replace(/__c$/, '__r')); // parent relationship, from the row's side
      }
    }
  }
  return names;
}

describe('the package names the gateway prefixes', () => {
  it('are exactly the custom names force-app defines', () => {
    assert.deepEqual([...PACKAGE_API_NAMES].sort(), [...packageNamesFromMetadata()].sort());
  });
});

describe('namespaceMapper', () => {
  const ns = namespaceMapper('cosell');

  it('prefixes the package names in the real outbound query and nothing else', () => {
    const settings = { ...DEFAULT_SETTINGS, countryCodeField: 'Account.Country_ISO__c' };
    const soql = ns.soql(buildOpportunityQuery(settings, { referralIds: ['r-1'] }));
    assert.match(soql, /\bcosell__Referral_Id__c\b/);
    assert.match(soql, /FROM cosell__Microsoft_Solutions__r\b/);
    assert.match(soql, /\bcosell__Solution_Id__c\b/);
    // Standard fields and the admin's own custom field stay as they are.
    assert.match(soql, /Account\.Country_ISO__c/);
    assert.doesNotMatch(soql, /cosell__Country_ISO__c|cosell__Name|cosell__Amount/);
    // Every custom token is either prefixed package name or not the package's.
    for (const token of soql.match(/[A-Za-z][A-Za-z0-9_]*__[cre]\b/g) ?? []) {
      assert.ok(token.startsWith('cosell__') || !PACKAGE_API_NAMES.has(token), token);
    }
  });

  it('prefixes types and fields of outgoing records, and takes the prefix off what comes back', () => {
    assert.equal(ns.name('Partner_Center_Sync_Status__e'), 'cosell__Partner_Center_Sync_Status__e');
    assert.equal(ns.name('Amount'), 'Amount');
    assert.deepEqual(ns.outgoing({ Id: '006', Referral_Id__c: 'r', Other__c: 1 }), { Id: '006', cosell__Referral_Id__c: 'r', Other__c: 1 });
    const read = ns.incoming({
      attributes: { type: 'Opportunity' },
      cosell__Referral_Id__c: 'r',
      other__Referral_Id__c: 'kept',
      Account: { attributes: { type: 'Account' }, BillingCountry: 'DE' },
      cosell__Microsoft_Solutions__r: {
        totalSize: 1,
        done: true,
        records: [{ attributes: { type: 'cosell__Microsoft_Solution__c' }, cosell__Solution_Id__c: 'SOL-1' }],
      },
    });
    assert.deepEqual(read, {
      attributes: { type: 'Opportunity' },
      Referral_Id__c: 'r',
      other__Referral_Id__c: 'kept',
      Account: { attributes: { type: 'Account' }, BillingCountry: 'DE' },
      Microsoft_Solutions__r: { totalSize: 1, done: true, records: [{ attributes: { type: 'Microsoft_Solution__c' }, Solution_Id__c: 'SOL-1' }] },
    });
  });

  it('is the identity without a namespace and refuses a malformed one', () => {
    const none = namespaceMapper(undefined);
    assert.equal(none.soql('SELECT Referral_Id__c FROM Opportunity'), 'SELECT Referral_Id__c FROM Opportunity');
    assert.throws(() => namespaceMapper('co__sell'), /not a Salesforce namespace prefix/);
  });
});

describe('SalesforceGateway with a namespace', () => {
  let org: LocalOrg;
  before(async () => {
    org = await startLocalOrg();
  });
  after(() => org.close());

  it('sends the prefixed names on the wire (the unprefixed local org refuses them, naming them)', async () => {
    const gateway = new SalesforceGateway(
      () =>
        connectSalesforce({
          auth: 'client-credentials',
          loginUrl: org.loginUrl,
          apiVersion: org.apiVersion,
          ...org.integrationCredentials,
        }),
      { namespace: 'cosell' },
    );
    await assert.rejects(gateway.query('SELECT Id, Referral_Id__c FROM Opportunity'), /cosell__Referral_Id__c/);
    const [outcome] = await gateway.update('Opportunity', [{ Id: '0068d0000000001AAA', Partner_Center_Status__c: 'x' }], () => 'the opportunity');
    assert.ok(outcome.error instanceof SalesforceWriteError);
    assert.match(outcome.error.message, /cosell__Partner_Center_Status__c/);
  });
});
