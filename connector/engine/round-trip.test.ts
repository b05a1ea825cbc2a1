/** Outbound then inbound: what a seller owns survives the trip through Partner Center unchanged. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import countries from 'i18n-iso-countries';
import type { Referral } from '../model/referral.js';
import { dealFieldsFromOpportunity, dealFieldsFromReferral, sameField, SYNC_FIELDS } from './deal-fields.js';
import { settings as loadSettings } from './fixtures/load.js';
import { mapInbound } from './inbound.js';
import { HELP_OPTIONS } from './outbound-validation.js';
import { mapOutbound } from './outbound.js';
import { OWNERSHIP } from './ownership.js';
import type { OpportunityRecord } from './salesforce-records.js';

const settings = loadSettings('configured');
const nonBlank = (max: number) => fc.string({ minLength: 1, maxLength: max }).filter((s) => s.trim() !== '' && !/^[✔✖]/u.test(s.trim()));

const arbOpportunity: fc.Arbitrary<OpportunityRecord> = fc
  .record({
    name: nonBlank(80),
    amount: fc.integer({ min: 0, max: 100_000_000 }).map((cents) => cents / 100),
    currency: fc.constantFrom('EUR', 'USD', 'GBP', 'JPY', 'CHF', 'eur'),
    closeDate: fc.date({ min: new Date('2024-01-01'), max: new Date('2035-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
    description: fc.option(nonBlank(200), { nil: null }),
    country: fc.oneof(fc.constantFrom(...Object.keys(countries.getAlpha2Codes())), fc.constantFrom('Deutschland', 'France', 'españa', 'Japan')),
    help: fc.option(fc.constantFrom(...HELP_OPTIONS), { nil: null }),
    visible: fc.boolean(),
    contacts: fc.array(fc.record({ first: fc.option(nonBlank(20), { nil: null }), last: nonBlank(20), email: fc.emailAddress(), primary: fc.boolean() }), { minLength: 1, maxLength: 4 }),
    solutions: fc.uniqueArray(fc.stringMatching(/^SOL-\d{5}-[A-Z]{3}$/), { minLength: 1, maxLength: 3 }),
  })
  .map((g) => ({
    attributes: { type: 'Opportunity' },
    Id: '006Dn00000A1b2cIAB',
    Name: g.name,
    AccountId: '001Dn00000X9y8zIAB',
    Account: { Name: 'Customer', BillingStreet: 'Street 1', BillingCity: 'City', BillingPostalCode: '12345', BillingCountry: g.country },
    Amount: g.amount,
    CurrencyIsoCode: g.currency,
    CloseDate: g.closeDate,
    StageName: 'Qualification',
    IsClosed: false,
    IsWon: false,
    Description: g.description,
    LastModifiedDate: '2026-03-01T00:00:00.000+0000',
    Sync_With_Partner_Center__c: true,
    Microsoft_Help__c: g.help,
    Visible_To_Microsoft_Sellers__c: g.visible,
    OpportunityContactRoles: { records: g.contacts.map((c) => ({ IsPrimary: c.primary, Contact: { FirstName: c.first, LastName: c.last, Email: c.email } })) },
    Microsoft_Solutions__r: { records: g.solutions.map((id) => ({ Solution_Id__c: id, Solution_Name__c: `Name of ${id}`, Publisher_Name__c: 'Fabrikam' })) },
  }));

/** What Partner Center hands back after creating the referral: ids, status and its own bookkeeping added. */
function stored(body: Referral): Referral {
  return {
    ...structuredClone(body),
    id: '4d1b1a52-7a3c-4e2b-9b7e-0c5b0f1e2a01',
    engagementId: 'b7c1d2e3-0f1a-4b2c-8d3e-4f5a6b7c8d90',
    status: 'Active',
    substatus: 'Accepted',
    eTag: '"1"',
    createdDateTime: '2026-03-01T00:00:01Z',
    updatedDateTime: '2026-03-01T00:00:01Z',
    trackingInfo: { microsoftMsxId: null as unknown as undefined },
  };
}

const SELLER_OWNED = SYNC_FIELDS.filter((f) => OWNERSHIP[f].outgoing !== 'partnerCenter' && f !== 'status');

test('property: outbound then inbound keeps every seller-owned field', () => {
  fc.assert(
    fc.property(arbOpportunity, (opp) => {
      const result = mapOutbound(opp, settings);
      assert.ok('operation' in result && result.operation === 'create', JSON.stringify(result));
      const referral = stored(result.referral);

      // Nothing the seller owns is lost or altered on the way out...
      const sf = dealFieldsFromOpportunity(opp, settings);
      const pc = dealFieldsFromReferral(referral);
      for (const field of SELLER_OWNED) assert.ok(sameField(field, sf, pc), `${field} changed on the way out`);

      // ...and coming back it changes nothing on the opportunity (only the connector's status display).
      const linked = { ...opp, Referral_Id__c: referral.id, Referral_Link__c: 'set', Partner_Center_Status__c: 'Active - Accepted' };
      const back = mapInbound(referral, settings, { opportunity: linked });
      assert.ok('action' in back, JSON.stringify(back));
      assert.equal(back.action, 'skip', JSON.stringify(back));

      // And mapping out again against what Partner Center stored sends nothing.
      const again = mapOutbound(linked, settings, referral);
      assert.ok('operation' in again && again.operation === 'none', JSON.stringify(again));
    }),
    { numRuns: 300 },
  );
});
