/**
 * The connector's only door to Salesforce: SOQL (paged, optionally including deleted rows), and writes as
 * sObject Collections of up to 200 records per call with allOrNone=false, so one bad record fails alone and a
 * batch of referrals costs a handful of API calls. Every record-level failure comes back as a
 * SalesforceWriteError naming the record; nothing here decides what to do about it.
 */
import type { Connection } from 'jsforce';
import { SETTINGS_RECORD_FIELDS } from '../engine/settings.js';
import type { OrgContext } from '../engine/salesforce-records.js';
import { fromJsforceError, writeError, type SalesforceErrorDetail, type SalesforceWriteError } from './errors.js';

/** Salesforce's limit for one sObject Collections request. */
export const COLLECTION_LIMIT = 200;

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

  /** `connect` is called lazily and again after a failed login, so a Salesforce outage at start-up is not fatal. */
  constructor(private readonly connect: () => Promise<Connection>) {}

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
    let url: string | undefined = `/${options.includeDeleted ? 'queryAll' : 'query'}?q=${encodeURIComponent(soql)}`;
    while (url) {
      const page: QueryPage<T> = await this.#request((conn) => conn.request<QueryPage<T>>(url!), what, 'read');
      records.push(...page.records);
      url = page.done ? undefined : page.nextRecordsUrl;
    }
    return records;
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
    let offset = 0;
    for (const chunk of chunks(records)) {
      const base = offset;
      const body = { allOrNone: false, records: chunk.map((r) => ({ attributes: { type }, ...r })) };
      const results = await this.#request(
        (conn) => conn.request<CollectionResult[]>({ method, url: path, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
        `${chunk.length} ${type} record(s)`,
        action,
      );
      results.forEach((result, i) => {
        outcomes.push(
          result.success
            ? { id: result.id ?? (chunk[i].Id as string | undefined) ?? null, error: null }
            : { id: null, error: writeError(label(chunk[i], base + i), action, detailOf(result), type) },
        );
      });
      offset += chunk.length;
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

  /** Insert or update by an external id field: running it twice leaves one record. */
  upsert(type: string, externalIdField: string, records: readonly SObjectRecord[], label: RecordLabel): Promise<SaveOutcome[]> {
    return this.#collection('PATCH', `/composite/sobjects/${type}/${externalIdField}`, type, records, label, 'save');
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
