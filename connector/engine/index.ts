/** The sync engine's public surface: pure functions over Salesforce records and Partner Center referrals. */
export { DEFAULT_SETTINGS, parseSettings, settingsFromRecord, SettingsError, SETTINGS_RECORD_FIELDS, type Settings } from './org-settings.js';
export { buildOpportunityQuery, opportunityFieldList, type OpportunityFilter } from './opportunity-query.js';
export { buildAccountCandidatesQuery, buildContactsByEmailQuery } from './match-queries.js';
export { mapOutbound, MICROSOFT_TARGET, type OutboundOptions, type OutboundResult } from './outbound.js';
export { mapInbound, type InboundExisting, type InboundOptions, type InboundPlan, type InboundResult, type SalesforceFields } from './inbound.js';
export {
  decideInboundStage,
  decideOutboundStatus,
  formatReferralStatus,
  isAllowedTransition,
  stageKind,
  type InboundEvent,
  type OutboundEvent,
  type StatusPair,
} from './state-machine.js';
export { dealPhase, OWNERSHIP, ownerOf, resolveField, type DealPhase, type Owner, type Side } from './ownership.js';
export { changedFields, fingerprintInbound, fingerprintOutbound, isEcho, type Fingerprint, type SyncBaseline } from './fingerprint.js';
export {
  AUDIT_MAX_LENGTH,
  formatAuditLine,
  prependAuditLine,
  stripStatusMark,
  syncOutcomeFields,
  withStatusMark,
  type AuditEntry,
  type SyncOutcome,
} from './audit.js';
export { classifyReferral, type ReferralKind } from './referral-kind.js';
export { matchAccount, matchContact } from './record-matching.js';
export { referralPortalLink } from './portal-link.js';
export { toCountryCode } from './country-code.js';
export { toCurrencyCode } from './currency-code.js';
export { SYNC_FIELDS, type SyncField } from './deal-fields.js';
export { InputError, type FieldError } from './field-errors.js';
export { FAILURE_REASON_CODES, reasonParameters, type FailureReason, type FailureReasonCode } from './failure-reasons.js';
export type { OpportunityRecord, AccountRecord, ContactRecord, OrgContext, SyncStatus } from './salesforce-records.js';
