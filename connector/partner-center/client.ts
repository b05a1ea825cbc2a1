/**
 * Partner Center Referrals and webhook-registration client (shared/reference/partner-center-api.md).
 * Every method returns the data with the `request-id` of the response, for the sync log.
 */
import { ConcurrencyError, NotFoundError } from './errors.js';
import { PartnerCenterTransport, type ApiResponse, type CallStats, type TransportOptions } from './http-transport.js';
import { listQueryParams, type ListReferralsQuery } from './odata-filter.js';
import { PARTNER_CENTER_SCOPE, PARTNER_CENTER_WEBHOOKS_SCOPE } from './token-provider.js';
import {
  REFERRAL_WEBHOOK_EVENTS,
  type Referral,
  type ReferralListPage,
  type ReferralPatchOperation,
  type ReferralWebhookEvent,
  type WebhookRegistration,
} from '../model/referral.js';

export const PARTNER_CENTER_REFERRALS_BASE_URL = 'https://api.partner.microsoft.com/v1.0/engagements';
export const PARTNER_CENTER_WEBHOOKS_BASE_URL = 'https://api.partnercenter.microsoft.com/webhooks/v1';

export interface PartnerCenterClientOptions extends TransportOptions {
  referralsBaseUrl?: string;
  webhooksBaseUrl?: string;
}

export interface PatchOptions {
  /** Concurrency check: the eTag the change was computed against. */
  ifMatch?: string;
  /** `Prefer: return=representation`: answer 200 with the updated referral instead of 204. */
  returnRepresentation?: boolean;
}

export interface UpdateWithRetryOptions {
  /** The referral as last read (with its eTag); saves the initial GET. */
  current?: Referral;
  /** How many 409/412 conflicts to resolve by re-reading before giving up. */
  maxConflictRetries?: number;
}

export interface UpdateResult {
  referral: Referral;
  /** False when `mutate` had nothing to change. */
  changed: boolean;
  /** Conflicts resolved by re-reading and re-applying. */
  conflicts: number;
  /** `request-id` of the last call made. */
  requestId?: string;
}

/** Decides the patch from the referral's current state; null or [] means "nothing to change". */
export type ReferralMutation = (current: Referral) => ReferralPatchOperation[] | null;

export interface WebhookRegistrationResult extends WebhookRegistration {
  SubscriberId?: string;
}

/** What `registerWebhooks` changed in the tenant's one registration. */
export interface WebhookRegistrationChange {
  action: 'registered' | 'updated' | 'unchanged';
  url: string;
  /** The callback URL before, when there was a registration with another one. */
  previousUrl?: string;
  /** Our events that were not registered before. */
  added: string[];
  /** Events another tool registered, kept as they were (their deliveries now go to `url` when it changed). */
  kept: string[];
  events: string[];
}

/**
 * The registration to write: the current one plus our events, everything else kept. "Partner Center webhooks"
 * keeps one registration per tenant (one WebhookUrl, a list of WebhookEvents); POST and PUT replace it whole.
 */
export function mergeRegistration(
  current: WebhookRegistration | undefined,
  url: string,
  events: readonly string[],
): { registration: WebhookRegistration; change: WebhookRegistrationChange } {
  const before = current?.WebhookEvents ?? [];
  const added = events.filter((e) => !before.includes(e));
  const merged = [...before, ...added];
  const kept = before.filter((e) => !events.includes(e));
  const action = !current ? 'registered' : added.length === 0 && current.WebhookUrl === url ? 'unchanged' : 'updated';
  return {
    registration: { WebhookUrl: url, WebhookEvents: merged },
    change: {
      action,
      url,
      ...(current && current.WebhookUrl !== url ? { previousUrl: current.WebhookUrl } : {}),
      added,
      kept,
      events: merged,
    },
  };
}

const trimSlash = (url: string) => url.replace(/\/+$/, '');

export class PartnerCenterClient {
  readonly #transport: PartnerCenterTransport;
  readonly #referrals: string;
  readonly #webhooks: string;

  constructor(options: PartnerCenterClientOptions) {
    this.#transport = new PartnerCenterTransport(options);
    this.#referrals = `${trimSlash(options.referralsBaseUrl ?? PARTNER_CENTER_REFERRALS_BASE_URL)}/referrals`;
    this.#webhooks = `${trimSlash(options.webhooksBaseUrl ?? PARTNER_CENTER_WEBHOOKS_BASE_URL)}/registration`;
  }

  /** HTTP calls made so far (retries included), by operation and status. */
  stats(): CallStats {
    return this.#transport.stats();
  }

  #referralUrl(id: string): string {
    if (!id) throw new RangeError('A referral id is required');
    return `${this.#referrals}/${encodeURIComponent(id)}`;
  }

  // ---- referrals ----

  createReferral(referral: Referral): Promise<ApiResponse<Referral>> {
    return this.#transport.request<Referral>({ operation: 'createReferral', scope: PARTNER_CENTER_SCOPE, method: 'POST', url: this.#referrals, body: referral });
  }

  getReferral(id: string): Promise<ApiResponse<Referral>> {
    return this.#transport.request<Referral>({ operation: 'getReferral', scope: PARTNER_CENTER_SCOPE, method: 'GET', url: this.#referralUrl(id) });
  }

  listReferrals(query: ListReferralsQuery = {}): Promise<ApiResponse<ReferralListPage>> {
    const params = listQueryParams(query).toString();
    return this.#listPage(params ? `${this.#referrals}?${params}` : this.#referrals);
  }

  #listPage(url: string): Promise<ApiResponse<ReferralListPage>> {
    return this.#transport.request<ReferralListPage>({ operation: 'listReferrals', scope: PARTNER_CENTER_SCOPE, method: 'GET', url });
  }

  /**
   * Follows `@odata.nextLink` page by page. The documented nextLink sample
   * (`http://api.partner.microsoft.com/v1.0/referrals?$skiptoken=...`, "Get a list of referrals") is neither https
   * nor under /engagements, so only its query is taken and sent to the configured referrals endpoint: the
   * bearer token never leaves the configured host.
   */
  async *referralPages(query: ListReferralsQuery = {}): AsyncGenerator<ApiResponse<ReferralListPage>> {
    let page = await this.listReferrals(query);
    for (;;) {
      yield page;
      const next = page.data?.['@odata.nextLink'];
      if (!next || !page.data.value?.length) return;
      page = await this.#listPage(`${this.#referrals}${new URL(next, this.#referrals).search}`);
    }
  }

  /** Every referral matching the query, across all pages. */
  async *allReferrals(query: ListReferralsQuery = {}): AsyncGenerator<Referral> {
    for await (const page of this.referralPages(query)) yield* page.data.value ?? [];
  }

  /** PUT: the whole resource; If-Match is required (defaults to the referral's eTag); `links` is removed. */
  replaceReferral(referral: Referral, options: { ifMatch?: string } = {}): Promise<ApiResponse<Referral>> {
    const ifMatch = options.ifMatch ?? referral.eTag;
    if (!referral.id) throw new RangeError('replaceReferral needs the referral id');
    if (!ifMatch) throw new RangeError('replaceReferral needs an eTag (If-Match is required by Partner Center)');
    const body: Referral = { ...referral };
    delete body.links;
    return this.#transport.request<Referral>({
      operation: 'replaceReferral', scope: PARTNER_CENTER_SCOPE,
      method: 'PUT',
      url: this.#referralUrl(referral.id),
      body,
      headers: { 'if-match': ifMatch },
    });
  }

  /** PATCH with JSON Patch (`add`/`replace` only). Without `returnRepresentation` the service answers 204. */
  patchReferral(id: string, operations: ReferralPatchOperation[], options: PatchOptions = {}): Promise<ApiResponse<Referral | undefined>> {
    const headers: Record<string, string> = {};
    if (options.ifMatch) headers['if-match'] = options.ifMatch;
    if (options.returnRepresentation) headers.prefer = 'return=representation';
    return this.#transport.request<Referral | undefined>({ operation: 'patchReferral', scope: PARTNER_CENTER_SCOPE, method: 'PATCH', url: this.#referralUrl(id), body: operations, headers });
  }

  /**
   * Optimistic concurrency done right: compute the patch from the current state, PATCH with If-Match, and on
   * 409/412 re-read and re-apply `mutate` to the fresh state (it may decide nothing is left to do).
   */
  async updateWithRetry(id: string, mutate: ReferralMutation, options: UpdateWithRetryOptions = {}): Promise<UpdateResult> {
    const maxConflicts = options.maxConflictRetries ?? 5;
    let current = options.current;
    let requestId: string | undefined;
    if (!current?.eTag) {
      const read = await this.getReferral(id);
      current = read.data;
      requestId = read.requestId;
    }
    for (let conflicts = 0; ; conflicts += 1) {
      const operations = mutate(current);
      if (!operations || operations.length === 0) return { referral: current, changed: false, conflicts, requestId };
      try {
        const patched = await this.patchReferral(id, operations, { ifMatch: current.eTag, returnRepresentation: true });
        let referral = patched.data;
        requestId = patched.requestId;
        if (!referral) {
          // The service ignored Prefer and answered 204: read the result so callers get the new eTag.
          const read = await this.getReferral(id);
          referral = read.data;
          requestId = read.requestId;
        }
        return { referral, changed: true, conflicts, requestId };
      } catch (error) {
        if (!(error instanceof ConcurrencyError) || conflicts >= maxConflicts) throw error;
        const read = await this.getReferral(id);
        current = read.data;
        requestId = read.requestId;
      }
    }
  }

  // ---- webhook registration ----

  registerWebhook(registration: WebhookRegistration): Promise<ApiResponse<WebhookRegistrationResult>> {
    return this.#transport.request({ operation: 'registerWebhook', scope: PARTNER_CENTER_WEBHOOKS_SCOPE, method: 'POST', url: this.#webhooks, body: registration });
  }

  updateWebhook(registration: WebhookRegistration): Promise<ApiResponse<WebhookRegistrationResult>> {
    return this.#transport.request({ operation: 'updateWebhook', scope: PARTNER_CENTER_WEBHOOKS_SCOPE, method: 'PUT', url: this.#webhooks, body: registration });
  }

  /** The tenant's registration, or `data: undefined` when there is none. */
  async getWebhookRegistration(): Promise<ApiResponse<WebhookRegistrationResult | undefined>> {
    try {
      return await this.#transport.request<WebhookRegistrationResult>({ operation: 'getWebhookRegistration', scope: PARTNER_CENTER_WEBHOOKS_SCOPE, method: 'GET', url: this.#webhooks });
    } catch (error) {
      if (error instanceof NotFoundError) {
        return { data: undefined, status: 404, requestId: error.requestId, clientRequestId: error.context?.clientRequestId ?? '', attempts: error.context?.attempts ?? 1 };
      }
      throw error;
    }
  }

  deleteWebhookRegistration(): Promise<ApiResponse<undefined>> {
    return this.#transport.request({ operation: 'deleteWebhookRegistration', scope: PARTNER_CENTER_WEBHOOKS_SCOPE, method: 'DELETE', url: this.#webhooks });
  }

  /**
   * Points the referral events at `url` without dropping what another tool registered: the tenant has one
   * registration (one WebhookUrl, one list of WebhookEvents) and POST/PUT replace it whole, so read it, add our
   * events, keep the rest, write it (PUT when one exists, POST when none), and report what changed. Nothing is
   * written when it already holds our URL and events.
   */
  async registerWebhooks(
    url: string,
    events: readonly ReferralWebhookEvent[] = REFERRAL_WEBHOOK_EVENTS,
  ): Promise<ApiResponse<WebhookRegistrationResult> & { change: WebhookRegistrationChange }> {
    for (let attempt = 1; ; attempt += 1) {
      const existing = await this.getWebhookRegistration();
      const { registration, change } = mergeRegistration(existing.data, url, events);
      if (change.action === 'unchanged') return { ...existing, data: existing.data!, change };
      try {
        const written = existing.data ? await this.updateWebhook(registration) : await this.registerWebhook(registration);
        return { ...written, change };
      } catch (error) {
        // Someone registered between our GET and POST: read theirs and merge again.
        if (error instanceof ConcurrencyError && !existing.data && attempt < 3) continue;
        throw error;
      }
    }
  }
}
