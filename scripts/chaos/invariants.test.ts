/** The intended-values invariant on its own: what each side must hold given what the two people wrote. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { opportunity, referral, settings } from '../../connector/engine/fixtures/load.js';
import type { Deal } from './actors.js';
import { checkIntents, type Checker } from './invariants.js';

const checker: Checker = { settings: settings('configured'), org: { multiCurrency: true } };

function deal(intents: Deal['intents']): Deal {
  return { label: 'd1', intents, origin: 'seller', kind: 'private', syncOn: true, closed: false, accepted: false, customerName: 'c', contactEmail: 'e' };
}

describe('checkIntents', () => {
  const opp = { ...opportunity('private'), Name: '✔ Renamed by the seller', Amount: 5000 };
  const ref = { ...referral('created-private'), name: 'Renamed by the seller' };
  ref.details = { ...ref.details, dealValue: 5000 };

  it('passes when both sides hold the last value the seller wrote (the check mark aside)', () => {
    const intents: Deal['intents'] = [
      { side: 'salesforce', field: 'name', values: { Name: 'First name' }, creation: true },
      { side: 'salesforce', field: 'name', values: { Name: 'Renamed by the seller' }, creation: false },
      { side: 'salesforce', field: 'dealValue', values: { Amount: 5000 }, creation: false },
    ];
    assert.deepEqual(checkIntents(deal(intents), opp, ref, checker), []);
  });

  it('reports a rename both sides agree to have lost (the write-back put the old name back)', () => {
    const lostRename = { ...opp, Name: '✔ First name' };
    const intents: Deal['intents'] = [
      { side: 'salesforce', field: 'name', values: { Name: 'First name' }, creation: true },
      { side: 'salesforce', field: 'name', values: { Name: 'Renamed by the seller' }, creation: false },
    ];
    const violations = checkIntents(deal(intents), lostRename, { ...ref, name: 'First name' }, checker);
    assert.equal(violations.length, 2, JSON.stringify(violations));
    assert.ok(violations.every((v) => v.kind === 'lost' && /name on (Salesforce|Partner Center) is "First name", but the seller wrote "Renamed by the seller"/.test(v.message)));
  });

  it('a field both people edited may end at either last value, never at an older one', () => {
    const intents: Deal['intents'] = [
      { side: 'salesforce', field: 'dealValue', values: { Amount: 1000 }, creation: true },
      { side: 'salesforce', field: 'dealValue', values: { Amount: 5000 }, creation: false },
      { side: 'partnerCenter', field: 'dealValue', values: { dealValue: 7000 }, creation: false },
    ];
    assert.deepEqual(checkIntents(deal(intents), opp, ref, checker), [], 'the seller’s 5000 may win on timestamps');
    const stale = checkIntents(deal(intents), { ...opp, Amount: 1000 }, { ...ref, details: { ...ref.details, dealValue: 1000 } }, checker);
    assert.equal(stale.length, 2);
  });

  it('an edit only Microsoft made must reach both sides', () => {
    const intents: Deal['intents'] = [
      { side: 'salesforce', field: 'dealValue', values: { Amount: 5000 }, creation: true },
      { side: 'partnerCenter', field: 'dealValue', values: { dealValue: 7000 }, creation: false },
    ];
    const violations = checkIntents(deal(intents), opp, ref, checker);
    assert.equal(violations.length, 2);
    assert.match(violations[0].message, /but Microsoft wrote 7000/);
  });
});
