import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeChange } from './register-webhooks.js';

const OURS = ['referral-created', 'referral-updated', 'related-referral-created', 'related-referral-updated'];

test('register-webhooks says what it changed: added events, kept events, and a moved callback URL', () => {
  assert.equal(
    describeChange({ action: 'registered', url: 'https://c.example/webhooks/partner-center', added: OURS, kept: [], events: OURS }),
    `Registered https://c.example/webhooks/partner-center for ${OURS.join(', ')}.`,
  );
  const moved = describeChange({
    action: 'updated',
    url: 'https://c.example/webhooks/partner-center',
    previousUrl: 'https://billing.example/hook',
    added: OURS,
    kept: ['subscription-updated'],
    events: ['subscription-updated', ...OURS],
  });
  assert.match(moved, /^Updated the registration: added referral-created, referral-updated, related-referral-created, related-referral-updated\./);
  assert.match(moved, /Kept the events another tool registered: subscription-updated\./);
  assert.match(moved, /The callback URL changed from https:\/\/billing\.example\/hook to https:\/\/c\.example\/webhooks\/partner-center; Partner Center now delivers subscription-updated there too/);
  assert.match(
    describeChange({ action: 'unchanged', url: 'https://c.example/w', added: [], kept: ['invoice-ready'], events: ['invoice-ready', ...OURS] }),
    /^Nothing to change: https:\/\/c\.example\/w already receives invoice-ready, referral-created.*Kept the events another tool registered: invoice-ready\.$/,
  );
});
