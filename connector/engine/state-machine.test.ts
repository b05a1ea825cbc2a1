import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  DIRECTIONS,
  REFERRAL_STATUSES,
  REFERRAL_SUBSTATUSES,
  STATUS_RULES,
  type Referral,
  type ReferralStatus,
  type ReferralSubstatus,
} from '../model/referral.js';
import { settings as loadSettings } from './fixtures/load.js';
import {
  decideInboundStage,
  decideOutboundStatus,
  formatReferralStatus,
  isAllowedTransition,
  stageKind,
  type StageInfo,
} from './state-machine.js';

const settings = loadSettings('configured');
const ON_HOLD = 'Partner Center - On Hold';
const open = (StageName: string): StageInfo => ({ Id: '006Dn00000A1b2cIAB', Name: 'Deal', StageName, IsClosed: false, IsWon: false });
const won: StageInfo = { Id: '006Dn00000A1b2cIAB', Name: 'Deal', StageName: 'Closed Won', IsClosed: true, IsWon: true };
const lost: StageInfo = { Id: '006Dn00000A1b2cIAB', Name: 'Deal', StageName: 'Closed Lost', IsClosed: true, IsWon: false };
const referral = (direction: 'Incoming' | 'Outgoing', status: ReferralStatus, substatus: ReferralSubstatus): Referral => ({ id: 'r-1', name: 'Deal', direction, status, substatus });

test('stage kinds come from IsClosed/IsWon first, then the configured names', () => {
  assert.equal(stageKind(won, settings), 'won');
  assert.equal(stageKind(lost, settings), 'lost');
  assert.equal(stageKind({ StageName: 'Custom Lost', IsClosed: true, IsWon: false }, settings), 'lost');
  assert.equal(stageKind({ StageName: 'Closed Won' }, settings), 'won');
  assert.equal(stageKind({ StageName: 'Closed Lost' }, settings), 'lost');
  assert.equal(stageKind(open(ON_HOLD), settings), 'onHold');
  assert.equal(stageKind(open('Negotiation'), settings), 'open');
});

test('the transition table follows STATUS_RULES and keeps Closed terminal', () => {
  assert.ok(isAllowedTransition({ status: 'New', substatus: 'Pending' }, { status: 'Active', substatus: 'Accepted' }));
  assert.ok(isAllowedTransition({ status: 'New', substatus: 'Pending' }, { status: 'Closed', substatus: 'Declined' }));
  assert.ok(isAllowedTransition({ status: 'Active', substatus: 'Accepted' }, { status: 'Closed', substatus: 'Won' }));
  assert.ok(isAllowedTransition(undefined, { status: 'New', substatus: 'Received' }));
  assert.ok(!isAllowedTransition({ status: 'Active', substatus: 'Accepted' }, { status: 'New', substatus: 'Pending' }));
  assert.ok(!isAllowedTransition({ status: 'Closed', substatus: 'Lost' }, { status: 'Active', substatus: 'Accepted' }));
  assert.ok(!isAllowedTransition({ status: 'Closed', substatus: 'Lost' }, { status: 'Closed', substatus: 'Won' }));
  assert.ok(!isAllowedTransition(undefined, { status: 'Active', substatus: 'Won' }));
});

test('accept: an incoming referral moved out of on hold into an open stage', () => {
  const decision = decideOutboundStatus(open('Qualification'), referral('Incoming', 'New', 'Pending'), settings);
  assert.deepEqual(decision, { kind: 'transition', event: 'accept', to: { status: 'Active', substatus: 'Accepted' } });
  assert.equal(decideOutboundStatus(open('Negotiation'), referral('Incoming', 'New', 'Received'), settings).kind, 'transition');
});

test('edits while on hold do not sync', () => {
  const decision = decideOutboundStatus(open(ON_HOLD), referral('Incoming', 'New', 'Pending'), settings);
  assert.equal(decision.kind, 'onHold');
});

test('decline: closed lost while on hold', () => {
  assert.deepEqual(decideOutboundStatus(lost, referral('Incoming', 'New', 'Pending'), settings), {
    kind: 'transition',
    event: 'decline',
    to: { status: 'Closed', substatus: 'Declined' },
    statusReason: 'Declined in Salesforce (stage Closed Lost)',
  });
});

test('win and lose close the referral, the loss with the stage as reason', () => {
  assert.deepEqual(decideOutboundStatus(won, referral('Outgoing', 'Active', 'Accepted'), settings), {
    kind: 'transition',
    event: 'win',
    to: { status: 'Closed', substatus: 'Won' },
  });
  assert.deepEqual(decideOutboundStatus(lost, referral('Incoming', 'Active', 'Accepted'), settings), {
    kind: 'transition',
    event: 'lose',
    to: { status: 'Closed', substatus: 'Lost' },
    statusReason: 'Lost in Salesforce (stage Closed Lost)',
  });
});

test('open stages leave an outgoing or accepted referral as it is', () => {
  assert.deepEqual(decideOutboundStatus(open('Negotiation'), referral('Outgoing', 'Active', 'Accepted'), settings), { kind: 'unchanged' });
  assert.deepEqual(decideOutboundStatus(open(ON_HOLD), referral('Incoming', 'Active', 'Accepted'), settings), { kind: 'unchanged' });
  assert.deepEqual(decideOutboundStatus(open('Negotiation'), referral('Outgoing', 'New', 'Pending'), settings), { kind: 'unchanged' });
});

test('a closed referral cannot be reopened or flipped: the error names the stage and the fix', () => {
  const decision = decideOutboundStatus(open('Qualification'), referral('Incoming', 'Closed', 'Expired'), settings);
  assert.equal(decision.kind, 'error');
  if (decision.kind !== 'error') return;
  assert.equal(decision.error.field, 'Opportunity.StageName');
  assert.match(decision.error.message, /Opportunity "Deal" \(006Dn00000A1b2cIAB\): the referral is already Closed - Expired in Partner Center and cannot change to match stage "Qualification" — set Stage back to "Closed Lost"/);
  const flipped = decideOutboundStatus(lost, referral('Outgoing', 'Closed', 'Won'), settings);
  assert.equal(flipped.kind, 'error');
  if (flipped.kind === 'error') assert.match(flipped.error.message, /set Stage back to "Closed Won"/);
  assert.deepEqual(decideOutboundStatus(won, referral('Outgoing', 'Closed', 'Won'), settings), { kind: 'unchanged' });
  assert.deepEqual(decideOutboundStatus(lost, referral('Incoming', 'Closed', 'Declined'), settings), { kind: 'unchanged' });
});

test('an incoming referral on hold without an on-hold stage setting is an admin error', () => {
  const decision = decideOutboundStatus(open('Qualification'), referral('Incoming', 'New', 'Pending'), { ...settings, onHoldStageName: null });
  assert.equal(decision.kind, 'error');
  if (decision.kind === 'error') {
    assert.equal(decision.error.field, 'Partner_Center_Settings__c.On_Hold_Stage_Name__c');
    assert.match(decision.error.message, /choose the On-hold stage name in Partner Center setup/);
  }
});

test('inbound: arrival lands in the stage the status asks for', () => {
  assert.deepEqual(decideInboundStage(referral('Incoming', 'New', 'Pending'), undefined, settings), { kind: 'stage', stageName: ON_HOLD, event: 'arrive' });
  assert.deepEqual(decideInboundStage(referral('Incoming', 'Active', 'Accepted'), undefined, settings), { kind: 'stage', stageName: 'Qualification', event: 'arrive' });
  assert.deepEqual(decideInboundStage(referral('Incoming', 'Closed', 'Won'), undefined, settings), { kind: 'stage', stageName: 'Closed Won', event: 'win' });
  assert.deepEqual(decideInboundStage(referral('Incoming', 'Closed', 'Lost'), undefined, settings), { kind: 'stage', stageName: 'Closed Lost', event: 'lose' });
});

test('inbound: expire, decline, win and lose move an open opportunity', () => {
  assert.deepEqual(decideInboundStage(referral('Incoming', 'Closed', 'Expired'), open(ON_HOLD), settings), { kind: 'stage', stageName: 'Closed Lost', event: 'expire' });
  assert.deepEqual(decideInboundStage(referral('Incoming', 'Closed', 'Declined'), open(ON_HOLD), settings), { kind: 'stage', stageName: 'Closed Lost', event: 'decline' });
  assert.deepEqual(decideInboundStage(referral('Outgoing', 'Closed', 'Won'), open('Negotiation'), settings), { kind: 'stage', stageName: 'Closed Won', event: 'win' });
  assert.deepEqual(decideInboundStage(referral('Outgoing', 'Closed', 'Lost'), open('Negotiation'), settings), { kind: 'stage', stageName: 'Closed Lost', event: 'lose' });
});

test('inbound: accepted in the portal while on hold moves to the active stage; a seller stage otherwise stands', () => {
  assert.deepEqual(decideInboundStage(referral('Incoming', 'Active', 'Accepted'), open(ON_HOLD), settings), { kind: 'stage', stageName: 'Qualification', event: 'accept' });
  assert.deepEqual(decideInboundStage(referral('Incoming', 'Active', 'Accepted'), open('Negotiation'), settings), { kind: 'unchanged' });
  assert.deepEqual(decideInboundStage(referral('Outgoing', 'Active', 'Accepted'), open(ON_HOLD), settings), { kind: 'unchanged' });
  assert.deepEqual(decideInboundStage(referral('Incoming', 'New', 'Pending'), open(ON_HOLD), settings), { kind: 'unchanged' });
});

test('inbound: a seller-closed opportunity is never reopened or flipped; a disagreement is noted', () => {
  assert.deepEqual(decideInboundStage(referral('Incoming', 'Active', 'Accepted'), won, settings), { kind: 'unchanged' });
  assert.deepEqual(decideInboundStage(referral('Incoming', 'Closed', 'Won'), won, settings), { kind: 'unchanged' });
  const flipped = decideInboundStage(referral('Incoming', 'Closed', 'Lost'), won, settings);
  assert.equal(flipped.kind, 'unchanged');
  assert.match(flipped.kind === 'unchanged' ? (flipped.note ?? '') : '', /Closed - Lost but the seller closed the opportunity as won/);
});

test('inbound: a missing stage setting is an error naming the setting', () => {
  const decision = decideInboundStage(referral('Incoming', 'Closed', 'Won'), undefined, { ...settings, wonStageName: null });
  assert.equal(decision.kind, 'error');
  if (decision.kind === 'error') {
    assert.equal(decision.error.field, 'Partner_Center_Settings__c.Won_Stage_Name__c');
    assert.match(decision.error.message, /Referral "Deal" \(r-1\) is Closed - Won in Partner Center, but no won stage name is set — choose the Won stage name/);
  }
});

test('formatReferralStatus', () => {
  assert.equal(formatReferralStatus({ status: 'Active', substatus: 'Accepted' }), 'Active - Accepted');
  assert.equal(formatReferralStatus({ status: 'New' }), 'New');
  assert.equal(formatReferralStatus({}), null);
});

test('property: the state machine never emits a transition STATUS_RULES forbids', () => {
  const stageNames = ['Qualification', ON_HOLD, 'Closed Won', 'Closed Lost', 'Negotiation', 'Prospecting'];
  const arbStage = fc.record({
    StageName: fc.constantFrom(...stageNames),
    IsClosed: fc.option(fc.boolean(), { nil: undefined }),
    IsWon: fc.option(fc.boolean(), { nil: undefined }),
  });
  const arbReferral = fc.record({
    direction: fc.constantFrom(...DIRECTIONS),
    status: fc.constantFrom(...REFERRAL_STATUSES),
    substatus: fc.constantFrom(...REFERRAL_SUBSTATUSES),
  });
  const arbSettings = fc.record({
    onHoldStageName: fc.constantFrom(ON_HOLD, null),
    wonStageName: fc.constantFrom('Closed Won', null),
    lostStageName: fc.constantFrom('Closed Lost', null),
  });
  fc.assert(
    fc.property(arbStage, arbReferral, arbSettings, (stage, current, overrides) => {
      const decision = decideOutboundStatus(stage, current, { ...settings, ...overrides });
      if (decision.kind !== 'transition') return;
      const to = decision.to;
      assert.ok(STATUS_RULES[current.status].next.includes(to.status), `${current.status} → ${to.status}`);
      assert.ok(STATUS_RULES[to.status].substatuses.includes(to.substatus), `${to.status}/${to.substatus}`);
      assert.notEqual(current.status, 'Closed');
    }),
    { numRuns: 2000 },
  );
});
