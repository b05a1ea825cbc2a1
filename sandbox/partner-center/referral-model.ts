/**
 * The Partner Center referral resource as the emulator reads Microsoft's documentation — written from the docs,
 * not from the connector, so a mistake in one cannot hide in the other (the emulator imports nothing from
 * `connector/`; eslint.config.js enforces it). Each value cites the page it comes from:
 *
 * - [resources] "Referral resources": https://learn.microsoft.com/partner-center/developer/referral-resources
 *   (MicrosoftDocs/partner-rest develop/referral-resources.md)
 * - [create] "Create a referral": https://learn.microsoft.com/partner-center/developer/create-a-referral
 * - [update] "Update a referral" (PUT) and "Patch a referral" (PATCH):
 *   https://learn.microsoft.com/partner-center/developer/update-a-referral,
 *   https://learn.microsoft.com/partner-center/developer/patch-a-referral
 * - [list] "Get a list of referrals": https://learn.microsoft.com/partner-center/developer/get-a-list-of-referrals
 * - [webhooks] "Partner Center webhooks": https://learn.microsoft.com/partner-center/developer/partner-center-webhooks
 * - [events] "Partner Center webhook events": https://learn.microsoft.com/partner-center/developer/partner-center-webhook-events
 *
 * Where the docs are silent the emulator refuses rather than guesses.
 */

/** [resources] ReferralStatus: None, New, Active, Closed. */
export const STATUSES = ['None', 'New', 'Active', 'Closed'] as const;
export type Status = (typeof STATUSES)[number];

/** [resources] ReferralSubstatus: None, Pending, Received, Accepted, Won, Lost, Declined, Expired. */
export const SUBSTATUSES = ['None', 'Pending', 'Received', 'Accepted', 'Won', 'Lost', 'Declined', 'Expired'] as const;
export type Substatus = (typeof SUBSTATUSES)[number];

/**
 * [resources], [create], [update] "Status & Substatus transition states". `None` has no row: the docs list it as a
 * value but allow no transition into or out of it, so a client write that involves it is refused.
 */
export const TRANSITIONS: Readonly<Partial<Record<Status, { next: readonly Status[]; substatuses: readonly Substatus[] }>>> = {
  New: { next: ['New', 'Active', 'Closed'], substatuses: ['Pending', 'Received'] },
  Active: { next: ['Active', 'Closed'], substatuses: ['Accepted'] },
  Closed: { next: ['Closed'], substatuses: ['Won', 'Lost', 'Declined', 'Expired'] },
};

/** [resources] ReferralType: Independent (visible to one partner), Shared (visible to the parties working together). */
export const TYPES = ['Independent', 'Shared'] as const;

/** [resources] ReferralQualification. */
export const QUALIFICATIONS = ['None', 'Direct', 'MarketingQualified', 'SalesQualified'] as const;

/** [resources] ReferralDirection (current page): Incoming, Outgoing. */
export const DIRECTIONS = ['Incoming', 'Outgoing'] as const;

/** [resources] SalesStage (current page). */
export const SALES_STAGES = ['Qualify', 'Develop', 'Propose', 'Close'] as const;

/** [resources] InviteContext.AssistanceRequestCode (current page): "how can Microsoft help". */
export const ASSISTANCE_REQUEST_CODES = [
  'Unknown',
  'GeneralOrOther',
  'CustomerTechnicalArchitecture',
  'ProofOfConceptOrDemo',
  'QuotesOrLicensing',
  'PostSalesCustomerSuccess',
  'WorkloadSpecificValueProposition',
] as const;

/** [resources] TargetType: None, BusinessProfileLocation (partner business profile location), SolutionProfile. */
export const TARGET_TYPES = ['None', 'BusinessProfileLocation', 'SolutionProfile'] as const;

/** [resources] CustomerProfileType ids. */
export const CUSTOMER_ID_TYPES = ['Duns', 'External'] as const;

/**
 * [create] "Create a shared referral" → "Create a connected referral": the referral for Microsoft carries the
 * partner referral's engagementId and this target.
 */
export const MICROSOFT_TARGET = Object.freeze({ type: 'BusinessProfileLocation', id: 'msft' });

/** [resources] Referral properties the service assigns; a client may not set them ([update]: "Remove the links"). */
export const SERVER_FIELDS = ['id', 'eTag', 'createdDateTime', 'updatedDateTime', 'links', 'organizationId', 'organizationName'] as const;

/**
 * [events] / [webhooks] The events a tenant can register for. The referral events are the four the co-sell
 * connector docs register ("referral-created", "referral-updated", "related-referral-created",
 * "related-referral-updated"); the others are listed on the webhooks page. `test-created` is the self-test event.
 */
export const REFERRAL_EVENTS = ['referral-created', 'referral-updated', 'related-referral-created', 'related-referral-updated'] as const;
export type ReferralEvent = (typeof REFERRAL_EVENTS)[number];
export const WEBHOOK_EVENTS = [
  'test-created',
  'subscription-updated',
  'usagerecords-thresholdExceeded',
  'invoice-ready',
  ...REFERRAL_EVENTS,
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export interface Contact {
  firstName?: string;
  lastName?: string;
  email?: string;
  phoneNumber?: string;
  title?: string;
  contactPreference?: { locale?: string; disableNotifications?: boolean };
}

export interface Solution {
  id: string;
  name?: string;
  type?: string;
  publisherName?: string;
  [extra: string]: unknown;
}

/** [resources] Referral: property names are the API's camelCase JSON (`consentToToShareInfoWithOthers` sic). */
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
  status?: Status;
  substatus?: Substatus;
  statusReason?: string;
  qualification?: (typeof QUALIFICATIONS)[number];
  type?: (typeof TYPES)[number];
  direction?: (typeof DIRECTIONS)[number];
  salesStage?: (typeof SALES_STAGES)[number];
  eTag?: string;
  target?: { type: string; id: string }[];
  customerProfile?: {
    name?: string;
    size?: string;
    address?: { addressLine1?: string; addressLine2?: string; city?: string; state?: string; postalCode?: string; country?: string; region?: string };
    team?: Contact[];
    ids?: { profileType: string; id: string }[];
    isMatchingComplete?: boolean;
  };
  consent?: { consentToToShareInfoWithOthers?: boolean; consentToContact?: boolean; consentToShareReferralWithMicrosoftSellers?: boolean; [extra: string]: unknown };
  details?: {
    notes?: string;
    dealValue?: number;
    currency?: string;
    closingDateTime?: string;
    customerRequestedContact?: boolean;
    customerAction?: string;
    incentiveLevel?: string;
    requirements?: { industries?: { id: string }[]; products?: { id: string }[]; services?: { id: string }[]; solutions?: Solution[]; [extra: string]: unknown };
    [extra: string]: unknown;
  };
  team?: Contact[];
  inviteContext?: {
    notes?: string;
    invitedBy?: { organizationId?: string; organizationName?: string };
    invitedMpnId?: string;
    assistanceRequestCode?: (typeof ASSISTANCE_REQUEST_CODES)[number];
  };
  trackingInfo?: { microsoftMsxId?: string; [extra: string]: unknown };
  registrations?: unknown[];
  links?: Record<string, { uri?: string; method?: string } | undefined>;
  callToAction?: string;
  referralSource?: string;
  tags?: string[];
  [extra: string]: unknown;
}

/** [webhooks] "Event model": the body Partner Center POSTs to the registered callback. */
export interface WebhookNotification {
  EventName: WebhookEvent;
  ResourceUri: string;
  ResourceName?: string;
  AuditUri?: string | null;
  ResourceChangeUtcDate: string;
}

/** [webhooks] "Register to receive events": `{ WebhookUrl, WebhookEvents }`. */
export interface WebhookRegistration {
  WebhookUrl: string;
  WebhookEvents: string[];
}
