/**
 * Watching the stack without disturbing it: outcomes are polled with a deadline, and the org and emulator are
 * read through their in-process control APIs, which no call counter sees — so "nothing more was called" can be
 * asserted by counting.
 */
import assert from 'node:assert/strict';
import type { EventMessage } from '../../sandbox/org/index.js';
import type { Stack } from './stack.js';

export type Row = Record<string, unknown>;

const POLL_MS = 20;
// Generous: a deadline only costs time when a test is failing anyway.
const DEFAULT_TIMEOUT_MS = 15_000;

/** Polls until `check` returns a value (not undefined/null/false) or the deadline passes. */
export async function eventually<T>(check: () => T | undefined | null | false | Promise<T | undefined | null | false>, what: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Resolves once nothing is queued or running in the connector and no webhook or sync request is in flight. */
export async function settled(stack: Stack, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
  let quiet = 0;
  await eventually(async () => {
    await Promise.all([stack.pc.control.webhooks.idle(), stack.org.control.deliveries.idle()]);
    const { depth } = await stack.connector.store.stats();
    quiet = depth.outbound + depth.inbound + depth.sweep === 0 ? quiet + 1 : 0;
    return quiet >= 3;
  }, 'the connector to settle', timeoutMs);
}

/** Partner Center API calls (token, referrals, webhook registration) by method; the emulator's control routes are not counted. */
export function partnerCenterApiCalls(stack: Stack, method?: string): number {
  return Object.entries(stack.pc.stats().byRoute)
    .filter(([route]) => {
      const [verb, pattern] = route.split(' ');
      const api = pattern.startsWith('/v1.0/') || pattern.startsWith('/webhooks/v1/') || pattern.endsWith('/oauth2/v2.0/token');
      return api && (method === undefined || verb === method);
    })
    .reduce((sum, [, stats]) => sum + stats.total, 0);
}

/** Every counter of traffic between the parties. */
export function traffic(stack: Stack) {
  const webhooks = stack.pc.stats().webhooks;
  return {
    partnerCenterApiCalls: partnerCenterApiCalls(stack),
    webhookNotifications: webhooks.notifications,
    webhookDeliveries: stack.webhookWire.exchanges.length,
    salesforceApiCalls: stack.org.stats().total,
    syncRequestDeliveries: stack.org.control.deliveries.list().length,
  };
}

/**
 * No loops: once the scenario has settled, nothing calls anyone for a quiet window. (The window is the
 * assertion, not a wait for an outcome.)
 */
export async function assertQuiet(stack: Stack, windowMs = 250): Promise<void> {
  await settled(stack);
  const before = traffic(stack);
  await new Promise((resolve) => setTimeout(resolve, windowMs));
  await settled(stack);
  assert.deepEqual(traffic(stack), before, 'calls went on after the scenario settled: something is looping');
}

export function record(stack: Stack, id: string): Row {
  const row = stack.org.control.records.get(id);
  assert.ok(row, `record ${id} exists`);
  return row;
}

export function query(stack: Stack, soql: string): Row[] {
  return stack.org.control.records.query(soql);
}

export function syncLogs(stack: Stack, opportunityId: string): Row[] {
  return query(
    stack,
    `SELECT Direction__c, Outcome__c, Reason_Code__c, Message__c, Operation__c, Referral_Id__c, Request_Id__c, Occurred_At__c, Failure_Reason__c, Failure_Parameters__c FROM Partner_Center_Sync_Log__c WHERE Opportunity__c = '${opportunityId}' ORDER BY CreatedDate`,
  );
}

export function statusEvents(stack: Stack, opportunityId: string): EventMessage['data']['payload'][] {
  return stack.org.control.events
    .list('Partner_Center_Sync_Status__e')
    .map((m) => m.data.payload)
    .filter((p) => p.Opportunity_Id__c === opportunityId);
}

/** The newest line of the opportunity's audit trail. */
export function lastAuditLine(stack: Stack, opportunityId: string): string {
  return String(record(stack, opportunityId).Partner_Center_Audit__c ?? '').split('\n')[0];
}

export function opportunityForReferral(stack: Stack, referralId: string): Row | undefined {
  return query(stack, `SELECT Id FROM Opportunity WHERE Referral_Id__c = '${referralId}'`)[0];
}
