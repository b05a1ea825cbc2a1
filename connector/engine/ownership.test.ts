import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { Referral } from '../model/referral.js';
import { SYNC_FIELDS, type SyncField } from './deal-fields.js';
import { opportunity, referral, settings as loadSettings } from './fixtures/load.js';
import { fingerprintInbound, fingerprintOutbound } from './fingerprint.js';
import { mapInbound } from './inbound.js';
import { mapOutbound } from './outbound.js';
import { dealPhase, OWNERSHIP, resolveField, type DealPhase, type Owner } from './ownership.js';
import type { OpportunityRecord } from './salesforce-records.js';

const settings = loadSettings('configured');
const PHASES: DealPhase[] = ['outgoing', 'incomingPending', 'incomingAccepted'];

test('the documented table and the data agree, row by row', () => {
  const source = readFileSync(new URL('./ownership.ts', import.meta.url), 'utf8');
  const word: Record<string, Owner> = { SF: 'salesforce', PC: 'partnerCenter', both: 'both' };
  const rows = new Map<string, Owner[]>();
  for (const line of source.split('\n')) {
    const cells = line.replace(/^\s*\*\s*/, '').split('|').map((c) => c.trim());
    if (cells.length < 6 || !(SYNC_FIELDS as readonly string[]).includes(cells[1])) continue;
    const owners = cells.slice(-4, -1);
    rows.set(cells[1], owners.every((o) => o in word) ? owners.map((o) => word[o]) : ['both', 'both', 'both']);
  }
  assert.deepEqual([...rows.keys()].sort(), [...SYNC_FIELDS].sort());
  for (const field of SYNC_FIELDS) {
    assert.deepEqual(rows.get(field), PHASES.map((p) => OWNERSHIP[field][p]), field);
  }
});

test('phases', () => {
  assert.equal(dealPhase({ direction: 'Outgoing', status: 'New' }), 'outgoing');
  assert.equal(dealPhase({ direction: 'Incoming', status: 'New' }), 'incomingPending');
  assert.equal(dealPhase({ direction: 'Incoming', status: 'Active' }), 'incomingAccepted');
  assert.equal(dealPhase({ direction: 'Incoming', status: 'Closed' }), 'incomingAccepted');
});

test('conflict rules: owner wins, else the only change, else the last writer, else the creator', () => {
  const both = { salesforceChanged: true, partnerCenterChanged: true };
  assert.deepEqual(resolveField('name', 'outgoing', { ...both, salesforceModifiedAt: '2026-01-01T00:00:00Z', partnerCenterModifiedAt: '2026-02-01T00:00:00Z' }), { winner: 'salesforce', rule: 'owner' });
  assert.deepEqual(resolveField('microsoftCrmId', 'outgoing', both), { winner: 'partnerCenter', rule: 'owner' });
  assert.deepEqual(resolveField('dealValue', 'outgoing', { salesforceChanged: false, partnerCenterChanged: true }), { winner: 'partnerCenter', rule: 'onlyChange' });
  assert.deepEqual(resolveField('dealValue', 'outgoing', { salesforceChanged: true, partnerCenterChanged: false }), { winner: 'salesforce', rule: 'onlyChange' });
  assert.deepEqual(resolveField('dealValue', 'outgoing', { salesforceChanged: false, partnerCenterChanged: false }), { winner: null, rule: 'noChange' });
  assert.deepEqual(resolveField('dealValue', 'outgoing', { ...both, salesforceModifiedAt: '2026-03-01T10:00:00.000+0000', partnerCenterModifiedAt: '2026-03-01T09:00:00Z' }), { winner: 'salesforce', rule: 'lastWriter' });
  assert.deepEqual(resolveField('dealValue', 'incomingAccepted', { ...both, salesforceModifiedAt: '2026-03-01T08:00:00.000+0000', partnerCenterModifiedAt: '2026-03-01T09:00:00Z' }), { winner: 'partnerCenter', rule: 'lastWriter' });
  assert.deepEqual(resolveField('dealValue', 'outgoing', { ...both, salesforceModifiedAt: '2026-03-01T09:00:00Z', partnerCenterModifiedAt: '2026-03-01T09:00:00Z' }), { winner: 'salesforce', rule: 'creatorOnTie' });
  assert.deepEqual(resolveField('dealValue', 'incomingAccepted', both), { winner: 'partnerCenter', rule: 'creatorOnTie' });
});

// Behaviour of every row: start from a synced pair, change the field on one side or both, and see which way it moves.
type Pair = { opp: OpportunityRecord; ref: Referral };
const clone = <T>(v: T): T => structuredClone(v);

function pairFor(phase: DealPhase, field: SyncField): Pair {
  const [opp, ref] =
    phase === 'outgoing'
      ? [opportunity('linked-co-sell'), referral('created-co-sell')]
      : phase === 'incomingPending'
        ? [opportunity('incoming-on-hold'), referral('incoming-new')]
        : [opportunity('incoming-accepted'), referral('incoming-active')];
  if (field === 'visibility') {
    // Start from "not shared" on both sides so the change can go the only way it may: to shared.
    Object.assign(opp, { Microsoft_Help__c: null, Visible_To_Microsoft_Sellers__c: false });
    ref.consent = { consentToShareReferralWithMicrosoftSellers: false };
    ref.type = 'Independent';
    delete ref.inviteContext;
  }
  return { opp, ref };
}

const sfChange: Record<SyncField, (o: OpportunityRecord) => void> = {
  name: (o) => (o.Name = 'Renamed in Salesforce'),
  dealValue: (o) => (o.Amount = 999),
  currency: (o) => (o.CurrencyIsoCode = 'GBP'),
  closeDate: (o) => (o.CloseDate = '2027-01-15'),
  notes: (o) => (o.Description = 'Salesforce note'),
  customer: (o) => (o.Account = { ...o.Account, Name: 'Renamed customer in Salesforce' }),
  customerContacts: (o) =>
    o.OpportunityContactRoles!.records.push({ ContactId: '003Dn00000Z9z9zIAB', IsPrimary: false, Contact: { FirstName: 'New', LastName: 'Contact', Email: 'new.sf@customer.example' } }),
  solutions: (o) => o.Microsoft_Solutions__r!.records.push({ Id: 'a01Dn00000Z1z2zIAB', Solution_Id__c: 'SOL-11111-SFX', Solution_Name__c: 'From Salesforce' }),
  help: (o) => (o.Microsoft_Help__c = 'QuotesOrLicensing'),
  visibility: (o) => (o.Visible_To_Microsoft_Sellers__c = true),
  status: () => undefined,
  microsoftCrmId: (o) => (o.Microsoft_CRM_Id__c = '7-TYPED-BY-HAND'),
};

const pcChange: Record<SyncField, (r: Referral) => void> = {
  name: (r) => (r.name = 'Renamed in Partner Center'),
  dealValue: (r) => (r.details!.dealValue = 777),
  currency: (r) => (r.details!.currency = 'CHF'),
  closeDate: (r) => (r.details!.closingDateTime = '2027-02-20T00:00:00Z'),
  notes: (r) => (r.details!.notes = 'Partner Center note'),
  customer: (r) => (r.customerProfile!.name = 'Renamed customer in Partner Center'),
  customerContacts: (r) => r.customerProfile!.team!.push({ firstName: 'Other', lastName: 'Person', email: 'new.pc@customer.example' }),
  solutions: (r) => r.details!.requirements!.solutions!.push({ id: 'SOL-22222-PCX', name: 'From Partner Center' }),
  help: (r) => (r.inviteContext = { ...r.inviteContext, assistanceRequestCode: 'ProofOfConceptOrDemo' }),
  visibility: (r) => (r.consent = { consentToShareReferralWithMicrosoftSellers: true }),
  status: () => undefined,
  microsoftCrmId: (r) => (r.trackingInfo = { microsoftMsxId: '7-FROM-MICROSOFT' }),
};

const INBOUND_KEYS: Partial<Record<SyncField, string>> = {
  name: 'Name',
  dealValue: 'Amount',
  currency: 'CurrencyIsoCode',
  closeDate: 'CloseDate',
  notes: 'Description',
  help: 'Microsoft_Help__c',
  visibility: 'Visible_To_Microsoft_Sellers__c',
  microsoftCrmId: 'Microsoft_CRM_Id__c',
};

function outboundCarries(field: SyncField, pair: Pair, lastSynced: ReturnType<typeof baselineOf>): boolean {
  const result = mapOutbound(pair.opp, settings, pair.ref, { lastSynced });
  assert.ok(!('errors' in result), JSON.stringify(result));
  return result.operation === 'update' && result.fields.includes(field);
}

function inboundCarries(field: SyncField, pair: Pair, lastSynced: ReturnType<typeof baselineOf>): boolean {
  const result = mapInbound(pair.ref, settings, { opportunity: pair.opp, lastSynced });
  assert.ok(!('errors' in result), JSON.stringify(result));
  if (field === 'customerContacts') return result.contacts.length > 0;
  if (field === 'solutions') return result.solutions.length > 0;
  if (field === 'customer') return result.account !== null;
  const key = INBOUND_KEYS[field]!;
  return result.opportunity !== null && key in result.opportunity;
}

function baselineOf(pair: Pair) {
  return { salesforce: fingerprintOutbound(pair.opp, settings), partnerCenter: fingerprintInbound(pair.ref) };
}

const ROW_FIELDS = SYNC_FIELDS.filter((f) => f !== 'status');

for (const phase of PHASES) {
  for (const field of ROW_FIELDS) {
    const owner = OWNERSHIP[field][phase];
    // The customer is only used when a record is created; updates never carry it either way.
    const sfMay = field !== 'customer' && owner !== 'partnerCenter';
    const pcMay = field !== 'customer' && owner !== 'salesforce';

    test(`row ${field} / ${phase} (${owner}): a Salesforce-only change goes out ${sfMay ? 'and' : 'only if owned;'} never comes back`, () => {
      const synced = pairFor(phase, field);
      const lastSynced = baselineOf(synced);
      const pair = clone(synced);
      sfChange[field](pair.opp);
      assert.equal(outboundCarries(field, pair, lastSynced), sfMay);
      assert.equal(inboundCarries(field, pair, lastSynced), false);
    });

    test(`row ${field} / ${phase} (${owner}): a Partner Center-only change comes in ${pcMay ? '' : 'never; '}and never goes back`, () => {
      const synced = pairFor(phase, field);
      const lastSynced = baselineOf(synced);
      const pair = clone(synced);
      pcChange[field](pair.ref);
      assert.equal(inboundCarries(field, pair, lastSynced), pcMay);
      assert.equal(outboundCarries(field, pair, lastSynced), false);
    });

    for (const later of ['salesforce', 'partnerCenter'] as const) {
      test(`row ${field} / ${phase} (${owner}): changed on both sides, ${later} wrote last`, () => {
        const synced = pairFor(phase, field);
        const lastSynced = baselineOf(synced);
        const pair = clone(synced);
        sfChange[field](pair.opp);
        pcChange[field](pair.ref);
        pair.opp.LastModifiedDate = later === 'salesforce' ? '2026-04-02T00:00:00.000+0000' : '2026-04-01T00:00:00.000+0000';
        pair.ref.updatedDateTime = later === 'salesforce' ? '2026-04-01T00:00:00Z' : '2026-04-02T00:00:00Z';
        // Visibility only ever moves to "shared", so both sides' changes agree and nothing moves either way.
        const moves = field !== 'customer' && field !== 'visibility';
        const sfWins = moves && phase !== 'incomingPending' && (owner === 'salesforce' || (owner === 'both' && later === 'salesforce'));
        const pcWins = moves && (owner === 'partnerCenter' || (owner === 'both' && later === 'partnerCenter'));
        assert.equal(outboundCarries(field, pair, lastSynced), sfWins, 'outbound');
        assert.equal(inboundCarries(field, pair, lastSynced), pcWins, 'inbound');
      });
    }
  }
}
