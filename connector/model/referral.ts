/**
 * The Partner Center Referrals API resource shapes, as documented (see shared/reference/partner-center-api.md).
 * Property names are the API's own (camelCase, including the misspelled `consentToToShareInfoWithOthers`).
 * The connector's shared model: the pure engine decides on it, the sync layer carries it, the Partner Center
 * client and the store's rows hold it. (The local emulator keeps its own reading of the same documented shapes.)
 */

export const REFERRAL_STATUSES = ['New', 'Active', 'Closed'] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

export const REFERRAL_SUBSTATUSES = ['Pending', 'Received', 'Accepted', 'Won', 'Lost', 'Declined', 'Expired'] as const;
export type ReferralSubstatus = (typeof REFERRAL_SUBSTATUSES)[number];

/** Which substatuses each status allows, and which statuses each status may move to. */
export const STATUS_RULES: Readonly<Record<ReferralStatus, { next: readonly ReferralStatus[]; substatuses: readonly ReferralSubstatus[] }>> = {
  New: { next: ['New', 'Active', 'Closed'], substatuses: ['Pending', 'Received'] },
  Active: { next: ['Active', 'Closed'], substatuses: ['Accepted'] },
  Closed: { next: ['Closed'], substatuses: ['Won', 'Lost', 'Declined', 'Expired'] },
};

export const REFERRAL_TYPES = ['Independent', 'Shared'] as const;
export type ReferralType = (typeof REFERRAL_TYPES)[number];

export const QUALIFICATIONS = ['None', 'Direct', 'MarketingQualified', 'SalesQualified'] as const;
export type Qualification = (typeof QUALIFICATIONS)[number];

export const SALES_STAGES = ['Qualify', 'Develop', 'Propose', 'Close'] as const;
export type SalesStage = (typeof SALES_STAGES)[number];

export const DIRECTIONS = ['Incoming', 'Outgoing'] as const;
export type Direction = (typeof DIRECTIONS)[number];

export const ASSISTANCE_REQUEST_CODES = [
  'Unknown',
  'GeneralOrOther',
  'CustomerTechnicalArchitecture',
  'ProofOfConceptOrDemo',
  'QuotesOrLicensing',
  'PostSalesCustomerSuccess',
  'WorkloadSpecificValueProposition',
] as const;
export type AssistanceRequestCode = (typeof ASSISTANCE_REQUEST_CODES)[number];

/** The four referral events a tenant registers one callback URL for (plus the self-test event). */
export const REFERRAL_WEBHOOK_EVENTS = [
  'referral-created',
  'referral-updated',
  'related-referral-created',
  'related-referral-updated',
] as const;
export type ReferralWebhookEvent = (typeof REFERRAL_WEBHOOK_EVENTS)[number] | 'test-created';

export interface Address {
  addressLine1?: string;
  addressLine2?: string;
  city?: string;
  state?: string;
  postalCode?: string;
  /** ISO 3166-1 alpha-2. */
  country?: string;
  region?: string;
}

export interface CustomerContact {
  firstName?: string;
  lastName?: string;
  email?: string;
  phoneNumber?: string;
  title?: string;
  contactPreference?: { locale?: string; disableNotifications?: boolean };
}

export interface CustomerProfile {
  name?: string;
  size?: string;
  address?: Address;
  team?: CustomerContact[];
  ids?: { profileType: 'Duns' | 'External'; id: string }[];
  isMatchingComplete?: boolean;
}

export interface Consent {
  consentToToShareInfoWithOthers?: boolean;
  consentToContact?: boolean;
  consentToShareReferralWithMicrosoftSellers?: boolean;
}

export interface ReferralSolution {
  id: string;
  name?: string;
  /** Co-sell solution ids look like SOL-34104-EBB; Microsoft catalog solutions use GUIDs with type "Name". */
  type?: string;
  publisherName?: string;
  [extra: string]: unknown;
}

export interface Requirements {
  industries?: { id: string }[];
  products?: { id: string }[];
  services?: { id: string }[];
  solutions?: ReferralSolution[];
  offers?: unknown[];
  salesPlays?: unknown[];
}

export interface ReferralDetails {
  notes?: string;
  dealValue?: number;
  /** ISO 4217. */
  currency?: string;
  /** UTC ISO-8601 date-time. */
  closingDateTime?: string;
  customerRequestedContact?: boolean;
  customerAction?: string;
  incentiveLevel?: string;
  requirements?: Requirements;
}

export interface InviteContext {
  notes?: string;
  invitedBy?: { organizationId?: string; organizationName?: string };
  invitedMpnId?: string;
  assistanceRequestCode?: AssistanceRequestCode;
}

export interface TeamMember {
  firstName?: string;
  lastName?: string;
  email?: string;
  phoneNumber?: string;
  [extra: string]: unknown;
}

export interface Referral {
  id?: string;
  engagementId?: string;
  organizationId?: string;
  organizationName?: string;
  name?: string;
  externalReferenceId?: string;
  createdDateTime?: string;
  updatedDateTime?: string;
  expirationDateTime?: string;
  acceptedDateTime?: string;
  closedDateTime?: string;
  status?: ReferralStatus;
  substatus?: ReferralSubstatus;
  statusReason?: string;
  qualification?: Qualification;
  type?: ReferralType;
  direction?: Direction;
  salesStage?: SalesStage;
  eTag?: string;
  target?: { type: string; id: string }[];
  customerProfile?: CustomerProfile;
  consent?: Consent;
  details?: ReferralDetails;
  team?: TeamMember[];
  inviteContext?: InviteContext;
  trackingInfo?: { microsoftMsxId?: string; [extra: string]: unknown };
  registrations?: unknown[];
  links?: Record<string, { uri?: string; method?: string } | undefined>;
  callToAction?: string;
  referralSource?: string;
  tags?: string[];
  partnerRole?: string;
  solutionArea?: string;
  solutionPlay?: string;
}

/** RFC 6902 operations Partner Center accepts on PATCH /referrals/{id}: only `replace` and `add`. */
export type ReferralPatchOperation =
  | { op: 'replace'; path: string; value: unknown }
  | { op: 'add'; path: string; value: unknown };

/** Body Partner Center POSTs to a registered webhook callback. */
export interface WebhookNotification {
  EventName: ReferralWebhookEvent;
  ResourceUri: string;
  ResourceName?: string;
  AuditUri?: string | null;
  ResourceChangeUtcDate: string;
}

export interface WebhookRegistration {
  WebhookUrl: string;
  /** The tenant's one registration: our referral events and any other tool's (e.g. subscription-updated). */
  WebhookEvents: string[];
}

/**
 * GET /referrals response ("Get a list of referrals"): OData collection; follow `@odata.nextLink` (it carries a
 * `$skiptoken`) for the next page.
 */
export interface ReferralListPage {
  '@odata.context'?: string;
  '@odata.count'?: number;
  value: Referral[];
  '@odata.nextLink'?: string;
}
