import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import soql from 'soql-parser-js';
import { InputError } from './field-errors.js';
import { fieldOf, readField } from './field-paths.js';
import { settings as loadSettings } from './fixtures/load.js';
import { buildAccountCandidatesQuery, buildContactsByEmailQuery } from './match-queries.js';
import { buildOpportunityQuery, opportunityFieldList } from './opportunity-query.js';
import { DEFAULT_SETTINGS } from './org-settings.js';
import { soqlLikePattern, soqlString } from './soql.js';

const { parseQuery, isQueryValid } = soql;

test('the opportunity query reads everything the sync needs, with the sub-queries', () => {
  const query = buildOpportunityQuery(DEFAULT_SETTINGS, { ids: ['006Dn00000A1b2cIAB', '006Dn00000A1b2c'] });
  const parsed = parseQuery(query);
  assert.equal(parsed.sObject, 'Opportunity');
  const fields = (parsed.fields ?? []).map((f) => ('rawValue' in f && f.rawValue) || ('field' in f ? f.field : f.type === 'FieldSubquery' ? f.subquery.relationshipName : ''));
  for (const field of ['Id', 'Name', 'Amount', 'CurrencyIsoCode', 'CloseDate', 'StageName', 'IsClosed', 'IsWon', 'IsDeleted', 'Description', 'LastModifiedDate', 'Microsoft_Help__c', 'Referral_Id__c', 'Account.Name', 'Account.BillingCountry', 'Account.BillingPostalCode', 'Owner.Email', 'OpportunityContactRoles', 'Microsoft_Solutions__r']) {
    assert.ok(fields.includes(field), `${field} missing from ${query}`);
  }
  assert.match(query, /\(SELECT ContactId, Role, IsPrimary, Contact\.FirstName, Contact\.LastName, Contact\.Email, Contact\.Phone, Contact\.Title FROM OpportunityContactRoles ORDER BY IsPrimary DESC, CreatedDate ASC\)/);
  assert.match(query, /\(SELECT Id, Solution_Id__c, Solution_Name__c, Publisher_Name__c, Solution_Detail__c FROM Microsoft_Solutions__r/);
  assert.match(query, /WHERE Id IN \('006Dn00000A1b2cIAB', '006Dn00000A1b2c'\)/);
});

test('configured fields are queried instead of the defaults, once each', () => {
  const fields = opportunityFieldList(loadSettings('custom-fields'));
  assert.ok(fields.includes('Expected_Revenue__c'));
  assert.ok(fields.includes('Deal_Currency__c'));
  assert.ok(fields.includes('Account.Country_Code__c'));
  assert.ok(!fields.includes('Amount') && !fields.includes('CurrencyIsoCode') && !fields.includes('Account.BillingCountry'));
  const dup = opportunityFieldList({ ...DEFAULT_SETTINGS, dealValueField: 'Opportunity.Name' });
  assert.equal(dup.filter((f) => f === 'Name').length, 1);
});

test('without multi-currency CurrencyIsoCode is not queried', () => {
  assert.ok(!opportunityFieldList(DEFAULT_SETTINGS, { multiCurrency: false }).includes('CurrencyIsoCode'));
  assert.ok(opportunityFieldList({ ...DEFAULT_SETTINGS, currencyField: 'Opportunity.Deal_Currency__c' }, { multiCurrency: false }).includes('Deal_Currency__c'));
});

test('sweep and referral-id filters', () => {
  assert.match(buildOpportunityQuery(DEFAULT_SETTINGS, { pendingSync: true }, undefined, 50), /WHERE Sync_With_Partner_Center__c = TRUE AND Partner_Center_Sync_Status__c = 'Pending' ORDER BY LastModifiedDate ASC LIMIT 50$/);
  assert.match(buildOpportunityQuery(DEFAULT_SETTINGS, { referralIds: ['7f3e2d1c-5b4a-4c3d-8e9f-102030405060'] }), /WHERE Referral_Id__c IN \('7f3e2d1c-5b4a-4c3d-8e9f-102030405060'\)/);
});

test('nothing outside the expected shapes reaches the query', () => {
  assert.throws(() => buildOpportunityQuery(DEFAULT_SETTINGS, { ids: ["006' OR Name != '"] }), InputError);
  assert.throws(() => buildOpportunityQuery(DEFAULT_SETTINGS, { referralIds: ["x' OR Id != null"] }), InputError);
  assert.throws(() => buildOpportunityQuery(DEFAULT_SETTINGS, { ids: [] }), InputError);
  assert.throws(() => buildOpportunityQuery(DEFAULT_SETTINGS, { ids: ['006Dn00000A1b2cIAB'] }, undefined, 0), InputError);
  // Settings objects built without parseSettings are checked again here.
  assert.throws(() => buildOpportunityQuery({ ...DEFAULT_SETTINGS, dealValueField: 'Opportunity.Amount, (SELECT Id FROM Users)' }, { pendingSync: true }), InputError);
  assert.throws(() => buildOpportunityQuery({ ...DEFAULT_SETTINGS, countryCodeField: 'Opportunity.BillingCountry' }, { pendingSync: true }), InputError);
});

test('field paths: API names only, read in any case', () => {
  assert.equal(fieldOf('Account.BillingCountry', 'Account'), 'BillingCountry');
  assert.throws(() => fieldOf('Account.Owner.Name', 'Account'), InputError);
  assert.equal(readField({ BillingCountry: 'DE' }, 'billingcountry'), 'DE');
  assert.equal(readField(null, 'X'), undefined);
});

test('account candidates: the name words in order, literal wildcards escaped', () => {
  const query = buildAccountCandidatesQuery(loadSettings('custom-fields'), "  O'Brien 100%_ Ltd ");
  assert.match(query, /SELECT Id, Name, BillingStreet, BillingCity, BillingState, BillingPostalCode, Country_Code__c FROM Account WHERE Name LIKE 'O\\'Brien%100\\%\\_%Ltd' ORDER BY CreatedDate ASC LIMIT 50/);
  assert.ok(isQueryValid(query));
  assert.throws(() => buildAccountCandidatesQuery(DEFAULT_SETTINGS, '   '), InputError);
});

test('contacts by email: lower-cased, unique, quoted', () => {
  const query = buildContactsByEmailQuery(['Maria.Garcia@northwind.example', 'maria.garcia@northwind.example', "o'neil@x.example"]);
  assert.match(query, /WHERE Email IN \('maria\.garcia@northwind\.example', 'o\\'neil@x\.example'\)/);
  assert.throws(() => buildContactsByEmailQuery([' ']), InputError);
});

// Characters that matter to a SOQL string literal, mixed with any other character.
const literalChar = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom("'", '"', '\\', '\n', '\r', '\t', '\b', '\f', '%', '_', ' ', '\u0000', ')') },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
);

test('property: any text quoted as a literal stays one literal (no injection)', () => {
  fc.assert(
    fc.property(fc.string({ unit: literalChar, maxLength: 30 }), (value) => {
      const literal = soqlString(value);
      const query = `SELECT Id FROM Contact WHERE Email = ${literal} AND IsDeleted = FALSE`;
      const parsed = parseQuery(query);
      const where = parsed.where as { left: { field: string; value: string }; operator?: string; right?: { left: { field: string } } };
      assert.equal(where.left.field, 'Email');
      assert.equal(where.left.value, literal);
      assert.equal(where.operator, 'AND');
      assert.equal(where.right?.left.field, 'IsDeleted');
      const like = `SELECT Id FROM Account WHERE Name LIKE ${soqlLikePattern(value.split(' '))} LIMIT 1`;
      assert.equal(parseQuery(like).limit, 1);
    }),
    { numRuns: 200 },
  );
});
