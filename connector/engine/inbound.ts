/**
 * Partner Center → Salesforce. Turns a referral (as GET /referrals/{id} returns it) into the records to write,
 * keyed by Salesforce field API names:
 * - a referral shared with us and not yet in Salesforce → create an Opportunity (sync on, in the stage its status
 *   asks for: on hold while New), with its Account matched by company name + postal code or created, contacts
 *   matched by email or created (the first is the primary contact role) and Microsoft_Solution__c rows;
 * - a referral already linked to an opportunity → update only the fields Partner Center owns or won (ownership.ts);
 *   an absent Partner Center value never blanks a Salesforce field;
 * - marketplace leads → a Lead when "Sync co-sell opportunities only" is off, else skipped. Lead has no custom field
 *   in the package: the referral id goes in Description and LeadSource is "Partner Referral" (a value of the
 *   standard LeadSource set: a package cannot add values to a standard picklist);
 * - a referral whose opportunity was deleted → skipped with a reason to report, never recreated.
 *
 * Records without `Id` are to be inserted; `{ Id }` entries are existing records to link. The connector fills
 * AccountId/Opportunity__c for records it inserts in the same run, and adds the sync outcome fields (audit.ts).
 */
import type { Referral } from '../model/referral.js';
import { dealFieldsFromOpportunity, dealFieldsFromReferral, sameField, utcDay, type DealFields, type SyncField } from './deal-fields.js';
import { describeRecord, InputError, type FieldError } from './field-errors.js';
import { fieldOf } from './field-paths.js';
import { fingerprintInbound, fingerprintOutbound, isEcho, type SyncBaseline } from './fingerprint.js';
import { HELP_OPTIONS } from './outbound-validation.js';
import { dealPhase, resolveField } from './ownership.js';
import { referralPortalLink } from './portal-link.js';
import { classifyReferral } from './referral-kind.js';
import { matchAccount, matchContact, normalizeEmail } from './record-matching.js';
import {
  currencyFieldUnavailable,
  subRecords,
  text,
  type AccountRecord,
  type ContactRecord,
  type OpportunityRecord,
  type OrgContext,
} from './salesforce-records.js';
import type { Settings } from './org-settings.js';
import { decideInboundStage, formatReferralStatus, type InboundEvent } from './state-machine.js';

export type SalesforceFields = Record<string, unknown>;

export interface InboundPlan {
  action: 'create' | 'update' | 'skip';
  reason: string;
  opportunity: SalesforceFields | null;
  account: SalesforceFields | null;
  /** Customer contacts; on create the first one is the primary contact role. */
  contacts: SalesforceFields[];
  solutions: SalesforceFields[];
  lead: SalesforceFields | null;
  event?: InboundEvent;
  /** Things worth a line in the audit trail that did not stop the sync (e.g. a kept closed stage). */
  notes?: string[];
}

export type InboundResult = InboundPlan | { errors: FieldError[] };

export interface InboundExisting {
  /** The opportunity linked to the referral (by Referral_Id__c or externalReferenceId), queried with queryAll. */
  opportunity?: OpportunityRecord | null;
  /** Accounts that may be the customer (match-queries.ts). */
  accountMatches?: AccountRecord[];
  /** Existing contacts keyed by email. */
  contactsByEmail?: Record<string, ContactRecord>;
  lastSynced?: SyncBaseline;
  /** The Lead an earlier sync created for this referral, as the connector's store remembers it. */
  leadId?: string | null;
}

export interface InboundOptions {
  org?: OrgContext;
}

const EMPTY: Omit<InboundPlan, 'action' | 'reason'> = { opportunity: null, account: null, contacts: [], solutions: [], lead: null };

function skip(reason: string): InboundPlan {
  return { action: 'skip', reason, ...EMPTY };
}

function compact(fields: SalesforceFields): SalesforceFields {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== null && v !== undefined && v !== ''));
}

export function mapInbound(referral: Referral, settings: Settings, existing: InboundExisting = {}, options: InboundOptions = {}): InboundResult {
  const referralId = text(referral.id);
  if (!referralId) throw new InputError('The referral has no id; pass the referral as GET /referrals/{id} returns it.');
  const who = describeRecord('Referral', referral.name, referralId);
  const opportunity = existing.opportunity ?? null;

  if (opportunity?.IsDeleted === true) {
    return skip(
      `${who} belongs to ${describeRecord('Opportunity', opportunity.Name, opportunity.Id)}, which was deleted in Salesforce; it is not recreated — restore the opportunity from the Recycle Bin to sync it again.`,
    );
  }
  if (opportunity) return updateOpportunity(referral, settings, opportunity, existing, options.org);

  const kind = classifyReferral(referral);
  if (kind !== 'coSell') return leadFor(referral, settings, existing, kind === 'marketplaceLead' ? 'Marketplace lead' : 'Qualified lead');
  if (referral.direction === 'Outgoing') {
    const opportunityId = text(referral.externalReferenceId);
    return skip(
      opportunityId
        ? `${who} was created from Opportunity ${opportunityId}, which was not found in Salesforce (deleted?); it is not recreated.`
        : `${who} was created by your organisation in the Partner Center portal, not from Salesforce; only referrals shared with you are imported.`,
    );
  }
  return createOpportunity(referral, settings, existing, options.org);
}

function leadFor(referral: Referral, settings: Settings, existing: InboundExisting, label: string): InboundPlan {
  const who = describeRecord('Referral', referral.name, referral.id);
  if (settings.syncCoSellOnly) {
    return skip(`${label} ${who} is not imported because "Sync co-sell opportunities only" is on — turn it off in Partner Center setup to receive leads as Salesforce Leads.`);
  }
  if (text(existing.leadId)) return skip(`${label} ${who} was already imported as Lead ${existing.leadId}.`);
  const pc = dealFieldsFromReferral(referral);
  const contact = pc.customerContacts[0] ?? {};
  const company = pc.customer.name ?? pc.name ?? referral.id;
  const source = text(referral.referralSource);
  const description = [`Partner Center referral ${referral.id}${source ? ` (${source})` : ''}`, pc.notes].filter((l) => l).join('\n\n');
  return {
    action: 'create',
    reason: `${label} ${who} becomes a Lead.`,
    ...EMPTY,
    lead: compact({
      FirstName: contact.firstName,
      LastName: contact.lastName ?? contact.email ?? company,
      Company: company,
      Email: contact.email,
      Phone: contact.phoneNumber,
      Title: contact.title,
      Street: [pc.customer.address.addressLine1, pc.customer.address.addressLine2].filter((l) => l).join('\n'),
      City: pc.customer.address.city,
      PostalCode: pc.customer.address.postalCode,
      Country: pc.customer.address.country,
      Description: description,
      LeadSource: LEAD_SOURCE,
    }),
  };
}

/** A value every org's standard LeadSource picklist ships with. */
export const LEAD_SOURCE = 'Partner Referral';

/** Opportunity fields carrying the referral's own values (deal value and currency go to the configured fields). */
function valueFields(pc: DealFields, settings: Settings, org: OrgContext | undefined, wanted: (field: SyncField) => boolean): SalesforceFields {
  const fields: SalesforceFields = {};
  if (wanted('name') && pc.name !== null) fields.Name = pc.name;
  if (wanted('dealValue') && pc.dealValue !== null) fields[fieldOf(settings.dealValueField, 'Opportunity')] = pc.dealValue;
  if (wanted('currency') && pc.currency !== null && !currencyFieldUnavailable(settings.currencyField, org)) {
    fields[fieldOf(settings.currencyField, 'Opportunity')] = pc.currency;
  }
  if (wanted('closeDate') && pc.closeDate !== null) fields.CloseDate = pc.closeDate;
  if (wanted('notes') && pc.notes !== null) fields.Description = pc.notes;
  if (wanted('help') && pc.help !== null && (HELP_OPTIONS as readonly string[]).includes(pc.help)) fields.Microsoft_Help__c = pc.help;
  // Sharing with Microsoft sellers is one-way (a validation rule stops it going back to false).
  if (wanted('visibility') && pc.visibility) fields.Visible_To_Microsoft_Sellers__c = true;
  if (wanted('microsoftCrmId') && pc.microsoftCrmId !== null) fields.Microsoft_CRM_Id__c = pc.microsoftCrmId;
  return fields;
}

function contactFields(pc: DealFields, existing: InboundExisting, skipEmails: Set<string>, accountId: string | null): SalesforceFields[] {
  const contacts: SalesforceFields[] = [];
  const seen = new Set(skipEmails);
  for (const contact of pc.customerContacts) {
    const email = normalizeEmail(contact.email);
    if (email === '' || seen.has(email)) continue;
    seen.add(email);
    const match = matchContact(existing.contactsByEmail ?? {}, email);
    contacts.push(
      match?.Id
        ? { Id: match.Id, Email: match.Email ?? contact.email }
        : compact({
            FirstName: contact.firstName,
            LastName: contact.lastName ?? contact.email,
            Email: contact.email,
            Phone: contact.phoneNumber,
            Title: contact.title,
            AccountId: accountId,
          }),
    );
  }
  return contacts;
}

function solutionFields(pc: DealFields, skipIds: Set<string>, opportunityId: string | null): SalesforceFields[] {
  const rows: SalesforceFields[] = [];
  const seen = new Set(skipIds);
  for (const solution of pc.solutions) {
    const key = solution.id.trim().toUpperCase();
    if (seen.has(key)) continue;
    seen.add(key);
    rows.push(
      compact({
        Opportunity__c: opportunityId,
        Solution_Id__c: solution.id.trim(),
        Solution_Name__c: text(solution.name),
        Publisher_Name__c: text(solution.publisherName),
      }),
    );
  }
  return rows;
}

function createOpportunity(referral: Referral, settings: Settings, existing: InboundExisting, org: OrgContext | undefined): InboundResult {
  const who = describeRecord('Referral', referral.name, referral.id);
  const stage = decideInboundStage(referral, undefined, settings);
  if (stage.kind === 'error') return { errors: [stage.error] };
  if (stage.kind !== 'stage') throw new InputError('A new opportunity always gets a stage.');

  const pc = dealFieldsFromReferral(referral);
  const closeDate = pc.closeDate ?? utcDay(referral.expirationDateTime) ?? utcDay(referral.createdDateTime);
  if (closeDate === null) {
    const message = `${who} has no closing, expiration or creation date, and an opportunity needs a Close Date — add a closing date to the referral in Partner Center.`;
    return { errors: [{ field: 'Opportunity.CloseDate', message, reason: { code: 'REFERRAL_CLOSE_DATE_MISSING', field: 'Opportunity.CloseDate' } }] };
  }

  const address = pc.customer.address;
  // Collapse the stray double spaces Partner Center keeps, so the new Account reads like one typed in Salesforce.
  const customerName = (pc.customer.name ?? pc.name ?? referral.id ?? '').replace(/\s+/g, ' ');
  const matched = matchAccount(existing.accountMatches ?? [], customerName, address.postalCode);
  const account: SalesforceFields = matched?.Id
    ? { Id: matched.Id }
    : compact({
        Name: customerName,
        BillingStreet: [address.addressLine1, address.addressLine2].filter((l) => l).join('\n'),
        BillingCity: address.city,
        BillingState: address.state,
        BillingPostalCode: address.postalCode,
        [fieldOf(settings.countryCodeField, 'Account')]: address.country,
      });

  const opportunity = compact({
    ...valueFields(pc, settings, org, () => true),
    Name: pc.name ?? `${customerName} (Partner Center)`,
    CloseDate: closeDate,
    StageName: stage.stageName,
    AccountId: matched?.Id,
    Sync_With_Partner_Center__c: true,
    Referral_Id__c: referral.id,
    Referral_Link__c: referralPortalLink(referral),
    Partner_Center_Status__c: formatReferralStatus(referral),
  });

  const from = referral.inviteContext?.invitedBy?.organizationName;
  return {
    action: 'create',
    reason: `${who}${from ? ` shared by ${from}` : ''} becomes a new opportunity in stage "${stage.stageName}"; account ${matched?.Id ? `matched to ${describeRecord('Account', matched.Name, matched.Id)}` : `"${customerName}" created`}.`,
    opportunity,
    account,
    contacts: contactFields(pc, existing, new Set(), matched?.Id ?? null),
    solutions: solutionFields(pc, new Set(), null),
    lead: null,
    event: stage.event,
  };
}

function updateOpportunity(
  referral: Referral,
  settings: Settings,
  opportunity: OpportunityRecord,
  existing: InboundExisting,
  org: OrgContext | undefined,
): InboundResult {
  const who = describeRecord('Referral', referral.name, referral.id);
  const { lastSynced } = existing;
  const pcPrint = fingerprintInbound(referral);
  if (isEcho(pcPrint, lastSynced?.partnerCenter)) {
    return skip(`${who}: no synced field changed in Partner Center since the last sync.`);
  }

  const sf = dealFieldsFromOpportunity(opportunity, settings, org);
  const pc = dealFieldsFromReferral(referral);
  const sfPrint = fingerprintOutbound(opportunity, settings, org);
  const phase = dealPhase(referral);
  // No baseline, and nobody but its creator — the connector's own create from this incoming referral, cut off
  // before it was recorded — has modified the opportunity: nothing changed in Salesforce. Otherwise that create
  // (newer than any Microsoft edit) would count as the last write and outvote Partner Center's values.
  const createdOnly =
    !lastSynced && referral.direction === 'Incoming' && text(opportunity.CreatedById) !== null && text(opportunity.CreatedById) === text(opportunity.LastModifiedById);
  const wins = (field: SyncField): boolean =>
    !sameField(field, sf, pc) &&
    resolveField(field, phase, {
      salesforceChanged: lastSynced ? sfPrint[field] !== lastSynced.salesforce[field] : !createdOnly,
      partnerCenterChanged: lastSynced ? pcPrint[field] !== lastSynced.partnerCenter[field] : true,
      salesforceModifiedAt: opportunity.LastModifiedDate,
      partnerCenterModifiedAt: referral.updatedDateTime,
    }).winner === 'partnerCenter';

  const changes: SalesforceFields = valueFields(pc, settings, org, wins);
  const notes: string[] = [];
  const stage = decideInboundStage(referral, opportunity, settings);
  if (stage.kind === 'error') return { errors: [stage.error] };
  if (stage.kind === 'stage') changes.StageName = stage.stageName;
  if (stage.kind === 'unchanged' && stage.note) notes.push(stage.note);

  const status = formatReferralStatus(referral);
  if (status !== null && status !== (opportunity.Partner_Center_Status__c ?? null)) changes.Partner_Center_Status__c = status;
  if (text(opportunity.Referral_Id__c) !== referral.id) changes.Referral_Id__c = referral.id;
  const link = referralPortalLink(referral);
  if (link !== null && text(opportunity.Referral_Link__c) === null) changes.Referral_Link__c = link;

  const roleEmails = new Set(subRecords(opportunity.OpportunityContactRoles).map((r) => normalizeEmail(r.Contact?.Email)).filter((e) => e !== ''));
  // No baseline on an incoming deal: the connector's own create of this opportunity stopped before it was recorded
  // (or the store is new). Adding Partner Center's missing contacts and solutions then completes the create and
  // loses nothing a seller did: rows are only added, never removed.
  const completes = (field: SyncField) => !lastSynced && referral.direction === 'Incoming' && !sameField(field, sf, pc);
  const contacts = wins('customerContacts') || completes('customerContacts') ? contactFields(pc, existing, roleEmails, text(opportunity.AccountId)) : [];
  const solutionIds = new Set(subRecords(opportunity.Microsoft_Solutions__r).map((s) => (s.Solution_Id__c ?? '').trim().toUpperCase()));
  const solutions = wins('solutions') || completes('solutions') ? solutionFields(pc, solutionIds, text(opportunity.Id)) : [];

  if (Object.keys(changes).length === 0 && contacts.length === 0 && solutions.length === 0) {
    return { ...skip(`${who}: the opportunity already has everything Partner Center may change.`), ...(notes.length > 0 ? { notes } : {}) };
  }
  const changed = [...Object.keys(changes), ...(contacts.length > 0 ? ['contacts'] : []), ...(solutions.length > 0 ? ['solutions'] : [])];
  return {
    action: 'update',
    reason: `${who} changed in Partner Center: ${changed.join(', ')}.`,
    opportunity: { Id: opportunity.Id, ...changes },
    account: null,
    contacts,
    solutions,
    lead: null,
    ...(stage.kind === 'stage' ? { event: stage.event } : {}),
    ...(notes.length > 0 ? { notes } : {}),
  };
}
