/**
 * The connector's only door to Salesforce: SOQL (paged, optionally including deleted rows), and writes as
 * sObject Collections of up to 200 records per call with allOrNone=false, so one bad record fails alone and a
 * batch of referrals costs a handful of API calls. Independent reads or writes can share one /composite call
 * (Salesforce counts it once). Every record-level failure comes back as a SalesforceWriteError naming the
 * record; nothing here decides what to do about it.
 */
import type { Connection } from 'jsforce';
// jsforce's request() drops the HTTP status when the body names an error code; its HttpApi reports the response.
import { HttpApi } from 'jsforce/lib/http-api.js';
import { SETTINGS_RECORD_FIELDS } from '../engine/org-settings.js';
import type { OrgContext } from '../engine/salesforce-records.js';
import { fromJsforceError, writeError, type SalesforceErrorDetail, type SalesforceWriteError } from './errors.js';
import { namespaceMapper, type NamespaceMapper } from './namespace.js';

/** Salesforce's limit for one sObject Collections request. */
export const COLLECTION_LIMIT = 200;
/** Of a /composite request's 25 subrequests, at most 5 may be queries or sObject Collections (all of ours are). */
export const COMPOSITE_COLLECTIONS_LIMIT = 5;

export type SObjectRecord = Record<string, unknown>;

export interface SaveOutcome {
  id: string | null;
  error: SalesforceWriteError | null;
}

interface CollectionResult {
  id?: string;
  success: boolean;
  errors?: { statusCode?: string; errorCode?: string; message?: string; fields?: string[] }[];
}

interface QueryPage<T> {
  records: T[];
  done: boolean;
  nextRecordsUrl?: string;
}

/** What a failed record is called in messages, e.g. `Opportunity "Contoso" (006…)`. */
export type RecordLabel = (record: SObjectRecord, index: number) => string;

/** One query of a `queries` call. */
export interface QuerySpec {
  soql: string;
  /** queryAll: Recycle Bin rows too (they carry IsDeleted). */
  includeDeleted?: boolean;
  /** What the rows are, for messages. */
  what?: string;
}

/** One collection write of a `saveAll` call. */
export interface SaveSpec {
  operation: 'create' | 'update' | 'upsert';
  type: string;
  records: readonly SObjectRecord[];
  label: RecordLabel;
  /** The external id field an upsert matches on. */
  externalIdField?: string;
}

interface CompositeSubresponse {
  body: unknown;
  httpStatusCode: number;
  referenceId: string;
}

/** A subrequest Salesforce refused as a whole: its body is the usual error list. */
function subrequestDetail(response: CompositeSubresponse): SalesforceErrorDetail {
  const [first] = Array.isArray(response.body) ? (response.body as { errorCode?: string; message?: string; fields?: string[] }[]) : [];
  return { statusCode: first?.errorCode ?? `ERROR_HTTP_${response.httpStatusCode}`, message: first?.message ?? 'no message', fields: first?.fields ?? [] };
}

/** RFC 9110 HTTP-date (IMF-fixdate): whole seconds, the fraction dropped. */
export function httpDate(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toUTCString();
}

/** sObject Rows names the record in the URL; the body carries only the fields. */
function withoutId(fields: SObjectRecord): SObjectRecord {
  return Object.fromEntries(Object.entries(fields).filter(([key]) => key !== 'Id'));
}

function chunks<T>(items: readonly T[], size = COLLECTION_LIMIT): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function detailOf(result: CollectionResult): SalesforceErrorDetail {
  const first = result.errors?.[0];
  return {
    statusCode: first?.statusCode ?? first?.errorCode ?? 'UNKNOWN_ERROR',
    message: (result.errors ?? []).map((e) => e.message).filter(Boolean).join('; ') || 'no message',
    fields: first?.fields ?? [],
  };
}

export class SalesforceGateway {
  #connection: Promise<Connection> | undefined;
  #calls = 0;
  readonly #ns: NamespaceMapper;

  /**
   * `connect` is called lazily and again after a failed login, so a Salesforce outage at start-up is not fatal.
   * `namespace`: the managed package's prefix in this org (none for a source deploy); see namespace.ts.
   */
  constructor(
    private readonly connect: () => Promise<Connection>,
    options: { namespace?: string } = {},
  ) {
    this.#ns = namespaceMapper(options.namespace);
  }

  /** The sObject Collections body: the package's names carry the org's namespace, the caller's records stay as they are. */
  #collectionBody(type: string, chunk: readonly SObjectRecord[]) {
    return { allOrNone: false, records: chunk.map((r) => ({ attributes: { type: this.#ns.name(type) }, ...this.#ns.outgoing(r) })) };
  }

  #queryUrl(soql: string, includeDeleted: boolean | undefined): string {
    return `/${includeDeleted ? 'queryAll' : 'query'}?q=${encodeURIComponent(this.#ns.soql(soql))}`;
  }

  /** REST calls made (every query page and every collection chunk counts). */
  get calls(): number {
    return this.#calls;
  }

  async connection(): Promise<Connection> {
    this.#connection ??= this.connect().catch((error: unknown) => {
      this.#connection = undefined;
      throw error;
    });
    return this.#connection;
  }

  async #request<T>(run: (conn: Connection) => Promise<T>, record: string, action: string): Promise<T> {
    this.#calls++;
    try {
      return await run(await this.connection());
    } catch (error) {
      throw fromJsforceError(error, record, action);
    }
  }

  /** All rows of a SOQL query, page by page; `includeDeleted` uses queryAll (Recycle Bin rows carry IsDeleted). */
  async query<T extends SObjectRecord>(soql: string, options: { includeDeleted?: boolean; what?: string } = {}): Promise<T[]> {
    const what = options.what ?? 'records';
    const records: T[] = [];
    let url: string | undefined = this.#queryUrl(soql, options.includeDeleted);
    while (url) {
      const page: QueryPage<T> = await this.#request((conn) => conn.request<QueryPage<T>>(url!), what, 'read');
      records.push(...page.records.map((r) => this.#ns.incoming(r)));
      url = page.done ? undefined : page.nextRecordsUrl;
    }
    return records;
  }

  /** Per-record outcomes of one collection chunk, failures named by `label` with their index in the whole write. */
  #outcomes(type: string, chunk: readonly SObjectRecord[], results: CollectionResult[], base: number, label: RecordLabel, action: string): SaveOutcome[] {
    return results.map((result, i) =>
      result.success
        ? { id: result.id ?? (chunk[i].Id as string | undefined) ?? null, error: null }
        : { id: null, error: writeError(label(chunk[i], base + i), action, detailOf(result), type) },
    );
  }

  async #collection(
    method: 'POST' | 'PATCH',
    path: string,
    type: string,
    records: readonly SObjectRecord[],
    label: RecordLabel,
    action: string,
  ): Promise<SaveOutcome[]> {
    const outcomes: SaveOutcome[] = [];
    for (const [n, chunk] of chunks(records).entries()) {
      const body = this.#collectionBody(type, chunk);
      const results = await this.#request(
        (conn) => conn.request<CollectionResult[]>({ method, url: path, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
        `${chunk.length} ${type} record(s)`,
        action,
      );
      outcomes.push(...this.#outcomes(type, chunk, results, n * COLLECTION_LIMIT, label, action));
    }
    return outcomes;
  }

  /** POST /composite: one API call for all its subrequests; the caller reads each subresponse. */
  async #composite(
    subrequests: { method: string; url: string; body?: unknown; httpHeaders?: Record<string, string> }[],
    record: string,
    action: string,
    allOrNone = false,
  ): Promise<CompositeSubresponse[]> {
    const response = await this.#request(
      (conn) => {
        const base = `/services/data/v${conn.version}`;
        const body = { allOrNone, compositeRequest: subrequests.map((sub, i) => ({ ...sub, url: `${base}${sub.url}`, referenceId: `r${i}` })) };
        return conn.request<{ compositeResponse: CompositeSubresponse[] }>({ method: 'POST', url: '/composite', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
      },
      record,
      action,
    );
    return response.compositeResponse;
  }

  /**
   * Several independent SOQL queries in one /composite call: Salesforce counts it once, and the SOQL travels in
   * the body, so long IN lists cannot run into the 16 KB limit on a GET's URI. Pages after the first (results
   * over 2,000 rows) are read with plain GETs.
   */
  async queries<T extends SObjectRecord>(specs: readonly QuerySpec[]): Promise<T[][]> {
    const results: T[][] = [];
    for (const group of chunks(specs, COMPOSITE_COLLECTIONS_LIMIT)) {
      const what = group.map((q) => q.what ?? 'records').join(', ');
      const responses = await this.#composite(
        group.map((q) => ({ method: 'GET', url: this.#queryUrl(q.soql, q.includeDeleted) })),
        what,
        'read',
      );
      for (const [i, spec] of group.entries()) {
        const response = responses[i];
        if (response.httpStatusCode >= 400) throw writeError(spec.what ?? 'records', 'read', subrequestDetail(response));
        const page = response.body as QueryPage<T>;
        const records = [...page.records];
        let url = page.done ? undefined : page.nextRecordsUrl;
        while (url) {
          const next: QueryPage<T> = await this.#request((conn) => conn.request<QueryPage<T>>(url!), spec.what ?? 'records', 'read');
          records.push(...next.records);
          url = next.done ? undefined : next.nextRecordsUrl;
        }
        results.push(records.map((r) => this.#ns.incoming(r)));
      }
    }
    return results;
  }

  /**
   * Several independent collection writes in one /composite call (Salesforce counts it once), e.g. a batch's
   * contact roles, solutions and leads. Each record succeeds or fails on its own, exactly as with create, update
   * and upsert; a subrequest refused as a whole fails each of its records with that error.
   */
  async saveAll(specs: readonly SaveSpec[]): Promise<SaveOutcome[][]> {
    const parts = specs.flatMap((spec, index) => {
      const path = spec.operation === 'upsert' ? this.#upsertPath(spec.type, spec.externalIdField!) : '/composite/sobjects';
      const method = spec.operation === 'create' ? 'POST' : 'PATCH';
      const action = spec.operation === 'upsert' ? 'save' : spec.operation;
      return chunks(spec.records).map((chunk, n) => ({ index, spec, chunk, base: n * COLLECTION_LIMIT, path, method, action }));
    });
    const outcomes: SaveOutcome[][] = specs.map(() => []);
    for (const group of chunks(parts, COMPOSITE_COLLECTIONS_LIMIT)) {
      const responses = await this.#composite(
        group.map((part) => ({
          method: part.method,
          url: part.path,
          body: this.#collectionBody(part.spec.type, part.chunk),
        })),
        group.map((part) => `${part.chunk.length} ${part.spec.type} record(s)`).join(', '),
        'save',
      );
      for (const [i, part] of group.entries()) {
        const response = responses[i];
        const { type, label } = part.spec;
        if (response.httpStatusCode >= 400 || !Array.isArray(response.body)) {
          const error = writeError(`${part.chunk.length} ${type} record(s)`, part.action, subrequestDetail(response), type);
          outcomes[part.index].push(...part.chunk.map(() => ({ id: null, error })));
        } else {
          outcomes[part.index].push(...this.#outcomes(type, part.chunk, response.body as CollectionResult[], part.base, label, part.action));
        }
      }
    }
    return outcomes;
  }

  create(type: string, records: readonly SObjectRecord[], label: RecordLabel): Promise<SaveOutcome[]> {
    return this.#collection('POST', '/composite/sobjects', type, records, label, 'create');
  }

  /** Each record carries its Id; only the fields present are written (absolute values, so a retry is harmless). */
  update(type: string, records: readonly SObjectRecord[], label: RecordLabel): Promise<SaveOutcome[]> {
    return this.#collection('PATCH', '/composite/sobjects', type, records, label, 'update');
  }

  /**
   * PATCH one record through sObject Rows only if Salesforce has not modified it since `lastModified` (the
   * record's LastModifiedDate as read): the `If-Unmodified-Since` conditional request header, answered with
   * 412 Precondition Failed when the record changed (REST API Developer Guide, "Conditional Request Headers",
   * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/intro_rest_conditional_requests.htm).
   * The header is an HTTP-date, whole seconds: see conditional-writeback.ts for the same-second window.
   * Returns 'modified' on 412; any other refusal throws a SalesforceWriteError naming `record`.
   *
   * `alongside`: collection creates that belong to this write (the attempt's sync log and status event). They
   * travel in the same /composite call with allOrNone, so they cost no call of their own and are written exactly
   * when the record is: a 412 rolls them back with it (REST API Developer Guide, "Composite": allOrNone rolls the
   * whole request back when a subrequest fails; "Composite Subrequest": `httpHeaders` carries the subrequest's own
   * headers, here the conditional one). If one of them is refused, the record's PATCH is sent again alone and the
   * answer is 'saved-alone': the caller writes them its own way, so a bad sync log never costs the write-back.
   */
  async updateIfUnmodified(
    type: string,
    id: string,
    fields: SObjectRecord,
    lastModified: string,
    record: string,
    alongside: readonly SaveSpec[] = [],
  ): Promise<'saved' | 'modified' | 'saved-alone'> {
    const ms = Date.parse(lastModified);
    if (Number.isNaN(ms)) throw new RangeError(`updateIfUnmodified needs the record's LastModifiedDate, got ${JSON.stringify(lastModified)}`);
    const parts = alongside.filter((spec) => spec.records.length > 0);
    if (parts.length > 0 && parts.every((spec) => spec.operation === 'create' && spec.records.length <= COLLECTION_LIMIT) && parts.length < COMPOSITE_COLLECTIONS_LIMIT) {
      const responses = await this.#composite(
        [
          {
            method: 'PATCH',
            url: `/sobjects/${this.#ns.name(type)}/${encodeURIComponent(id)}`,
            body: this.#ns.outgoing(withoutId(fields)),
            httpHeaders: { 'If-Unmodified-Since': httpDate(ms) },
          },
          ...parts.map((spec) => ({ method: 'POST', url: '/composite/sobjects', body: this.#collectionBody(spec.type, spec.records) })),
        ],
        record,
        'update',
        true,
      );
      const [own, ...rest] = responses;
      if (own.httpStatusCode === 412) return 'modified';
      const refusedAlone = own.httpStatusCode >= 400 && subrequestDetail(own).statusCode !== 'PROCESSING_HALTED';
      if (refusedAlone) throw writeError(record, 'update', subrequestDetail(own), type);
      const othersFailed = own.httpStatusCode >= 400 || rest.some((r) => r.httpStatusCode >= 400 || (Array.isArray(r.body) && (r.body as CollectionResult[]).some((x) => !x.success)));
      if (!othersFailed) return 'saved';
      const alone = await this.updateIfUnmodified(type, id, fields, lastModified, record);
      return alone === 'saved' ? 'saved-alone' : alone;
    }
    let status = 0;
    try {
      await this.#request(
        (conn) => {
          const api = new HttpApi(conn, {});
          api.on('response', (response: { statusCode: number }) => (status = response.statusCode));
          return api.request({
            method: 'PATCH',
            url: `${conn.instanceUrl}/services/data/v${conn.version}/sobjects/${this.#ns.name(type)}/${encodeURIComponent(id)}`,
            body: JSON.stringify(this.#ns.outgoing(withoutId(fields))),
            headers: { 'content-type': 'application/json', 'if-unmodified-since': httpDate(ms) },
          });
        },
        record,
        'update',
      );
      return parts.length > 0 ? 'saved-alone' : 'saved';
    } catch (error) {
      if (status === 412) return 'modified';
      throw error;
    }
  }

  /** Insert or update by an external id field: running it twice leaves one record. */
  upsert(type: string, externalIdField: string, records: readonly SObjectRecord[], label: RecordLabel): Promise<SaveOutcome[]> {
    return this.#collection('PATCH', this.#upsertPath(type, externalIdField), type, records, label, 'save');
  }

  #upsertPath(type: string, externalIdField: string): string {
    return `/composite/sobjects/${this.#ns.name(type)}/${this.#ns.name(externalIdField)}`;
  }

  /** Platform events are published by creating event records. */
  publish(eventType: string, events: readonly SObjectRecord[]): Promise<SaveOutcome[]> {
    return this.create(eventType, events, () => `a ${eventType} event`);
  }

  /** The newest active Partner_Center_Settings__c record, or null when the admin has not saved one yet. */
  async settingsRecord(): Promise<SObjectRecord | null> {
    const fields = ['Id', 'Name', ...Object.values(SETTINGS_RECORD_FIELDS)];
    const [record] = await this.query(
      `SELECT ${fields.join(', ')} FROM Partner_Center_Settings__c WHERE Active__c = TRUE ORDER BY LastModifiedDate DESC LIMIT 1`,
      { what: 'the Partner Center settings' },
    );
    return record ?? null;
  }

  /** Whether multi-currency is on (Opportunity has CurrencyIsoCode) and the corporate currency. */
  async orgContext(): Promise<OrgContext> {
    const describe = await this.#request((conn) => conn.describe('Opportunity'), 'the Opportunity object', 'describe');
    const multiCurrency = describe.fields.some((f) => f.name === 'CurrencyIsoCode');
    let orgCurrency: string | undefined;
    try {
      const [org] = await this.query<{ DefaultCurrencyIsoCode?: string }>('SELECT DefaultCurrencyIsoCode FROM Organization LIMIT 1', {
        what: 'the organization',
      });
      orgCurrency = org?.DefaultCurrencyIsoCode ?? undefined;
    } catch {
      // Without it the engine asks for a currency on the opportunity: a clear message, not a failure here.
    }
    return { multiCurrency, ...(orgCurrency ? { orgCurrency } : {}) };
  }
}
