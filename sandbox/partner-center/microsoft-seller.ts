/**
 * A scriptable Microsoft seller: the other side of a co-sell deal. Everything it does goes through the same
 * store rules as API writes and raises the same webhook events, so the connector sees what it would see when
 * a real Microsoft seller works a deal in MSX.
 */
import type { ASSISTANCE_REQUEST_CODES, Contact, Referral, SALES_STAGES, Solution } from './referral-model.js';

type AssistanceRequestCode = (typeof ASSISTANCE_REQUEST_CODES)[number];
type SalesStage = (typeof SALES_STAGES)[number];
type CustomerContact = Contact;
type TeamMember = Contact;
type ReferralSolution = Solution;
import type { ReferralStore } from './referral-store.js';

export interface ShareReferralInput {
  /** Co-sell opportunity (Shared, SalesQualified) or marketplace lead (Independent, MarketingQualified). */
  kind?: 'co-sell' | 'marketplace-lead';
  name?: string;
  customer?: {
    name?: string;
    country?: string;
    city?: string;
    postalCode?: string;
    addressLine1?: string;
    contacts?: CustomerContact[];
  };
  dealValue?: number;
  currency?: string;
  closingDateTime?: string;
  notes?: string;
  solutions?: ReferralSolution[];
  assistanceRequestCode?: AssistanceRequestCode;
  /** The Microsoft sellers on the deal. */
  team?: TeamMember[];
}

export interface SellerUpdate {
  dealValue?: number;
  currency?: string;
  closingDateTime?: string;
  notes?: string;
  salesStage?: SalesStage;
  /** Replaces the team on the referral. */
  team?: TeamMember[];
}

export class MicrosoftSeller {
  readonly #store: ReferralStore;
  readonly #now: () => Date;

  constructor(store: ReferralStore, now: () => Date = () => new Date()) {
    this.#store = store;
    this.#now = now;
  }

  /** Shares a new incoming referral with the partner. */
  share(input: ShareReferralInput = {}): Referral {
    const coSell = (input.kind ?? 'co-sell') === 'co-sell';
    const customer = input.customer ?? {};
    return this.#store.insertIncoming({
      name: input.name ?? (coSell ? 'Fabrikam cloud migration' : 'Fabrikam marketplace inquiry'),
      type: coSell ? 'Shared' : 'Independent',
      qualification: coSell ? 'SalesQualified' : 'MarketingQualified',
      referralSource: coSell ? 'MicrosoftSeller' : 'Marketplace',
      customerProfile: {
        name: customer.name ?? 'Fabrikam Inc',
        address: {
          addressLine1: customer.addressLine1 ?? 'One Microsoft Way',
          city: customer.city ?? 'Redmond',
          postalCode: customer.postalCode ?? '98052',
          country: customer.country ?? 'US',
        },
        team: customer.contacts ?? [{ firstName: 'Sue', lastName: 'Smith', email: 'sue.smith@fabrikam.example', phoneNumber: '+1 425 555 0100' }],
      },
      consent: { consentToContact: true, consentToToShareInfoWithOthers: true, consentToShareReferralWithMicrosoftSellers: true },
      details: {
        notes: input.notes ?? 'Customer wants help with a migration.',
        dealValue: input.dealValue ?? 50_000,
        currency: input.currency ?? 'USD',
        closingDateTime: input.closingDateTime ?? new Date(this.#now().getTime() + 90 * 24 * 3600_000).toISOString(),
        requirements: {
          solutions: input.solutions ?? (coSell ? [{ id: 'SOL-34104-EBB', name: 'Contoso Migration Accelerator', publisherName: 'Contoso' }] : []),
        },
      },
      team: input.team ?? [{ firstName: 'Alex', lastName: 'Wilber', email: 'alex.wilber@microsoft.example' }],
      inviteContext: {
        notes: 'Shared by a Microsoft seller.',
        invitedBy: { organizationId: 'msft', organizationName: 'Microsoft' },
        assistanceRequestCode: input.assistanceRequestCode ?? (coSell ? 'GeneralOrOther' : 'Unknown'),
      },
    });
  }

  update(id: string, changes: SellerUpdate): Referral {
    return this.#store.mutate(id, (referral) => {
      const details = (referral.details ??= {});
      if (changes.dealValue !== undefined) details.dealValue = changes.dealValue;
      if (changes.currency !== undefined) details.currency = changes.currency;
      if (changes.closingDateTime !== undefined) details.closingDateTime = changes.closingDateTime;
      if (changes.notes !== undefined) details.notes = changes.notes;
      if (changes.salesStage !== undefined) referral.salesStage = changes.salesStage;
      if (changes.team !== undefined) referral.team = changes.team;
    });
  }

  /**
   * Microsoft accepts the deal: the referral (and, for a partner's co-sell request, its connected Microsoft
   * referral) moves to Active/Accepted; the Microsoft CRM id is recorded when given.
   */
  accept(id: string, options: { microsoftMsxId?: string } = {}): Referral {
    const connectedId = this.#store.connectedReferralId(id);
    if (connectedId) this.#store.mutate(connectedId, (r) => Object.assign(r, { status: 'Active', substatus: 'Accepted' }));
    return this.#store.mutate(id, (referral) => {
      referral.status = 'Active';
      referral.substatus = 'Accepted';
      if (options.microsoftMsxId) referral.trackingInfo = { ...referral.trackingInfo, microsoftMsxId: options.microsoftMsxId };
    });
  }

  /** Partner Center reports a documented value with no transition rule, such as status/substatus `None`. */
  report(id: string, values: { status?: 'None' | 'New' | 'Active' | 'Closed'; substatus?: 'None' }): Referral {
    return this.#store.report(id, values);
  }

  setMicrosoftCrmId(id: string, microsoftMsxId: string): Referral {
    return this.#store.mutate(id, (referral) => {
      referral.trackingInfo = { ...referral.trackingInfo, microsoftMsxId };
    });
  }

  close(id: string, substatus: 'Won' | 'Lost' | 'Declined', statusReason?: string): Referral {
    return this.#store.mutate(id, (referral) => {
      referral.status = 'Closed';
      referral.substatus = substatus;
      if (statusReason !== undefined) referral.statusReason = statusReason;
    });
  }

  expire(id: string): Referral {
    return this.#store.mutate(id, (referral) => {
      referral.status = 'Closed';
      referral.substatus = 'Expired';
    });
  }

  /** Expires every incoming referral left unanswered past its expiration date; returns how many. */
  expireOverdue(): number {
    const overdue = this.#store.overdue();
    for (const referral of overdue) this.expire(referral.id!);
    return overdue.length;
  }
}
