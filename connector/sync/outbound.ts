/**
 * Salesforce → Partner Center for one opportunity: read it, let the engine decide (create, minimal patch, or
 * nothing), apply that to Partner Center with optimistic concurrency, then write the result back to the
 * opportunity. Idempotent on every path: a create is preceded by a look-up when an earlier attempt may already
 * have created the referral, patches carry absolute values, and the write-back sets absolute values.
 */
import { fingerprintInbound, fingerprintOutbound, isEcho, nextBaseline, type SyncBaseline } from '../engine/fingerprint.js';
import { buildOpportunityQuery } from '../engine/opportunity-query.js';
import { mapOutbound, type OutboundResult } from '../engine/outbound.js';
import { referralPortalLink } from '../engine/portal-link.js';
import { text, type OpportunityRecord } from '../engine/salesforce-records.js';
import { formatReferralStatus } from '../engine/state-machine.js';
import { describeRecord } from '../engine/field-errors.js';
import { isReferralForMicrosoft } from '../engine/outbound.js';
import { assertKnownValues, UnknownValueError } from '../engine/referral-values.js';
import { referralFilter } from '../partner-center/odata-filter.js';
import type { Referral } from '../model/referral.js';
import { toId18 } from '../model/salesforce-id.js';
import type { SObjectRecord } from '../salesforce/gateway.js';
import type { SyncStateUpdate, WorkItem } from '../queue/types.js';
import { needsMicrosoftShare, shareWithMicrosoft } from './co-sell-share.js';
import { SyncFailure, fieldErrorsFailure, toSyncFailure } from './failures.js';
import type { FailureContext, ItemResult, SyncDeps } from './types.js';
import { writeBackUnlessChanged, type OpportunityRead } from './conditional-writeback.js';
import { outboundRequest } from '../queue/lanes.js';
import { statusEvent, successFields, supersededFields, type AttemptReport, type OpportunityRef } from './writeback.js';

/** Referral lists may lag a create by a little; look a while before the item first existed. */
const CREATE_LOOKUP_SLACK_MS = 10 * 60_000;

/**
 * A referral an earlier attempt created for this opportunity (the create answered too late, or the connector
 * stopped before recording it). The documented filters ("Get a list of referrals") cover neither
 * externalReferenceId nor the dates, so the outgoing referrals are read newest first (`$orderby=createdDateTime
 * desc`, documented) until they are older than the item; the referral for Microsoft in the same engagement repeats
 * the externalReferenceId and is skipped.
 */
async function findCreatedReferral(deps: SyncDeps, opportunityId: string, since: number): Promise<Referral | undefined> {
  const oldest = since - CREATE_LOOKUP_SLACK_MS;
  const matches: Referral[] = [];
  for await (const referral of deps.partnerCenter.allReferrals({ filter: referralFilter.direction('Outgoing'), orderBy: 'createdDateTime desc' })) {
    const createdAt = Date.parse(referral.createdDateTime ?? '');
    if (!Number.isNaN(createdAt) && createdAt < oldest) break;
    if (isReferralForMicrosoft(referral)) continue;
    const external = referral.externalReferenceId ? toId18(referral.externalReferenceId) : null;
    if (external === opportunityId) matches.push(referral);
  }
  return matches.sort(byOwnFirst)[0];
}

const at = (value: string | undefined) => {
  const ms = Date.parse(value ?? '');
  return Number.isNaN(ms) ? Number.POSITIVE_INFINITY : ms;
};

/**
 * A co-sell referral's connected Microsoft referral repeats its externalReferenceId and is created in the same
 * instant, so creation time alone cannot tell them apart. Ours is the one accepted first: an outgoing referral is
 * accepted by its creator when it is created, the connected one only when (if ever) Microsoft accepts it.
 */
function byOwnFirst(a: Referral, b: Referral): number {
  return at(a.acceptedDateTime) - at(b.acceptedDateTime) || at(a.createdDateTime) - at(b.createdDateTime);
}

/** Fields the connector owns on the opportunity that the referral determines. */
function referralFields(opportunity: OpportunityRecord, referral: Referral): SObjectRecord {
  const fields: SObjectRecord = {};
  if (referral.id && text(opportunity.Referral_Id__c) !== referral.id) fields.Referral_Id__c = referral.id;
  const link = referralPortalLink(referral);
  if (link && text(opportunity.Referral_Link__c) !== link) fields.Referral_Link__c = link;
  const status = formatReferralStatus(referral);
  if (status && text(opportunity.Partner_Center_Status__c) !== status) fields.Partner_Center_Status__c = status;
  const msx = text(referral.trackingInfo?.microsoftMsxId);
  if (msx && text(opportunity.Microsoft_CRM_Id__c) !== msx) fields.Microsoft_CRM_Id__c = msx;
  return fields;
}

function describeUpdate(result: OutboundResult | undefined, referralId: string): string {
  if (result && 'operation' in result && result.operation === 'update') {
    const event = result.event ? ` (${result.event})` : '';
    return `Updated referral ${referralId}${event}: ${result.fields.join(', ')}.`;
  }
  if (result && 'operation' in result && result.operation === 'none') return `Referral ${referralId} is up to date: ${result.reason}`;
  return `Referral ${referralId} is up to date.`;
}

export async function processOutbound(item: WorkItem, deps: SyncDeps): Promise<ItemResult> {
  const opportunityId = String(item.payload.opportunityId);
  const context: FailureContext = { direction: 'outbound', opportunity: null, referralId: null, operation: 'read opportunity' };
  const progress: SyncStateUpdate[] = [];
  try {
    const { settings, org } = await deps.context.get();
    const read = async (): Promise<OpportunityRead | undefined> => {
      const readAt = deps.now();
      const [record] = await deps.salesforce.query<OpportunityRecord>(buildOpportunityQuery(settings, { ids: [opportunityId] }, org, 1), {
        includeDeleted: true,
        what: `Opportunity ${opportunityId}`,
      });
      return record && record.IsDeleted !== true ? { record, readAt } : undefined;
    };
    const sent = await read();
    if (!sent) {
      return {
        status: 'done',
        settles: false,
        outcome: { result: 'skipped', reason: `Opportunity ${opportunityId} no longer exists (deleted); nothing was sent.` },
        syncState: [{ opportunityId, opportunityDeleted: true }],
      };
    }
    const opportunity = sent.record;
    const ref: OpportunityRef = { Id: opportunityId, Name: opportunity.Name, Partner_Center_Audit__c: opportunity.Partner_Center_Audit__c, read: sent };
    context.opportunity = ref;
    if (opportunity.Sync_With_Partner_Center__c !== true) {
      return { status: 'done', settles: false, outcome: { result: 'skipped', reason: 'Sync with Partner Center is off for this opportunity.' } };
    }

    const state = await deps.store.getSyncState({ opportunityId });
    let baseline = state?.baseline ?? undefined;
    const synced = (opp: OpportunityRecord, referral: Referral, previous: SyncBaseline | undefined) =>
      nextBaseline({ salesforce: fingerprintOutbound(opp, settings, org), partnerCenter: fingerprintInbound(referral) }, previous, 'salesforce');
    let referralId = text(opportunity.Referral_Id__c) ?? state?.referralId ?? null;
    let current: Referral | undefined;
    let requestId: string | undefined;
    let created = false;

    if (!referralId && (item.attempts > 1 || item.lastError)) {
      context.operation = 'look for a referral created by an earlier attempt';
      current = await findCreatedReferral(deps, opportunityId, item.createdAt);
      referralId = current?.id ?? null;
    }
    if (!referralId) {
      context.operation = 'create referral';
      const decision = mapOutbound(opportunity, settings, undefined, { org });
      if ('errors' in decision) return { status: 'failed', failure: fieldErrorsFailure(decision.errors), context };
      if (decision.operation === 'none') return { status: 'done', settles: false, outcome: { result: 'skipped', reason: decision.reason } };
      if (decision.operation !== 'create') throw new SyncFailure('park', `The engine asked to ${decision.operation} a referral that does not exist yet.`);
      // A kill between the create and recording its result leaves the retry to find the referral by its external
      // reference; it must also know the values the referral was created with, or a later Microsoft edit (even of its
      // CRM id) would look newer than every Salesforce edit made since and win them all on timestamps.
      if (item.claimedBy) {
        // Planned from scratch: no referral exists, so any baseline held is an earlier attempt's plan.
        const planned = synced(opportunity, decision.referral as Referral, undefined);
        if (!(await deps.store.checkpoint(item.id, item.claimedBy, [{ opportunityId, baseline: planned }]))) {
          throw new SyncFailure('retry', 'Another worker took over this opportunity before its referral was created; it continues there.');
        }
      }
      const response = await deps.partnerCenter.createReferral(decision.referral);
      current = response.data;
      requestId = response.requestId;
      referralId = text(current.id);
      if (!referralId) throw new SyncFailure('retry', 'Partner Center created the referral but returned no id; the create is checked and not repeated.');
      created = true;
      // If anything below fails, the next attempt must update this referral, not create another — and must know
      // which values it was created with, or a later Microsoft edit (even of its CRM id) would look newer than
      // every Salesforce edit made since and win them all on timestamps.
      baseline = synced(opportunity, current, baseline);
      progress.push({ opportunityId, referralId, referral: current, eTag: current.eTag ?? null, baseline });
      // Recorded now, not at completion: Partner Center's webhook for this create arrives while the write-back
      // waits out the version's second, and finds the referral known (no GET for the echo of our own create).
      if (item.claimedBy) await deps.store.checkpoint(item.id, item.claimedBy, [progress[progress.length - 1]]);
    }
    context.referralId = referralId;
    context.operation = created ? 'create referral' : 'update referral';
    current ??= state?.referralId === referralId && state.referral?.eTag ? state.referral : undefined;
    const wasShared = (state?.referral?.type ?? current?.type) === 'Shared' && !created;

    const lastSynced = baseline;
    let decision: OutboundResult | undefined;
    const update = await deps.partnerCenter.updateWithRetry(
      referralId,
      (latest) => {
        assertKnownValues(latest);
        decision = mapOutbound(opportunity, settings, latest, { lastSynced, org });
        return 'patch' in decision ? decision.patch : null;
      },
      { current },
    );
    if (decision && 'errors' in decision) return { status: 'failed', failure: fieldErrorsFailure(decision.errors), context, syncState: progress };
    const referral = update.referral;
    requestId = update.requestId ?? requestId;
    context.requestId = requestId;
    // Partner Center now holds what was decided: record it even if the write-back below fails.
    const next = synced(opportunity, referral, lastSynced);
    progress.push({ opportunityId, referralId, referral, eTag: referral.eTag ?? null, baseline: next });

    let sharedNote = '';
    if (needsMicrosoftShare(referral, { created, retried: item.attempts > 1 || item.lastError !== null, wasShared })) {
      context.operation = 'create the connected referral for Microsoft';
      const share = await shareWithMicrosoft(deps, referral);
      if (share.created) {
        requestId = share.requestId ?? requestId;
        sharedNote = ` Shared with Microsoft as connected referral ${share.referral.id}.`;
      }
      context.operation = created ? 'create referral' : 'update referral';
    }

    const message =
      (created
        ? `Shared with Partner Center as ${describeRecord('referral', referral.name, referralId)}${update.changed ? `; then ${describeUpdate(decision, referralId)}` : '.'}`
        : describeUpdate(decision, referralId)) + sharedNote;
    const report: AttemptReport & { opportunity: OpportunityRef } = {
      direction: 'outbound',
      opportunity: ref,
      referralId,
      operation: context.operation,
      outcome: 'success',
      message,
      requestId,
      at: new Date(deps.now()),
    };
    context.operation = 'write the result back to the opportunity';
    // Only the version sent is Synced: a seller's change made meanwhile keeps its values, stays Pending and is
    // sent next (conditional-writeback.ts).
    const written = await writeBackUnlessChanged(deps, {
      opportunityId,
      sent,
      reread: read,
      sameVersion: (before, latest) =>
        before.Name === latest.Name &&
        before.Sync_With_Partner_Center__c === latest.Sync_With_Partner_Center__c &&
        isEcho(fingerprintOutbound(latest, settings, org), fingerprintOutbound(before, settings, org)),
      fields: (latest, current) => {
        const latestRef: OpportunityRef = { Id: opportunityId, Name: latest.Name, Partner_Center_Audit__c: latest.Partner_Center_Audit__c };
        if (current) return { ...referralFields(latest, referral), ...successFields({ ...report, opportunity: latestRef }, settings) };
        return { ...referralFields(latest, referral), ...supersededFields({ ...report, opportunity: latestRef }) };
      },
      label: describeRecord('Opportunity', opportunity.Name, opportunityId),
      // The sync log and status event ride in the write-back's own call: an outbound change costs the read, the
      // read after the version's second (conditional-writeback.ts) and this one call.
      alongside: (_latest, current) => deps.writer.specs([report], [statusEvent(opportunityId, current ? 'Synced' : 'Pending', message)]),
    });
    const isCurrent = written.written && written.current;
    if (!written.written || !written.alongsideWritten) {
      await deps.writer.record([report], written.written ? [statusEvent(opportunityId, isCurrent ? 'Synced' : 'Pending', message)] : []);
    }
    const followUp =
      written.written && !isCurrent
        ? [outboundRequest(opportunityId, { opportunityId, reason: 'Updated', eventUuid: null, publishedAt: written.record.LastModifiedDate ?? null }, 'write-back')]
        : [];

    return {
      status: 'done',
      outcome: { result: created ? 'created' : update.changed ? 'updated' : 'unchanged', referralId, message, ...(requestId ? { requestId } : {}) },
      syncState: [
        {
          opportunityId,
          referralId,
          referral,
          eTag: referral.eTag ?? null,
          baseline: next,
          opportunityDeleted: false,
          lastOutboundAt: deps.now(),
        },
      ],
      ...(followUp.length > 0 ? { enqueue: followUp } : {}),
    };
  } catch (error) {
    if (error instanceof UnknownValueError) deps.logger.warn({ referralId: error.referral.id, unknown: error.unknown }, 'referral with an unknown value parked');
    return { status: 'failed', failure: toSyncFailure(error, context.operation), context, syncState: progress };
  }
}
