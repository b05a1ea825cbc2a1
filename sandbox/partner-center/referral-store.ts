/**
 * In-memory referrals for one partner tenant, with the write rules Partner Center applies: server-assigned
 * ids/eTags/timestamps, read-only fields, the status transition table, JSON Patch limited to `add`/`replace`,
 * If-Match concurrency, and the connected Microsoft referral a co-sell (Shared) referral creates.
 */
import { randomUUID } from 'node:crypto';
import jsonPatch, { type Operation } from 'fast-json-patch';
import type { Referral, ReferralPatchOperation, ReferralWebhookEvent } from '../../connector/partner-center/types.js';
import { invalidRequest, notFound, preconditionFailed } from './errors.js';
import { listReferrals, type ListPage, type ListQuery } from './odata-query.js';
import { validateReferral, validateTransition } from './referral-validation.js';

export const MICROSOFT_TARGET = { type: 'BusinessProfileLocation', id: 'msft' } as const;

/** Fields the service owns; a client may not set them on create/replace or patch them. */
const SERVER_FIELDS = ['id', 'engagementId', 'eTag', 'createdDateTime', 'updatedDateTime', 'links', 'organizationId', 'organizationName'] as const;

export interface ReferralChange {
  event: Exclude<ReferralWebhookEvent, 'test-created'>;
  referral: Referral;
}

export interface ReferralStoreOptions {
  /** Base URL of the emulator, used in `links` and webhook resource URIs. */
  baseUrl: () => string;
  organization: { id: string; name: string };
  now: () => Date;
  pageSize: number;
  onChange: (change: ReferralChange) => void;
}

const clone = <T>(value: T): T => structuredClone(value);

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
    const related = referral.target?.some((t) => t.id === MICROSOFT_TARGET.id) ?? false;
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

  /** POST /referrals: an outgoing referral created by the partner. */
  create(body: unknown): Referral {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalidRequest('The request body must be a referral object.');
    const input = clone(body) as Referral;
    for (const field of SERVER_FIELDS) delete (input as Record<string, unknown>)[field];
    const now = this.#options.now().toISOString();
    const referral: Referral = {
      ...input,
      id: randomUUID(),
      engagementId: randomUUID(),
      organizationId: this.#options.organization.id,
      organizationName: this.#options.organization.name,
      createdDateTime: now,
      direction: input.direction ?? 'Outgoing',
      status: input.status ?? 'New',
      substatus: input.substatus ?? (input.status === undefined ? 'Pending' : undefined),
      type: input.type ?? 'Independent',
      qualification: input.qualification ?? 'None',
    };
    validateReferral(referral);
    // Outgoing referrals are accepted by their creator at creation ("AcceptedDateTime", referral resources doc).
    if (referral.direction === 'Outgoing') referral.acceptedDateTime = now;
    const saved = this.#save(this.#stamp(referral), 'referral-created');
    if (referral.type === 'Shared') this.#createConnected(referral);
    return saved;
  }

  #createConnected(partnerReferral: Referral): void {
    const connected: Referral = {
      ...clone(partnerReferral),
      id: randomUUID(),
      target: [{ ...MICROSOFT_TARGET }],
      status: 'New',
      substatus: 'Pending',
      createdDateTime: this.#options.now().toISOString(),
    };
    delete connected.acceptedDateTime; // Microsoft has not accepted it yet
    this.#connected.set(partnerReferral.id!, connected.id!);
    this.#save(this.#stamp(connected), 'related-referral-created');
  }

  connectedReferralId(id: string): string | undefined {
    return this.#connected.get(id);
  }

  /** PUT /referrals/{id}: whole resource, If-Match required, `links` must be absent. */
  replace(id: string, body: unknown, ifMatch: string | undefined): Referral {
    const current = this.#require(id);
    this.#checkIfMatch(current, ifMatch, true);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalidRequest('The request body must be a referral object.');
    const input = clone(body) as Referral;
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
      const candidate = op as Partial<ReferralPatchOperation>;
      if (candidate?.op !== 'add' && candidate?.op !== 'replace') {
        throw invalidRequest(`Operation ${index}: only 'add' and 'replace' are supported, got '${String(candidate?.op)}'.`, `[${index}].op`);
      }
      if (typeof candidate.path !== 'string' || !candidate.path.startsWith('/')) {
        throw invalidRequest(`Operation ${index}: path must be a JSON Pointer such as /details/dealValue.`, `[${index}].path`);
      }
      const root = candidate.path.split('/')[1];
      if ((SERVER_FIELDS as readonly string[]).includes(root)) {
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
