/**
 * In-memory referrals for one partner tenant, with the write rules Partner Center documents: server-assigned
 * ids/eTags/timestamps, read-only fields, the status transition table ([create], [update]), JSON Patch limited to
 * `add`/`replace` ([update] "The API currently only supports the replace and add operations"), If-Match
 * concurrency (required on PUT, optional on PATCH), and a co-sell deal as [create] "Create a shared referral"
 * describes it: the partner creates its Shared referral, then a second referral for Microsoft carrying the first
 * one's engagementId and the target BusinessProfileLocation/msft. The emulator never invents that second
 * referral: no version of the docs says the service creates it. (Page keys: see referral-model.ts.)
 */
import { randomUUID } from 'node:crypto';
import jsonPatch, { type Operation } from 'fast-json-patch';
import { EmulatorHttpError, invalidRequest, notFound, preconditionFailed } from './errors.js';
import { listReferrals, type ListPage, type ListQuery } from './odata-query.js';
import { MICROSOFT_TARGET, SERVER_FIELDS, type ReferralEvent, type Referral, type Status, type Substatus } from './referral-model.js';
import { validateCreate, validateEnums, validateReferral, validateTransition } from './referral-validation.js';

export { MICROSOFT_TARGET };

/** On PUT and PATCH the engagement cannot change either. */
const READ_ONLY_AFTER_CREATE = [...SERVER_FIELDS, 'engagementId'] as const;

export interface ReferralChange {
  event: ReferralEvent;
  referral: Referral;
}

const isMicrosoftTarget = (target: { type?: string; id?: string } | undefined) =>
  target?.type === MICROSOFT_TARGET.type && target.id === MICROSOFT_TARGET.id;

export interface ReferralStoreOptions {
  /** Base URL of the emulator, used in `links` and webhook resource URIs. */
  baseUrl: () => string;
  organization: { id: string; name: string };
  now: () => Date;
  pageSize: number;
  onChange: (change: ReferralChange) => void;
}

const clone = <T>(value: T): T => structuredClone(value);

/** OData annotations (`@odata.context` of a GET) describe the payload; they are not referral properties. */
function withoutAnnotations(referral: Referral): Referral {
  for (const key of Object.keys(referral)) if (key.startsWith('@odata.')) delete referral[key];
  return referral;
}

export class ReferralStore {
  readonly #referrals = new Map<string, Referral>();
  /** Partner referral id → its connected Microsoft referral id (co-sell). */
  readonly #connected = new Map<string, string>();
  readonly #options: ReferralStoreOptions;

  constructor(options: ReferralStoreOptions) {
    this.#options = options;
  }

  get size(): number {
    return this.#referrals.size;
  }

  referralUrl(id: string): string {
    return `${this.#options.baseUrl()}/v1.0/engagements/referrals/${id}`;
  }

  #links(referral: Referral): Referral['links'] {
    const base = this.#options.baseUrl();
    const related = new URL(`${base}/v1.0/engagements/referrals`);
    related.searchParams.set('$filter', `engagementId eq '${referral.engagementId}'`);
    return {
      self: { uri: this.referralUrl(referral.id!), method: 'GET' },
      relatedReferrals: { uri: related.toString(), method: 'GET' },
      // The emulator's stand-in for the Partner Center portal page of this referral.
      portal: { uri: `${base}/_emulator/portal/referrals/${referral.id}`, method: 'GET' },
    };
  }

  #stamp(referral: Referral, previous?: Referral): Referral {
    const now = this.#options.now().toISOString();
    referral.updatedDateTime = now;
    referral.eTag = `"${randomUUID()}"`;
    if (referral.status === 'Active' && previous?.status !== 'Active' && !referral.acceptedDateTime) referral.acceptedDateTime = now;
    if (referral.status === 'Closed' && previous?.status !== 'Closed') referral.closedDateTime = now;
    referral.links = this.#links(referral);
    return referral;
  }

  has(id: string): boolean {
    return this.#referrals.has(id);
  }

  #require(id: string): Referral {
    const referral = this.#referrals.get(id);
    if (!referral) throw notFound(`Referral '${id}' was not found.`);
    return referral;
  }

  #checkIfMatch(current: Referral, ifMatch: string | undefined, required: boolean): void {
    if (ifMatch === undefined || ifMatch === '') {
      if (required) throw invalidRequest('The If-Match header with the referral eTag is required to replace a referral.', 'If-Match');
      return;
    }
    if (ifMatch !== '*' && ifMatch !== current.eTag) {
      throw preconditionFailed(`The eTag ${ifMatch} does not match the current eTag of referral '${current.id}'. Get the referral and retry.`);
    }
  }

  #save(referral: Referral, event: ReferralChange['event']): Referral {
    this.#referrals.set(referral.id!, referral);
    this.#options.onChange({ event, referral: clone(referral) });
    return clone(referral);
  }

  #eventFor(referral: Referral, created: boolean): ReferralChange['event'] {
    const related = referral.target?.some(isMicrosoftTarget) ?? false;
    if (related) return created ? 'related-referral-created' : 'related-referral-updated';
    return created ? 'referral-created' : 'referral-updated';
  }

  get(id: string): Referral {
    return clone(this.#require(id));
  }

  list(query: ListQuery): ListPage {
    const base = this.#options.baseUrl();
    return listReferrals(this.#referrals.values(), query, {
      pageSize: this.#options.pageSize,
      listUrl: `${base}/v1.0/engagements/referrals`,
      metadataUrl: `${base}/v1.0/$metadata#Referrals`,
    });
  }

  /**
   * POST /referrals. Without an engagementId: the partner's own referral, in a new engagement. With one: [create]
   * "Create a connected referral" — the referral for Microsoft (target BusinessProfileLocation/msft) joining the
   * partner's Shared referral in that engagement. Anything else with an engagementId is undocumented and refused.
   */
  create(body: unknown): Referral {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalidRequest('The request body must be a referral object.');
    const input = withoutAnnotations(clone(body) as Referral);
    const engagementId = typeof input.engagementId === 'string' && input.engagementId !== '' ? input.engagementId : undefined;
    for (const field of [...SERVER_FIELDS, 'engagementId']) delete (input as Record<string, unknown>)[field];
    validateCreate(input);
    const forMicrosoft = input.target?.some(isMicrosoftTarget) ?? false;
    if (forMicrosoft && !engagementId) {
      throw invalidRequest(
        "A referral for Microsoft (target BusinessProfileLocation/msft) joins a shared referral: create your Shared referral first and send its engagementId.",
        'engagementId',
      );
    }
    if (engagementId && !forMicrosoft) {
      throw invalidRequest('Only the connected referral for Microsoft (target BusinessProfileLocation/msft) may name an existing engagementId.', 'engagementId');
    }
    const now = this.#options.now().toISOString();
    const referral: Referral = {
      ...input,
      id: randomUUID(),
      engagementId: engagementId ?? randomUUID(),
      organizationId: this.#options.organization.id,
      organizationName: this.#options.organization.name,
      createdDateTime: now,
      direction: input.direction ?? 'Outgoing',
      qualification: input.qualification ?? 'None',
    };
    if (forMicrosoft) return this.#createConnected(referral);
    // The status asked for, New/Pending by default. (The [create] response sample answers a New/Pending request
    // with Active/Accepted; the page does not say when, so the emulator keeps the request's status and the
    // connector reads the status back from the response instead of assuming either.)
    referral.status ??= 'New';
    if (referral.substatus === undefined && referral.status === 'New') referral.substatus = 'Pending';
    validateReferral(referral);
    // [resources] AcceptedDateTime: "For outgoing referrals, it's same date as referral creation datetime".
    if (referral.direction === 'Outgoing') referral.acceptedDateTime = now;
    return this.#save(this.#stamp(referral), 'referral-created');
  }

  /** The referral for Microsoft: New/Pending until a Microsoft seller accepts it. */
  #createConnected(referral: Referral): Referral {
    const partner = [...this.#referrals.values()].find(
      (r) => r.engagementId === referral.engagementId && !(r.target?.some(isMicrosoftTarget) ?? false),
    );
    if (!partner) throw invalidRequest(`No referral of this organization belongs to engagement '${referral.engagementId}'.`, 'engagementId');
    if (partner.type !== 'Shared') {
      throw invalidRequest(`Referral '${partner.id}' in engagement '${referral.engagementId}' is ${partner.type}; only a Shared referral is connected to Microsoft.`, 'type');
    }
    const existing = this.#connected.get(partner.id!);
    if (existing) {
      // Docs are silent on a second referral for Microsoft in one engagement: refuse instead of duplicating the deal.
      throw new EmulatorHttpError(409, 'conflict', `Engagement '${referral.engagementId}' already has a referral for Microsoft ('${existing}').`, 'engagementId');
    }
    referral.type = 'Shared';
    referral.status = 'New';
    referral.substatus = 'Pending';
    validateReferral(referral);
    this.#connected.set(partner.id!, referral.id!);
    return this.#save(this.#stamp(referral), 'related-referral-created');
  }

  connectedReferralId(id: string): string | undefined {
    return this.#connected.get(id);
  }

  /** PUT /referrals/{id}: whole resource, If-Match required, `links` must be absent. */
  replace(id: string, body: unknown, ifMatch: string | undefined): Referral {
    const current = this.#require(id);
    this.#checkIfMatch(current, ifMatch, true);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalidRequest('The request body must be a referral object.');
    const input = withoutAnnotations(clone(body) as Referral);
    if (input.links !== undefined) {
      throw invalidRequest('Remove the links object from the referral before replacing it.', 'links');
    }
    if (input.id !== undefined && input.id !== id) throw invalidRequest(`The id '${input.id}' in the body does not match '${id}'.`, 'id');
    if (input.engagementId !== undefined && input.engagementId !== current.engagementId) {
      throw invalidRequest('The engagementId of a referral cannot be changed.', 'engagementId');
    }
    const next: Referral = {
      ...input,
      id,
      engagementId: current.engagementId,
      organizationId: current.organizationId,
      organizationName: current.organizationName,
      createdDateTime: current.createdDateTime,
      acceptedDateTime: input.acceptedDateTime ?? current.acceptedDateTime,
    };
    validateReferral(next);
    validateTransition(current.status, next.status);
    return this.#save(this.#stamp(next, current), this.#eventFor(next, false));
  }

  /** PATCH /referrals/{id}: RFC 6902 with only `add` and `replace`; If-Match optional. */
  patch(id: string, operations: unknown, ifMatch: string | undefined): Referral {
    const current = this.#require(id);
    this.#checkIfMatch(current, ifMatch, false);
    if (!Array.isArray(operations) || operations.length === 0) {
      throw invalidRequest('The request body must be a non-empty JSON Patch array.');
    }
    for (const [index, op] of operations.entries()) {
      const candidate = op as Partial<{ op: string; path: string; value: unknown }>;
      if (candidate?.op !== 'add' && candidate?.op !== 'replace') {
        throw invalidRequest(`Operation ${index}: only 'add' and 'replace' are supported, got '${String(candidate?.op)}'.`, `[${index}].op`);
      }
      if (typeof candidate.path !== 'string' || !candidate.path.startsWith('/')) {
        throw invalidRequest(`Operation ${index}: path must be a JSON Pointer such as /details/dealValue.`, `[${index}].path`);
      }
      const root = candidate.path.split('/')[1];
      if ((READ_ONLY_AFTER_CREATE as readonly string[]).includes(root)) {
        throw invalidRequest(`Operation ${index}: '${root}' is read-only.`, `[${index}].path`);
      }
    }
    const working = clone(current);
    const patchError = jsonPatch.validate(operations as Operation[], working);
    if (patchError) throw invalidRequest(`The JSON Patch could not be applied: ${patchError.message.split('\n')[0]}`);
    const next = jsonPatch.applyPatch(working, operations as Operation[], false, true).newDocument;
    validateReferral(next);
    validateTransition(current.status, next.status);
    return this.#save(this.#stamp(next, current), this.#eventFor(next, false));
  }

  /** Inserts a referral shared by Microsoft (or another partner): an incoming referral. */
  insertIncoming(referral: Referral): Referral {
    const now = this.#options.now();
    const stored: Referral = {
      ...clone(referral),
      id: randomUUID(),
      engagementId: referral.engagementId ?? randomUUID(),
      organizationId: this.#options.organization.id,
      organizationName: this.#options.organization.name,
      createdDateTime: now.toISOString(),
      direction: 'Incoming',
      status: 'New',
      substatus: 'Pending',
      // An incoming referral not answered in 14 days expires (shared/reference/partner-center-api.md).
      expirationDateTime: new Date(now.getTime() + 14 * 24 * 3600_000).toISOString(),
    };
    validateReferral(stored);
    return this.#save(this.#stamp(stored), 'referral-created');
  }

  /** Applies a change made on the Microsoft side, with the same rules as an API write. */
  mutate(id: string, change: (referral: Referral) => void): Referral {
    const current = this.#require(id);
    const next = clone(current);
    change(next);
    validateReferral(next);
    validateTransition(current.status, next.status);
    return this.#save(this.#stamp(next, current), this.#eventFor(next, false));
  }

  /**
   * What the service itself reports on Microsoft's side for a value [resources] lists but the transition table
   * has no row for (`None` for status and substatus): checked against the enums, not against the table.
   */
  report(id: string, values: { status?: Status; substatus?: Substatus }): Referral {
    const current = this.#require(id);
    const next = clone(current);
    Object.assign(next, values);
    validateEnums(next);
    return this.#save(this.#stamp(next, current), this.#eventFor(next, false));
  }

  /** Incoming referrals past their expiration date, still New. */
  overdue(): Referral[] {
    const now = this.#options.now().getTime();
    return [...this.#referrals.values()]
      .filter((r) => r.direction === 'Incoming' && r.status === 'New' && r.expirationDateTime && Date.parse(r.expirationDateTime) <= now)
      .map(clone);
  }

  all(): Referral[] {
    return [...this.#referrals.values()].map(clone);
  }
}
