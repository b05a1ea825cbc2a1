/**
 * Partner Center → Salesforce for a batch of referrals. Reads are batched (the linked opportunities in one
 * /composite call; account candidates, contacts and leads, up to 200 names or emails per query, together in
 * another) and so are writes (sObject Collections of up to 200 records: accounts, contacts, opportunities
 * upserted on Referral_Id__c; contact roles, solutions and leads together in one /composite call; sync logs
 * and status events in another), so a backfill costs about 8 Salesforce calls per 200 referrals. Each referral
 * succeeds or fails on its own.
 *
 * Idempotent without any bookkeeping in Salesforce: a retry after a crash finds the accounts and contacts the
 * first attempt created (they match by name + postal code and by email), the opportunity by Referral_Id__c,
 * and existing contact roles and solutions, so nothing is created twice.
 */
import { describeRecord } from '../engine/field-errors.js';
import { fingerprintInbound, fingerprintOutbound, nextBaseline } from '../engine/fingerprint.js';
import { mapInbound, type InboundPlan } from '../engine/inbound.js';
import { buildContactsByEmailQuery } from '../engine/match-queries.js';
import { buildOpportunityQuery } from '../engine/opportunity-query.js';
import { classifyReferral } from '../engine/referral-kind.js';
import { UnknownValueError, unknownValues } from '../engine/referral-values.js';
import { normalizeEmail, normalizeName, normalizePostalCode } from '../engine/record-matching.js';
import { subRecords, text, type AccountRecord, type ContactRecord, type OpportunityRecord } from '../engine/salesforce-records.js';
import { NotFoundError } from '../partner-center/errors.js';
import type { Referral } from '../model/referral.js';
import type { QuerySpec, SObjectRecord, SaveOutcome } from '../salesforce/gateway.js';
import { isOpportunityId, toId18 } from '../model/salesforce-id.js';
import { accountCandidatesQuery, partnerCenterLeadsQuery } from '../salesforce/queries.js';
import type { JsonObject, SyncState, WorkItem } from '../queue/types.js';
import type { SyncContext } from './context.js';
import { SyncFailure, fieldErrorsFailure, toSyncFailure } from './failures.js';
import { inboundRequest, opportunityLane, outboundRequest } from '../queue/lanes.js';
import type { FailureContext, ItemResult, SyncDeps } from './types.js';
import { statusEvent, successFields, type AttemptReport, type OpportunityRef } from './writeback.js';

/** 200 company names of up to 255 characters keep a candidates query well under SOQL's 100,000 characters. */
const NAMES_PER_QUERY = 200;
const EMAILS_PER_QUERY = 200;
const IDS_PER_QUERY = 200;
const PARALLEL_READS = 8;

/** One referral on its way through the batch. */
interface Work {
  item: WorkItem;
  referralId: string;
  referral?: Referral;
  state?: SyncState | null;
  opportunity?: OpportunityRecord | null;
  plan?: InboundPlan;
  accountId?: string | null;
  opportunityId?: string | null;
  leadId?: string | null;
  contactIds: string[];
  operation: string;
  result?: ItemResult;
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

async function mapLimit<T>(items: readonly T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await run(items[next++]);
  }));
}

const open = (work: Work[]) => work.filter((w) => !w.result);

function refOf(work: Work): OpportunityRef | null {
  const id = work.opportunityId ?? work.opportunity?.Id;
  if (!id) return null;
  return { Id: id, Name: work.opportunity?.Name ?? (work.plan?.opportunity?.Name as string | undefined), Partner_Center_Audit__c: work.opportunity?.Partner_Center_Audit__c };
}

function failureContext(work: Work): FailureContext {
  return { direction: 'inbound', opportunity: refOf(work), referralId: work.referralId, operation: work.operation };
}

function fail(work: Work, error: unknown): void {
  work.result = { status: 'failed', failure: toSyncFailure(error, work.operation), context: failureContext(work) };
}

function done(work: Work, outcome: JsonObject, extra: Partial<Extract<ItemResult, { status: 'done' }>> = {}): void {
  work.result = { status: 'done', outcome, ...extra, ...pendingOutbound(work, extra) };
}

/**
 * An opportunity read as Pending holds a seller's change whose callout may never have reached the connector (it was
 * down, say). This turn's write-back marks it synced, which would hide the change from the Pending sweep, so the
 * outbound turn is queued here instead (it coalesces with one already waiting).
 */
function pendingOutbound(work: Work, extra: Partial<Extract<ItemResult, { status: 'done' }>>): { enqueue?: ReturnType<typeof outboundRequest>[] } {
  const id = work.opportunity?.Id ? (toId18(work.opportunity.Id) ?? work.opportunity.Id) : null;
  if (!id || work.opportunity?.Partner_Center_Sync_Status__c !== 'Pending' || work.opportunity.Sync_With_Partner_Center__c !== true) return {};
  return { enqueue: [...(extra.enqueue ?? []), outboundRequest(id, { opportunityId: id, reason: 'Retry', eventUuid: null, publishedAt: null }, 'inbound')] };
}

/** Done without writing anything: nothing a dead letter asked for has happened. */
function skipped(work: Work, outcome: JsonObject, extra: Partial<Extract<ItemResult, { status: 'done' }>> = {}): void {
  done(work, outcome, { ...extra, settles: false });
}

/** Applies per-record outcomes of one collection write to the referrals they belong to. */
function apply(works: Work[], operation: string, outcomes: SaveOutcome[], onSaved: (work: Work, id: string, index: number) => void): void {
  outcomes.forEach((outcome, i) => {
    const work = works[i];
    if (work.result) return;
    work.operation = operation;
    if (outcome.error) fail(work, outcome.error);
    else onSaved(work, outcome.id!, i);
  });
}

/** Applies per-record outcomes of one collection call; a call that failed as a whole fails every record in it. */
async function save(works: Work[], operation: string, write: () => Promise<SaveOutcome[]>, onSaved: (work: Work, id: string, index: number) => void): Promise<void> {
  if (works.length === 0) return;
  for (const work of works) work.operation = operation;
  let outcomes: SaveOutcome[];
  try {
    outcomes = await write();
  } catch (error) {
    for (const work of works) if (!work.result) fail(work, error);
    return;
  }
  apply(works, operation, outcomes, onSaved);
}

// ── Stage 1: the referrals and what Salesforce already has ─────────────────────────────────────────

/** A sweep's snapshot saves a GET unless something newer was already applied (lanes run in order, sweeps may lag). */
function usableSnapshot(work: Work): Referral | undefined {
  const snapshot = work.item.payload.referral as Referral | undefined;
  if (snapshot?.id !== work.referralId) return undefined;
  const applied = Date.parse(work.state?.referral?.updatedDateTime ?? '');
  const taken = Date.parse(snapshot.updatedDateTime ?? '');
  return Number.isNaN(applied) || (!Number.isNaN(taken) && taken >= applied) ? snapshot : undefined;
}

/**
 * The referral the connector already holds (the answer to its own last write) when it is no older than the
 * change the webhook announces: the notification of the connector's own PATCH then costs no GET.
 */
function knownReferral(work: Work): Referral | undefined {
  const known = work.state?.referral;
  const announced = Date.parse(String(work.item.payload.changedAt ?? ''));
  const held = Date.parse(known?.updatedDateTime ?? '');
  return known?.id === work.referralId && held >= announced ? known : undefined;
}

async function loadReferrals(works: Work[], deps: SyncDeps): Promise<void> {
  await mapLimit(works, PARALLEL_READS, async (work) => {
    const snapshot = usableSnapshot(work);
    if (snapshot) {
      work.referral = snapshot;
      return;
    }
    if (knownReferral(work)) {
      // The change announced is one the connector already holds: the answer to its own PATCH (the echo of an
      // outbound change) or a change it already applied. Nothing in it is new to Salesforce, so it costs no
      // call at all; a seller change made meanwhile has its own sync request (and the Pending sweep behind it).
      skipped(work, { result: 'skipped', reason: 'The connector already holds this version of the referral (its own write, or one it applied).' });
      return;
    }
    work.operation = 'read the referral';
    try {
      work.referral = (await deps.partnerCenter.getReferral(work.referralId)).data;
    } catch (error) {
      if (error instanceof NotFoundError) {
        skipped(work, { result: 'skipped', reason: `Referral ${work.referralId} no longer exists in Partner Center.` });
      } else fail(work, error);
    }
  });
}

/** Work that belongs to a deal's opportunity lane moves there, so only one item touches the deal at a time. */
function reroute(work: Work): boolean {
  const external = work.referral?.direction === 'Outgoing' && work.referral.externalReferenceId ? toId18(work.referral.externalReferenceId) : null;
  const opportunityId = work.state?.opportunityId ?? (external && isOpportunityId(external) ? external : null);
  if (!opportunityId || work.item.key === opportunityLane(opportunityId)) return false;
  skipped(work, { result: 'rerouted', lane: opportunityLane(opportunityId) }, {
    enqueue: [
      inboundRequest(
        opportunityLane(opportunityId),
        { referralId: work.referralId, eventName: String(work.item.payload.eventName ?? 'rerouted'), changedAt: (work.item.payload.changedAt as string | null) ?? null },
        work.item.source,
      ),
    ],
  });
  return true;
}

async function loadOpportunities(works: Work[], deps: SyncDeps, { settings, org }: SyncContext): Promise<void> {
  const byReferral = new Map<string, OpportunityRecord>();
  const byId = new Map<string, OpportunityRecord>();
  const pending = open(works);
  // By referral id and by the id the connector or the referral links to, all in one call.
  const linkedIds = pending
    .map((w) => w.state?.opportunityId ?? (w.referral?.externalReferenceId ? toId18(w.referral.externalReferenceId) : null))
    .filter((id): id is string => id !== null && isOpportunityId(id));
  const query = (filter: Parameters<typeof buildOpportunityQuery>[1]): QuerySpec => ({
    soql: buildOpportunityQuery(settings, filter, org, 2000),
    includeDeleted: true,
    what: 'the linked opportunities',
  });
  const queries = [
    ...chunk(pending.map((w) => w.referralId), IDS_PER_QUERY).map((referralIds) => query({ referralIds })),
    ...chunk([...new Set(linkedIds)], IDS_PER_QUERY).map((ids) => query({ ids })),
  ];
  for (const rows of queries.length > 0 ? await deps.salesforce.queries<OpportunityRecord>(queries) : []) {
    for (const row of rows) {
      if (row.Referral_Id__c) byReferral.set(row.Referral_Id__c, row);
      if (row.Id) byId.set(toId18(row.Id) ?? row.Id, row);
    }
  }
  for (const work of pending) {
    const linked = work.state?.opportunityId ?? (work.referral?.externalReferenceId ? toId18(work.referral.externalReferenceId) : null);
    work.opportunity = byReferral.get(work.referralId) ?? (linked ? byId.get(linked) : undefined) ?? null;
  }
}

/**
 * A co-sell referral has a connected Microsoft referral (same engagement, same externalReferenceId) whose
 * changes arrive as related-referral events. It must never take over the opportunity's link: the work is
 * redone on the opportunity's own referral, which carries what Microsoft changed (status, CRM id).
 */
async function resolveConnected(works: Work[], deps: SyncDeps): Promise<void> {
  for (const work of open(works)) {
    const opportunity = work.opportunity;
    if (!opportunity?.Id) continue;
    const own = text(opportunity.Referral_Id__c) ?? (await deps.store.getSyncState({ opportunityId: toId18(opportunity.Id) ?? opportunity.Id }))?.referralId ?? null;
    if (!own || own === work.referralId) continue;
    work.operation = `read referral ${own}, which ${work.referralId} is connected to`;
    work.referralId = own;
    work.state = await deps.store.getSyncState({ referralId: own });
    try {
      work.referral = (await deps.partnerCenter.getReferral(own)).data;
    } catch (error) {
      fail(work, error);
    }
  }
}

/**
 * Account candidates for the referrals that will create an opportunity, contacts by email, and leads an earlier
 * attempt created (found by the referral id in Description), all in one /composite call.
 */
async function loadMatches(works: Work[], deps: SyncDeps, { settings }: SyncContext) {
  const lookups: { spec: QuerySpec; take: (rows: SObjectRecord[]) => void }[] = [];
  const creating = open(works).filter((w) => !w.opportunity && classifyReferral(w.referral!) === 'coSell' && w.referral!.direction !== 'Outgoing');
  const names = [...new Set(creating.map((w) => text(w.referral!.customerProfile?.name) ?? text(w.referral!.name)).filter((n): n is string => n !== null))];
  const accounts: AccountRecord[] = [];
  for (const group of chunk(names, NAMES_PER_QUERY)) {
    lookups.push({ spec: { soql: accountCandidatesQuery(settings, group), what: 'matching accounts' }, take: (rows) => accounts.push(...(rows as AccountRecord[])) });
  }
  const emails = [...new Set(open(works).flatMap((w) => (w.referral!.customerProfile?.team ?? []).map((c) => normalizeEmail(c.email)).filter((e) => e !== '')))];
  const contactsByEmail: Record<string, ContactRecord> = {};
  for (const group of chunk(emails, EMAILS_PER_QUERY)) {
    lookups.push({
      spec: { soql: buildContactsByEmailQuery(group), what: 'matching contacts' },
      take: (rows) => {
        for (const contact of rows as ContactRecord[]) {
          const key = normalizeEmail(contact.Email);
          if (key && !contactsByEmail[key]) contactsByEmail[key] = contact;
        }
      },
    });
  }
  const leadWork = settings.syncCoSellOnly ? [] : open(works).filter((w) => !w.opportunity && !w.state?.leadId && classifyReferral(w.referral!) !== 'coSell');
  if (leadWork.length > 0) {
    const companies = leadWork.map((w) => text(w.referral!.customerProfile?.name) ?? text(w.referral!.name) ?? w.referralId);
    lookups.push({
      spec: { soql: partnerCenterLeadsQuery(companies), what: 'Partner Center leads' },
      take: (rows) => {
        const leads = rows as { Id: string; Description?: string | null }[];
        for (const work of leadWork) {
          const marker = `Partner Center referral ${work.referralId}`;
          work.leadId = leads.find((l) => (l.Description ?? '').includes(marker))?.Id ?? null;
        }
      },
    });
  }
  if (lookups.length > 0) {
    const results = await deps.salesforce.queries(lookups.map((l) => l.spec));
    lookups.forEach((lookup, i) => lookup.take(results[i]));
  }
  return { accounts, contactsByEmail };
}

// ── Stage 2: decide ────────────────────────────────────────────────────────────────────────────────

function plan(works: Work[], context: SyncContext, matches: { accounts: AccountRecord[]; contactsByEmail: Record<string, ContactRecord> }, logger: SyncDeps['logger']): void {
  for (const work of open(works)) {
    work.operation = 'map the referral';
    const opportunity = work.opportunity ?? null;
    if (opportunity?.IsDeleted === true && work.state?.opportunityDeleted) {
      skipped(work, { result: 'skipped', reason: 'The opportunity was deleted; already reported.' });
      continue;
    }
    const unknown = unknownValues(work.referral!);
    if (unknown.length > 0) {
      const error = new UnknownValueError(work.referral!, unknown);
      logger.warn({ referralId: work.referralId, unknown }, 'referral with an unknown value parked');
      fail(work, error);
      continue;
    }
    let result;
    try {
      result = mapInbound(
        work.referral!,
        context.settings,
        { opportunity, accountMatches: matches.accounts, contactsByEmail: matches.contactsByEmail, lastSynced: work.state?.baseline ?? undefined, leadId: work.state?.leadId ?? work.leadId ?? null },
        { org: context.org },
      );
    } catch (error) {
      fail(work, error);
      continue;
    }
    if ('errors' in result) {
      work.result = { status: 'failed', failure: fieldErrorsFailure(result.errors), context: failureContext(work) };
    } else if (result.action === 'skip') {
      if (opportunity?.IsDeleted === true) {
        // Reported once as a dead letter with the reason; later notifications are skipped (see above).
        work.operation = 'update the deleted opportunity';
        work.result = {
          status: 'failed',
          failure: new SyncFailure('park', result.reason, { code: 'OPPORTUNITY_DELETED' }),
          context: { ...failureContext(work), opportunity: null },
          syncState: [{ referralId: work.referralId, opportunityId: toId18(opportunity.Id!) ?? opportunity.Id!, opportunityDeleted: true }],
        };
      } else {
        skipped(work, { result: 'skipped', reason: result.reason }, work.leadId ? { syncState: [{ referralId: work.referralId, leadId: work.leadId }] } : {});
      }
    } else {
      work.plan = result;
      work.opportunityId = opportunity?.Id ? (toId18(opportunity.Id) ?? opportunity.Id) : null;
    }
  }
}

// ── Stage 3: write, in dependency order ────────────────────────────────────────────────────────────

const accountKey = (account: SObjectRecord) => `${normalizeName(account.Name)}|${normalizePostalCode(account.BillingPostalCode)}`;

async function writeAccounts(works: Work[], deps: SyncDeps): Promise<void> {
  const groups = new Map<string, { record: SObjectRecord; works: Work[] }>();
  for (const work of open(works).filter((w) => w.plan?.account)) {
    const account = work.plan!.account!;
    if (account.Id) {
      work.accountId = account.Id as string;
      continue;
    }
    const key = accountKey(account);
    const group = groups.get(key) ?? { record: account, works: [] };
    group.works.push(work);
    groups.set(key, group);
  }
  const list = [...groups.values()];
  const outcomes = await (async () => {
    for (const w of list.flatMap((g) => g.works)) w.operation = 'create the customer account';
    try {
      return await deps.salesforce.create('Account', list.map((g) => g.record), (r) => describeRecord('Account', r.Name, undefined));
    } catch (error) {
      for (const w of list.flatMap((g) => g.works)) fail(w, error);
      return [];
    }
  })();
  outcomes.forEach((outcome, i) => {
    for (const work of list[i].works) {
      if (outcome.error) fail(work, outcome.error);
      else work.accountId = outcome.id;
    }
  });
}

async function writeContacts(works: Work[], deps: SyncDeps): Promise<void> {
  const created = new Map<string, { record: SObjectRecord; works: Work[] }>();
  for (const work of open(works).filter((w) => w.plan)) {
    for (const contact of work.plan!.contacts) {
      if (contact.Id) continue;
      const key = normalizeEmail(contact.Email);
      const entry = created.get(key) ?? { record: { ...contact, AccountId: contact.AccountId ?? work.accountId ?? work.opportunity?.AccountId ?? undefined }, works: [] };
      entry.works.push(work);
      created.set(key, entry);
    }
  }
  const list = [...created.values()];
  const ids = new Map<string, string>();
  if (list.length > 0) {
    for (const w of list.flatMap((e) => e.works)) w.operation = 'create the customer contacts';
    let outcomes: SaveOutcome[] = [];
    try {
      outcomes = await deps.salesforce.create('Contact', list.map((e) => e.record), (r) => describeRecord('Contact', `${r.FirstName ?? ''} ${r.LastName ?? ''}`.trim(), r.Email));
    } catch (error) {
      for (const w of list.flatMap((e) => e.works)) {
        if (!w.result) fail(w, error);
      }
    }
    outcomes.forEach((outcome, i) => {
      if (!outcome.error) {
        ids.set(normalizeEmail(list[i].record.Email), outcome.id!);
        return;
      }
      for (const w of list[i].works) if (!w.result) fail(w, outcome.error);
    });
  }
  for (const work of open(works).filter((w) => w.plan)) {
    work.contactIds = work.plan!.contacts.map((c) => (c.Id as string | undefined) ?? ids.get(normalizeEmail(c.Email))).filter((id): id is string => Boolean(id));
  }
}

function report(work: Work, at: Date, requestId?: string): AttemptReport & { opportunity: OpportunityRef } {
  return {
    direction: 'inbound',
    opportunity: refOf(work)!,
    referralId: work.referralId,
    operation: work.plan!.action === 'create' ? 'create opportunity' : 'update opportunity',
    outcome: 'success',
    message: [work.plan!.reason, ...(work.plan!.notes ?? [])].join(' '),
    requestId,
    at,
  };
}

async function writeOpportunities(works: Work[], deps: SyncDeps, { settings }: SyncContext): Promise<void> {
  const at = new Date(deps.now());
  const withOutcome = (work: Work, fields: SObjectRecord, id: string | null): SObjectRecord => {
    const name = (fields.Name as string | undefined) ?? work.opportunity?.Name ?? null;
    const ref = { Id: id ?? 'new', Name: name, Partner_Center_Audit__c: work.opportunity?.Partner_Center_Audit__c ?? null };
    return { ...fields, ...successFields({ ...report(work, at), opportunity: ref }, settings) };
  };
  const creates = open(works).filter((w) => w.plan?.opportunity && w.plan.action === 'create' && !w.opportunityId);
  await save(
    creates,
    'create the opportunity',
    () =>
      deps.salesforce.upsert(
        'Opportunity',
        'Referral_Id__c',
        creates.map((w) => withOutcome(w, { ...w.plan!.opportunity!, ...(w.accountId ? { AccountId: w.accountId } : {}) }, null)),
        (r) => describeRecord('Opportunity', r.Name, undefined),
      ),
    (work, id) => {
      work.opportunityId = toId18(id) ?? id;
    },
  );
  const updates = open(works).filter((w) => w.plan?.opportunity && w.opportunityId && !creates.includes(w));
  await save(
    updates,
    'update the opportunity',
    () =>
      deps.salesforce.update(
        'Opportunity',
        updates.map((w) => withOutcome(w, { ...w.plan!.opportunity!, Id: w.opportunityId }, w.opportunityId!)),
        (r) => describeRecord('Opportunity', r.Name ?? updates.find((w) => w.opportunityId === r.Id)?.opportunity?.Name, r.Id),
      ),
    () => undefined,
  );
}

/** Contact roles, solutions and leads do not depend on each other: one /composite call writes them all. */
async function writeChildren(works: Work[], deps: SyncDeps): Promise<void> {
  const linked = open(works).filter((w) => w.plan && w.opportunityId);
  const roleRows: { work: Work; record: SObjectRecord }[] = [];
  const solutionRows: { work: Work; record: SObjectRecord }[] = [];
  for (const work of linked) {
    const hasRoles = subRecords(work.opportunity?.OpportunityContactRoles).length > 0;
    work.contactIds.forEach((contactId, i) => {
      roleRows.push({ work, record: { OpportunityId: work.opportunityId, ContactId: contactId, IsPrimary: !hasRoles && i === 0 } });
    });
    for (const solution of work.plan!.solutions) solutionRows.push({ work, record: { ...solution, Opportunity__c: work.opportunityId } });
  }
  const leads = open(works).filter((w) => w.plan?.lead);
  const writes = [
    {
      operation: 'add the customer contacts to the opportunity',
      works: roleRows.map((r) => r.work),
      spec: { operation: 'create' as const, type: 'OpportunityContactRole', records: roleRows.map((r) => r.record), label: (r: SObjectRecord) => `the contact role of ${String(r.ContactId)} on Opportunity ${String(r.OpportunityId)}` },
    },
    {
      operation: 'add the Microsoft solutions to the opportunity',
      works: solutionRows.map((r) => r.work),
      spec: { operation: 'create' as const, type: 'Microsoft_Solution__c', records: solutionRows.map((r) => r.record), label: (r: SObjectRecord) => describeRecord('Microsoft Solution', r.Solution_Name__c, r.Solution_Id__c) },
    },
    {
      operation: 'create the lead',
      works: leads,
      spec: { operation: 'create' as const, type: 'Lead', records: leads.map((w) => w.plan!.lead!), label: (r: SObjectRecord) => describeRecord('Lead', r.Company, undefined) },
      onSaved: (work: Work, id: string) => {
        work.leadId = id;
      },
    },
  ].filter((write) => write.works.length > 0);
  if (writes.length === 0) return;
  let outcomes: SaveOutcome[][];
  try {
    outcomes = await deps.salesforce.saveAll(writes.map((w) => w.spec));
  } catch (error) {
    for (const write of writes) {
      for (const work of write.works) {
        if (work.result) continue;
        work.operation = write.operation;
        fail(work, error);
      }
    }
    return;
  }
  writes.forEach((write, i) => apply(write.works, write.operation, outcomes[i], write.onSaved ?? (() => undefined)));
}

/** Re-reads what was written, so the stored baseline is exactly what Salesforce now holds (echo detection). */
async function finish(works: Work[], deps: SyncDeps, context: SyncContext): Promise<void> {
  const written = open(works).filter((w) => w.plan);
  const ids = [...new Set(written.map((w) => w.opportunityId).filter((id): id is string => Boolean(id)))];
  const after = new Map<string, OpportunityRecord>();
  try {
    for (const group of chunk(ids, IDS_PER_QUERY)) {
      for (const row of await deps.salesforce.query<OpportunityRecord>(buildOpportunityQuery(context.settings, { ids: group }, context.org, 2000), { what: 'the written opportunities' })) {
        after.set(toId18(row.Id!) ?? row.Id!, row);
      }
    }
  } catch (error) {
    // Written but not re-read: the next attempt finds everything in place and only records the baseline.
    for (const work of written) fail(work, error);
    return;
  }
  const at = new Date(deps.now());
  const reports: AttemptReport[] = [];
  const events: SObjectRecord[] = [];
  for (const work of open(written)) {
    const referral = work.referral!;
    const opportunity = work.opportunityId ? after.get(work.opportunityId) : undefined;
    const attempt = { ...report(work, at), opportunity: opportunity ? { Id: work.opportunityId!, Name: opportunity.Name } : null } as AttemptReport;
    if (attempt.opportunity || work.leadId) reports.push(attempt);
    if (work.opportunityId) events.push(statusEvent(work.opportunityId, 'Synced', attempt.message));
    done(
      work,
      { result: work.plan!.action === 'create' ? (work.leadId ? 'lead-created' : 'created') : 'updated', message: attempt.message, ...(work.opportunityId ? { opportunityId: work.opportunityId } : {}) },
      {
        syncState: [
          {
            referralId: work.referralId,
            ...(work.opportunityId ? { opportunityId: work.opportunityId } : {}),
            referral,
            eTag: referral.eTag ?? null,
            ...(opportunity
              ? {
                  baseline: nextBaseline(
                    { salesforce: fingerprintOutbound(opportunity, context.settings, context.org), partnerCenter: fingerprintInbound(referral) },
                    work.state?.baseline ?? undefined,
                    'partnerCenter',
                  ),
                }
              : {}),
            ...(work.leadId ? { leadId: work.leadId } : {}),
            opportunityDeleted: false,
            lastInboundAt: deps.now(),
          },
        ],
      },
    );
  }
  await deps.writer.record(reports, events);
}

export async function processInbound(items: WorkItem[], deps: SyncDeps): Promise<Map<number, ItemResult>> {
  const works: Work[] = items.map((item) => ({ item, referralId: String(item.payload.referralId), contactIds: [], operation: 'read the referral' }));
  const results = () => new Map(works.map((w) => [w.item.id, w.result!]));
  let context: SyncContext;
  try {
    context = await deps.context.get();
  } catch (error) {
    for (const work of works) fail(work, error);
    return results();
  }
  for (const work of works) work.state = await deps.store.getSyncState({ referralId: work.referralId });
  await loadReferrals(works, deps);
  for (const work of open(works)) reroute(work);
  // A failure of a batch-wide read fails the referrals still open, each with the same cause.
  const stage = async (operation: string, run: () => Promise<void>) => {
    if (open(works).length === 0) return;
    try {
      await run();
    } catch (error) {
      for (const work of open(works)) {
        work.operation = operation;
        fail(work, error);
      }
    }
  };
  let matches: Awaited<ReturnType<typeof loadMatches>> = { accounts: [], contactsByEmail: {} };
  await stage('look up the linked opportunity', () => loadOpportunities(works, deps, context));
  await stage('resolve connected referrals', () => resolveConnected(works, deps));
  await stage('look up matching accounts, contacts and leads', async () => {
    matches = await loadMatches(works, deps, context);
  });
  plan(works, context, matches, deps.logger);
  await stage('create the customer account', () => writeAccounts(works, deps));
  await stage('create the customer contacts', () => writeContacts(works, deps));
  await stage('write the opportunity', () => writeOpportunities(works, deps, context));
  await stage('add contacts, solutions and leads', () => writeChildren(works, deps));
  await stage('record the result', () => finish(works, deps, context));
  for (const work of works) {
    if (!work.result) fail(work, new SyncFailure('park', `Referral ${work.referralId} was left unprocessed; this is a connector defect.`));
  }
  return results();
}
