import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  AUDIT_MAX_LENGTH,
  formatAuditLine,
  OPPORTUNITY_NAME_MAX_LENGTH,
  prependAuditLine,
  stripStatusMark,
  syncOutcomeFields,
  withStatusMark,
} from './audit.js';

const on = { displayCheckMark: true };
const off = { displayCheckMark: false };

test('the mark is added, replaced and removed without ever doubling', () => {
  assert.equal(withStatusMark('Contoso deal', 'success', on), '✔ Contoso deal');
  assert.equal(withStatusMark('✔ Contoso deal', 'success', on), '✔ Contoso deal');
  assert.equal(withStatusMark('✔ Contoso deal', 'error', on), '✖ Contoso deal');
  assert.equal(withStatusMark('✖ ✔ Contoso deal', 'success', on), '✔ Contoso deal');
  assert.equal(withStatusMark('✔️ Contoso deal', 'error', on), '✖ Contoso deal');
  assert.equal(withStatusMark('✖ Contoso deal', null, on), 'Contoso deal');
  assert.equal(stripStatusMark('✔✖Contoso'), 'Contoso');
});

test('with displayCheckMark off the name is never touched', () => {
  assert.equal(withStatusMark('Contoso deal', 'success', off), 'Contoso deal');
  assert.equal(withStatusMark('✔ Contoso deal', 'error', off), '✔ Contoso deal');
});

test('a name too long for the prefix keeps its text and goes unmarked', () => {
  const long = 'x'.repeat(OPPORTUNITY_NAME_MAX_LENGTH - 1);
  assert.equal(withStatusMark(long, 'success', on), long);
  assert.equal(withStatusMark('✔ ' + long, 'success', on), long);
  const fits = 'x'.repeat(OPPORTUNITY_NAME_MAX_LENGTH - 2);
  assert.equal(withStatusMark(fits, 'success', on), '✔ ' + fits);
});

test('property: marking is idempotent and reversible', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 100 }), fc.constantFrom('success' as const, 'error' as const), (name, outcome) => {
      const once = withStatusMark(name, outcome, on);
      assert.equal(withStatusMark(once, outcome, on), once);
      assert.ok(!/^[✔✖]\s*[✔✖]/u.test(once));
      assert.equal(withStatusMark(once, null, on), stripStatusMark(name));
    }),
  );
});

test('an audit line is one line with time, outcome, direction and request id', () => {
  assert.equal(
    formatAuditLine({ at: new Date('2026-03-02T09:16:02.117Z'), direction: 'outbound', outcome: 'error', message: 'Customer account country code is missing —\nset Billing Country', requestId: 'r-1' }),
    '2026-03-02T09:16:02.117Z ✖ Salesforce → Partner Center: Customer account country code is missing — set Billing Country [request-id r-1]',
  );
  assert.equal(
    formatAuditLine({ at: '2026-03-02T09:16:02Z', direction: 'inbound', outcome: 'success', message: 'Referral created' }),
    '2026-03-02T09:16:02Z ✔ Partner Center → Salesforce: Referral created',
  );
});

test('the newest line comes first and old lines drop off whole at the limit', () => {
  assert.equal(prependAuditLine(null, 'b'), 'b');
  assert.equal(prependAuditLine('b\na', 'c'), 'c\nb\na');
  assert.equal(prependAuditLine('bbbb\naaaa', 'cccc', 10), 'cccc\nbbbb');
  assert.equal(prependAuditLine('x', 'y'.repeat(20), 10), 'y'.repeat(10));
});

test('property: the trail never exceeds the Long Text Area limit and keeps the newest line', () => {
  fc.assert(
    fc.property(fc.array(fc.string({ minLength: 1, maxLength: 40 }).map((s) => s.replace(/\n/g, ' ')), { maxLength: 30 }), fc.integer({ min: 10, max: 200 }), (lines, max) => {
      let trail = '';
      for (const line of lines) {
        trail = prependAuditLine(trail, line, max);
        assert.ok(trail.length <= max);
        assert.ok(trail.startsWith(line.slice(0, max)));
      }
    }),
  );
  const big = 'z'.repeat(AUDIT_MAX_LENGTH - 5);
  assert.ok(prependAuditLine(big, 'new line').length <= AUDIT_MAX_LENGTH);
});

test('syncOutcomeFields writes status, last sync, audit and the mark', () => {
  const at = '2026-03-02T09:16:02.117Z';
  assert.deepEqual(
    syncOutcomeFields({ opportunity: { Name: 'Contoso deal', Partner_Center_Audit__c: 'older' }, entry: { at, direction: 'outbound', outcome: 'success', message: 'Referral created' }, settings: on }),
    {
      Partner_Center_Sync_Status__c: 'Synced',
      Partner_Center_Audit__c: `${at} ✔ Salesforce → Partner Center: Referral created\nolder`,
      Partner_Center_Last_Sync__c: at,
      Name: '✔ Contoso deal',
    },
  );
  const failed = syncOutcomeFields({ opportunity: { Name: 'Contoso deal' }, entry: { at, direction: 'outbound', outcome: 'error', message: 'x' }, settings: off });
  assert.equal(failed.Partner_Center_Sync_Status__c, 'Error');
  assert.equal('Partner_Center_Last_Sync__c' in failed, false);
  assert.equal('Name' in failed, false);
});
