/**
 * Opportunity → Partner Center. Without a current referral the result is the create-referral body (mirroring
 * Microsoft's documented sample: qualification, Outgoing direction, customer profile with an ISO country, customer
 * contacts, consent, details with requirements.solutions); with one it is the smallest JSON Patch that brings the
 * referral in line with what Salesforce owns, plus the eTag to send as If-Match.
 *
 * Deal kinds: private (no help, not visible) → Independent without consent to share; partner-led (no help,
 * visible) → Independent with consent; co-sell (help chosen) → Shared, consent, inviteContext.assistanceRequestCode.
 * A co-sell deal is then shared the way "Create a referral" → "Create a shared referral" documents it
 * (https://learn.microsoft.com/partner-center/developer/create-a-referral): the partner's own referral targets its
 * solution profile, and a second, connected referral for Microsoft carries the first one's engagementId and the
 * target BusinessProfileLocation/msft (`connectedReferralBody`; sync/co-sell-share.ts makes that call). An
 * opportunity already closed when first synced is created open: calling mapOutbound again with the created
 * referral returns the patch that closes it.
 */
import type { Referral, ReferralPatchOperation } from '../model/referral.js';
import {
  dealFieldsFromOpportunity,
  dealFieldsFromReferral,
  sameField,
  type DealFields,
  type SyncField,
} from './deal-fields.js';
import { describeRecord, InputError, type FieldError } from './field-errors.js';
import { fingerprintFields, isEcho, type SyncBaseline } from './fingerprint.js';
import { ALL_CHECKS, validateOutbound, type OutboundCheck } from './outbound-validation.js';
import { dealPhase, resolveField } from './ownership.js';
import { PatchBuilder } from './referral-patch.js';
import { text, type OpportunityRecord, type OrgContext } from './salesforce-records.js';
import type { Settings } from './org-settings.js';
import { decideOutboundStatus, type OutboundEvent } from './state-machine.js';

/** Who a co-sell referral is shared with: Microsoft (documented connected-referral target). */
export const MICROSOFT_TARGET = Object.freeze({ type: 'BusinessProfileLocation', id: 'msft' });

export const isMicrosoftTarget = (target: { type?: string; id?: string } | undefined): boolean =>
  target?.type === MICROSOFT_TARGET.type && target.id === MICROSOFT_TARGET.id;

/** The referral Partner Center made "for Microsoft" in a co-sell engagement (its target is Microsoft). */
export const isReferralForMicrosoft = (referral: Pick<Referral, 'target'>): boolean => (referral.target ?? []).some(isMicrosoftTarget);

/**
 * "Create your referral": the documented ReferralTarget sample for the partner's own shared referral is its
 * solution profile (`{ "type": "SolutionProfile", "id": "SOL-ABC-DEF" }`); co-sell ready solutions carry such ids.
 * The private-deal sample sends `"target": []`.
 */
function solutionProfileTargets(solutions: DealFields['solutions']): { type: string; id: string }[] {
  return solutions.filter((s) => /^SOL-/i.test(s.id)).map((s) => ({ type: 'SolutionProfile', id: s.id }));
}

/**
 * "Create a connected referral": another referral for Microsoft, including the engagementId of the partner's
 * referral "so they are tied together", with the target BusinessProfileLocation/msft. It describes the same deal,
 * so it carries the partner referral's own content.
 */
export function connectedReferralBody(own: Referral): Referral {
  if (!own.engagementId) throw new InputError('The partner referral has no engagementId; read it from Partner Center before connecting Microsoft.');
  const body: Referral = {
    name: own.name,
    engagementId: own.engagementId,
    ...(own.externalReferenceId ? { externalReferenceId: own.externalReferenceId } : {}),
    type: 'Shared',
    qualification: own.qualification,
    customerProfile: own.customerProfile,
    consent: own.consent,
    details: own.details,
    ...(own.team ? { team: own.team } : {}),
    ...(own.inviteContext ? { inviteContext: own.inviteContext } : {}),
    target: [{ ...MICROSOFT_TARGET }],
  };
  return JSON.parse(JSON.stringify(body)) as Referral;
}

export type OutboundResult =
  | { operation: 'create'; referral: Referral }
  | {
      operation: 'update';
      referralId: string;
      /** The referral's eTag; the client sends it as If-Match so a concurrent change fails with 412. */
      ifMatch?: string;
      patch: ReferralPatchOperation[];
      /** Sync fields the patch changes, for the audit line. */
      fields: SyncField[];
      event?: OutboundEvent;
    }
  | { operation: 'none'; reason: string }
  | { errors: FieldError[] };

export interface OutboundOptions {
  /** Fingerprints stored after the last successful sync: enables echo detection and the conflict rules. */
  lastSynced?: SyncBaseline;
  org?: OrgContext;
}

/** Sync fields a patch may carry, in patch order. Customer is create-only; status goes through the state machine. */
const PATCHABLE: readonly SyncField[] = ['name', 'dealValue', 'currency', 'closeDate', 'notes', 'customerContacts', 'solutions', 'help', 'visibility'];

const CHECKS_FOR: Readonly<Partial<Record<SyncField, OutboundCheck[]>>> = {
  name: ['name'],
  dealValue: ['dealValue'],
  currency: ['currency'],
  closeDate: ['closeDate'],
  customerContacts: ['contacts'],
  solutions: ['solutions'],
  help: ['help', 'contacts', 'solutions'],
  visibility: ['solutions'],
};

function closingDateTime(day: string): string {
  return `${day}T00:00:00Z`;
}

function none(reason: string): OutboundResult {
  return { operation: 'none', reason };
}

export function mapOutbound(opportunity: OpportunityRecord, settings: Settings, current?: Referral, options: OutboundOptions = {}): OutboundResult {
  if (opportunity.Sync_With_Partner_Center__c !== true) return none('Sync with Partner Center is off for this opportunity.');
  if (!text(opportunity.Id)) throw new InputError('The opportunity record has no Id; query it with opportunity-query.ts.');
  if (!current) {
    const linked = text(opportunity.Referral_Id__c);
    if (linked) throw new InputError(`Opportunity ${opportunity.Id} is already linked to referral ${linked}; pass that referral as the current one to compute an update.`);
    return createReferral(opportunity, settings, options.org);
  }
  return updateReferral(opportunity, settings, current, options);
}

function createReferral(opportunity: OpportunityRecord, settings: Settings, org?: OrgContext): OutboundResult {
  const fields = dealFieldsFromOpportunity(opportunity, settings, org);
  const errors = validateOutbound(opportunity, settings, fields, ALL_CHECKS, org);
  if (errors.length > 0) return { errors };
  const coSell = fields.help !== null;
  const owner = opportunity.Owner;
  const seller = owner ? Object.fromEntries(Object.entries({ firstName: text(owner.FirstName), lastName: text(owner.LastName), email: text(owner.Email), phoneNumber: text(owner.Phone) }).filter(([, v]) => v !== null)) : {};
  const referral: Referral = {
    name: fields.name ?? '',
    externalReferenceId: opportunity.Id,
    type: coSell ? 'Shared' : 'Independent',
    qualification: 'SalesQualified',
    direction: 'Outgoing',
    customerProfile: { name: fields.customer.name ?? '', address: fields.customer.address, team: fields.customerContacts },
    consent: { consentToShareReferralWithMicrosoftSellers: fields.visibility },
    details: {
      ...(fields.notes !== null ? { notes: fields.notes } : {}),
      dealValue: fields.dealValue ?? 0,
      currency: fields.currency ?? '',
      closingDateTime: closingDateTime(fields.closeDate ?? ''),
      requirements: { solutions: fields.solutions },
    },
    ...(Object.keys(seller).length > 0 ? { team: [seller] } : {}),
    target: coSell ? solutionProfileTargets(fields.solutions) : [],
    ...(coSell && fields.help ? { inviteContext: { assistanceRequestCode: fields.help } } : {}),
  };
  return { operation: 'create', referral };
}

function updateReferral(opportunity: OpportunityRecord, settings: Settings, current: Referral, options: OutboundOptions): OutboundResult {
  const referralId = text(current.id);
  if (!referralId) throw new InputError('The current referral has no id; pass the referral as GET /referrals/{id} returns it.');
  const decision = decideOutboundStatus(opportunity, current, settings);
  if (decision.kind === 'error') return { errors: [decision.error] };
  if (decision.kind === 'onHold') return none(decision.reason);
  if (current.status === 'Closed') {
    return none(`The referral is closed in Partner Center (${current.status} - ${current.substatus ?? ''}); later edits are not sent.`);
  }

  const sf = dealFieldsFromOpportunity(opportunity, settings, options.org);
  const pc = dealFieldsFromReferral(current);
  const sfPrint = fingerprintFields(sf);
  const pcPrint = fingerprintFields(pc);
  const { lastSynced } = options;
  const phase = dealPhase(current);
  // An echo (nothing a person changed in Salesforce) sends no field; a stage move still goes through above.
  const echo = isEcho(sfPrint, lastSynced?.salesforce);
  const fields = echo
    ? []
    : PATCHABLE.filter((field) => {
        if (sameField(field, sf, pc)) return false;
        const resolution = resolveField(field, phase, {
          salesforceChanged: lastSynced ? sfPrint[field] !== lastSynced.salesforce[field] : true,
          partnerCenterChanged: lastSynced ? pcPrint[field] !== lastSynced.partnerCenter[field] : true,
          salesforceModifiedAt: opportunity.LastModifiedDate,
          partnerCenterModifiedAt: current.updatedDateTime,
        });
        return resolution.winner === 'salesforce';
      });

  const checks = new Set(fields.flatMap((field) => CHECKS_FOR[field] ?? []));
  const errors = [...validateOutbound(opportunity, settings, sf, checks, options.org), ...irreversibleChanges(opportunity, sf, pc, current, fields)];
  if (errors.length > 0) return { errors };

  const patch = new PatchBuilder(current);
  for (const field of fields) addFieldOps(patch, field, sf, current);
  if (!text(current.externalReferenceId)) patch.set('/externalReferenceId', opportunity.Id);
  // Status last: a referral that this patch closes has already taken the final values above.
  if (decision.kind === 'transition') {
    patch.set('/status', decision.to.status).set('/substatus', decision.to.substatus);
    if (decision.statusReason) patch.set('/statusReason', decision.statusReason);
  }

  if (patch.ops.length === 0) return none(echo ? 'No synced field changed in Salesforce since the last sync.' : 'The referral already matches the opportunity.');
  return {
    operation: 'update',
    referralId,
    ...(current.eTag ? { ifMatch: current.eTag } : {}),
    patch: patch.ops,
    fields: [...(decision.kind === 'transition' ? (['status'] as SyncField[]) : []), ...fields],
    ...(decision.kind === 'transition' ? { event: decision.event } : {}),
  };
}

/** Sharing with Microsoft cannot be undone in Partner Center; say so instead of silently ignoring the edit. */
function irreversibleChanges(opportunity: OpportunityRecord, sf: DealFields, pc: DealFields, current: Referral, fields: SyncField[]): FieldError[] {
  const who = describeRecord('Opportunity', sf.name, opportunity.Id);
  const errors: FieldError[] = [];
  if (fields.includes('help') && sf.help === null && current.type === 'Shared') {
    errors.push({
      field: 'Opportunity.Microsoft_Help__c',
      message: `${who} is already a co-sell request shared with Microsoft (help: ${pc.help ?? 'requested'}); help can be changed but not removed — choose an option in How can Microsoft help? again.`,
      reason: { code: 'HELP_CANNOT_BE_REMOVED', field: 'Opportunity.Microsoft_Help__c' },
    });
  }
  if (fields.includes('visibility') && !sf.visibility && pc.visibility) {
    errors.push({
      field: 'Opportunity.Visible_To_Microsoft_Sellers__c',
      message: `${who} is already shared with Microsoft sellers and sharing cannot be withdrawn — tick Visible To Microsoft Sellers again.`,
      reason: { code: 'SHARING_CANNOT_BE_WITHDRAWN', field: 'Opportunity.Visible_To_Microsoft_Sellers__c' },
    });
  }
  return errors;
}

function addFieldOps(patch: PatchBuilder, field: SyncField, sf: DealFields, current: Referral): void {
  switch (field) {
    case 'name':
      patch.set('/name', sf.name);
      return;
    case 'dealValue':
      patch.set('/details/dealValue', sf.dealValue);
      return;
    case 'currency':
      patch.set('/details/currency', sf.currency);
      return;
    case 'closeDate':
      patch.set('/details/closingDateTime', closingDateTime(sf.closeDate ?? ''));
      return;
    case 'notes':
      patch.set('/details/notes', sf.notes ?? '');
      return;
    case 'customerContacts':
      patch.set('/customerProfile/team', sf.customerContacts);
      return;
    case 'solutions':
      patch.set('/details/requirements/solutions', sf.solutions);
      return;
    case 'help':
      if (sf.help === null) return;
      patch.set('/inviteContext/assistanceRequestCode', sf.help);
      // A private or partner-led deal becoming co-sell ("A non-co-sell referral can be converted to a co-sell
      // referral anytime by selecting the appropriate help-required option", co-sell connector guide): share it;
      // the connected referral for Microsoft follows as a second call (sync/co-sell-share.ts).
      if (current.type !== 'Shared') patch.set('/type', 'Shared');
      if (!current.consent?.consentToShareReferralWithMicrosoftSellers) patch.set('/consent/consentToShareReferralWithMicrosoftSellers', true);
      return;
    case 'visibility':
      if (sf.visibility) patch.set('/consent/consentToShareReferralWithMicrosoftSellers', true);
      return;
    default:
      return;
  }
}
