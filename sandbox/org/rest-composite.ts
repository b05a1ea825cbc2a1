/**
 * Composite resources.
 * - sObject Collections (/composite/sobjects): create, update, upsert by external id, delete and retrieve up to 200
 *   records; per-record results `{id, success, errors:[{statusCode, message, fields}]}`; with allOrNone every record
 *   fails once one fails (the others with ALL_OR_NONE_OPERATION_ROLLED_BACK) and nothing is written.
 * - /composite: up to 25 subrequests (at most 5 of them queries or sObject Collections) run in order through the
 *   same handlers; `@{ref.field}` references earlier results; allOrNone runs them in one transaction and rolls
 *   everything back on the first failure.
 */
import type { Actor } from './automation.js';
import { ApiError, DmlError, toCollectionErrors, type SfError } from './errors.js';
import { normalizeId } from './ids.js';
import type { Org } from './org.js';
import { bodyObject, objectOr404 } from './rest-common.js';
import type { RestRequest, RestResponse, RestRouter } from './rest-router.js';
import type { Stats } from './stats.js';

const MAX_RECORDS = 200;
const MAX_SUBREQUESTS = 25;
/** Of the 25, at most 5 may be queries (Query, QueryAll, query-more) or sObject Collections. */
const MAX_COLLECTION_SUBREQUESTS = 5;
const COLLECTION_OR_QUERY = /^\/services\/data\/v\d+\.\d\/(query|queryAll|composite\/sobjects)(\/|\?|$)/i;
/** Internal marker header set on subrequests of an all-or-none composite call (stripped from client requests). */
export const FORCE_ALL_OR_NONE = 'x-local-composite-all-or-none';

interface SaveResult {
  id?: string;
  success: boolean;
  errors: ReturnType<typeof toCollectionErrors>;
  created?: boolean;
}

const tooMany = (): ApiError =>
  new ApiError(400, 'EXCEEDED_ID_LIMIT', `record limit reached. cannot submit more than ${MAX_RECORDS} records into this call`);

const ROLLED_BACK = {
  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
  fields: [] as string[],
};

/** Thrown inside an all-or-none transaction to undo it; carries the per-record results to report. */
class RollBack extends Error {
  constructor(readonly results: SaveResult[]) {
    super('all or none rolled back');
  }
}

/**
 * Runs one operation per item, each in its own savepoint. With allOrNone the whole batch shares a transaction
 * that is rolled back when any item fails.
 */
function runCollection<T>(org: Org, items: T[], allOrNone: boolean, op: (item: T, index: number) => SaveResult): SaveResult[] {
  // A rolled-back record that already existed keeps its id in the result; one that was being created has none.
  const rolledBack = (r: SaveResult): SaveResult =>
    r.success ? { ...(r.id && r.created === undefined ? { id: r.id } : {}), success: false, errors: [ROLLED_BACK] } : r;
  const attempt = (): SaveResult[] => items.map((item, i) => {
    try {
      return op(item, i);
    } catch (err) {
      if (!(err instanceof DmlError)) throw err;
      return { success: false, errors: toCollectionErrors(err.errors) };
    }
  });
  if (!allOrNone) return attempt();
  try {
    return org.store.transaction(() => {
      const results = attempt();
      if (results.some((r) => !r.success)) throw new RollBack(results);
      return results;
    });
  } catch (err) {
    if (!(err instanceof RollBack)) throw err;
    return err.results.map(rolledBack);
  }
}

function recordsOf(req: RestRequest): { records: Record<string, unknown>[]; allOrNone: boolean } {
  const body = bodyObject(req);
  if (!Array.isArray(body.records)) throw new ApiError(400, 'JSON_PARSER_ERROR', "The request body must contain a 'records' array");
  if (body.records.length > MAX_RECORDS) throw tooMany();
  // Inside an all-or-none /composite call the outer flag overrides the collection's own.
  const forced = req.headers[FORCE_ALL_OR_NONE] === 'true';
  return { records: body.records as Record<string, unknown>[], allOrNone: forced || body.allOrNone === true };
}

function typeOf(rec: Record<string, unknown>): string {
  const attrs = rec.attributes as { type?: unknown } | undefined;
  if (!attrs || typeof attrs.type !== 'string') {
    throw new DmlError('INVALID_FIELD', 'No type was specified for the record: each record needs attributes.type');
  }
  return attrs.type;
}

function withoutKeys(rec: Record<string, unknown>, ...keys: string[]): Record<string, unknown> {
  const lower = keys.map((k) => k.toLowerCase());
  return Object.fromEntries(Object.entries(rec).filter(([k]) => !lower.includes(k.toLowerCase())));
}

export function registerCompositeRoutes(router: RestRouter, org: Org, stats: Stats): void {
  router
    .add('POST', '/composite/sobjects', (req) => {
      const { records, allOrNone } = recordsOf(req);
      return {
        status: 200,
        // Create results carry no `created` flag on the wire; it only steers the rollback above.
        body: runCollection(org, records, allOrNone, (rec) => {
          if (Object.keys(rec).some((k) => k.toLowerCase() === 'id')) {
            throw new DmlError('INVALID_FIELD', 'cannot specify Id in an insert call', ['Id']);
          }
          return { id: org.dml.create(req.actor, typeOf(rec), withoutKeys(rec, 'attributes')), success: true, errors: [], created: true };
        }).map(({ created: _created, ...result }) => result),
      };
    })
    .add('PATCH', '/composite/sobjects', (req) => {
      const { records, allOrNone } = recordsOf(req);
      return {
        status: 200,
        body: runCollection(org, records, allOrNone, (rec) => {
          const type = typeOf(rec);
          const rawId = rec.id ?? rec.Id;
          if (typeof rawId !== 'string') throw new DmlError('MISSING_ARGUMENT', 'Id not specified in an update call', ['Id']);
          const obj = org.dml.objectFor(type);
          const id = org.dml.liveRow(obj, rawId).id;
          org.dml.update(req.actor, type, id, withoutKeys(rec, 'attributes', 'id'));
          return { id, success: true, errors: [] };
        }),
      };
    })
    .add('DELETE', '/composite/sobjects', (req) => {
      const ids = (req.query.get('ids') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
      if (ids.length === 0) throw new ApiError(400, 'MISSING_ARGUMENT', 'ids parameter is required');
      if (ids.length > MAX_RECORDS) throw tooMany();
      const results = runCollection(org, ids, req.query.get('allOrNone') === 'true', (raw) => {
        const id = normalizeId(raw);
        const obj = id ? org.schema.objectForId(id) : undefined;
        if (!id || !obj) throw new DmlError('MALFORMED_ID', `malformed id ${raw}`);
        org.dml.remove(req.actor, obj.name, id);
        return { id, success: true, errors: [] };
      });
      // Failed deletes still name the id they were about.
      return { status: 200, body: results.map((r, i) => ({ id: r.id ?? normalizeId(ids[i]) ?? ids[i], success: r.success, errors: r.errors })) };
    })
    .add('GET', '/composite/sobjects/:type', (req, p) => retrieve(org, req, p.type, req.query.get('ids')?.split(',') ?? [], req.query.get('fields')?.split(',') ?? []))
    .add('POST', '/composite/sobjects/:type', (req, p) => {
      const body = bodyObject(req);
      const ids = Array.isArray(body.ids) ? body.ids.map(String) : [];
      const fields = Array.isArray(body.fields) ? body.fields.map(String) : [];
      return retrieve(org, req, p.type, ids, fields);
    })
    .add('PATCH', '/composite/sobjects/:type/:field', (req, p) => {
      const obj = objectOr404(org, p.type);
      const { records, allOrNone } = recordsOf(req);
      const keyOf = (rec: Record<string, unknown>): string | undefined => {
        const k = Object.keys(rec).find((x) => x.toLowerCase() === p.field.toLowerCase());
        return k === undefined || rec[k] === null || rec[k] === undefined ? undefined : String(rec[k]);
      };
      const counts = new Map<string, number>();
      for (const rec of records) {
        const key = keyOf(rec)?.toLowerCase();
        if (key !== undefined) counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      return {
        status: 200,
        body: runCollection(org, records, allOrNone, (rec) => {
          if (typeOf(rec).toLowerCase() !== obj.name.toLowerCase()) {
            throw new DmlError('INVALID_FIELD', `The record type ${typeOf(rec)} does not match the URL type ${obj.name}`);
          }
          const key = keyOf(rec);
          if (key === undefined) throw new DmlError('MISSING_ARGUMENT', `${p.field} not specified`, [p.field]);
          if ((counts.get(key.toLowerCase()) ?? 0) > 1) {
            throw new DmlError('DUPLICATE_EXTERNAL_ID', `Duplicate external id specified: ${key}`, [p.field]);
          }
          const result = org.dml.upsert(req.actor, obj.name, p.field, key, withoutKeys(rec, 'attributes'));
          return { id: result.id, success: true, errors: [], created: result.created };
        }),
      };
    })
    .add('POST', '/composite', (req) => composite(org, router, stats, req));
}

/** POST /composite/sobjects/{type} {ids, fields}: the rows in the order asked, null where not found. */
function retrieve(org: Org, req: RestRequest, type: string, rawIds: string[], fields: string[]): RestResponse {
  const obj = objectOr404(org, type);
  if (rawIds.length > 2000) throw tooMany();
  if (fields.length === 0) throw new ApiError(400, 'MISSING_ARGUMENT', 'fields parameter is required');
  const ids = rawIds.map((r) => normalizeId(r.trim()));
  const wanted = ids.filter((x): x is string => x !== null);
  const quoted = wanted.map((id) => `'${id}'`).join(', ');
  const page = wanted.length === 0
    ? { records: [] as Record<string, unknown>[] }
    : org.queries.execute(`SELECT ${fields.join(', ')} FROM ${obj.name} WHERE Id IN (${quoted})`, { version: req.version });
  const byId = new Map(page.records.map((r) => [String((r.attributes as { url: string }).url.split('/').pop()), r]));
  return { status: 200, body: ids.map((id) => (id ? byId.get(id) ?? null : null)) };
}

interface Subrequest {
  method: string;
  url: string;
  referenceId: string;
  body?: unknown;
  httpHeaders?: Record<string, string>;
}

interface SubResult {
  body: unknown;
  httpHeaders: Record<string, string>;
  httpStatusCode: number;
  referenceId: string;
}

const REF_ID = /^[A-Za-z0-9_]+$/;

/** A subrequest failed: an error status, or a collection result with a failed record. */
const failed = (r: SubResult): boolean =>
  r.httpStatusCode >= 400 || (Array.isArray(r.body) && r.body.some((x) => x && typeof x === 'object' && (x as { success?: unknown }).success === false));

/** Replaces `@{ref.path}` in a string from earlier results; null when a reference cannot be resolved. */
function substitute(text: string, results: Map<string, SubResult>): { text: string; missing: string | null } {
  let missing: string | null = null;
  const out = text.replace(/@\{([A-Za-z0-9_]+)((?:\.[A-Za-z0-9_]+|\[\d+\])*)\}/g, (whole, ref: string, path: string) => {
    const result = results.get(ref);
    let value: unknown = result && result.httpStatusCode < 300 ? result.body : undefined;
    for (const step of path.match(/\.[A-Za-z0-9_]+|\[\d+\]/g) ?? []) {
      if (value === null || value === undefined) break;
      value = step.startsWith('[') ? (value as unknown[])[Number(step.slice(1, -1))] : (value as Record<string, unknown>)[step.slice(1)];
    }
    if (value === undefined || value === null || typeof value === 'object') {
      missing = `${ref}${path}`;
      return whole;
    }
    return String(value);
  });
  return { text: out, missing };
}

function resolveRefs(value: unknown, results: Map<string, SubResult>): { value: unknown; missing: string | null } {
  if (typeof value === 'string') {
    const r = substitute(value, results);
    return { value: r.text, missing: r.missing };
  }
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const v of value) {
      const r = resolveRefs(v, results);
      if (r.missing) return r;
      out.push(r.value);
    }
    return { value: out, missing: null };
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const r = resolveRefs(v, results);
      if (r.missing) return r;
      out[k] = r.value;
    }
    return { value: out, missing: null };
  }
  return { value, missing: null };
}

const halted = (message: string): SfError[] => [{ errorCode: 'PROCESSING_HALTED', message }];

function composite(org: Org, router: RestRouter, stats: Stats, req: RestRequest): RestResponse {
  const body = bodyObject(req);
  const subs = body.compositeRequest;
  if (!Array.isArray(subs) || subs.length === 0) throw new ApiError(400, 'JSON_PARSER_ERROR', "The request body must contain a 'compositeRequest' array");
  if (subs.length > MAX_SUBREQUESTS) throw new ApiError(400, 'INVALID_BATCH_REQUEST', `Composite requests cannot have more than ${MAX_SUBREQUESTS} subrequests`);
  const seen = new Set<string>();
  for (const s of subs as Subrequest[]) {
    if (!s || typeof s.method !== 'string' || typeof s.url !== 'string' || typeof s.referenceId !== 'string') {
      throw new ApiError(400, 'JSON_PARSER_ERROR', 'Each subrequest needs method, url and referenceId');
    }
    if (!REF_ID.test(s.referenceId)) throw new ApiError(400, 'INVALID_INPUT', `Invalid referenceId: ${s.referenceId}; use only letters, numbers and underscores`);
    if (seen.has(s.referenceId)) throw new ApiError(400, 'INVALID_INPUT', `Duplicate referenceId provided in the request: ${s.referenceId}`);
    seen.add(s.referenceId);
  }
  const heavy = (subs as Subrequest[]).filter((s) => COLLECTION_OR_QUERY.test(s.url)).length;
  if (heavy > MAX_COLLECTION_SUBREQUESTS) {
    throw new ApiError(400, 'INVALID_BATCH_REQUEST', `Composite requests cannot have more than ${MAX_COLLECTION_SUBREQUESTS} query or sObject Collections subrequests; this one has ${heavy}`);
  }
  const allOrNone = body.allOrNone === true;
  const results = new Map<string, SubResult>();
  const list: SubResult[] = [];

  const runOne = (s: Subrequest): SubResult => {
    stats.recordSubrequest();
    const url = resolveRefs(s.url, results);
    const payload = resolveRefs(s.body, results);
    const missing = url.missing ?? payload.missing;
    if (missing) {
      return { body: halted(`Invalid reference specified. No value for ${missing} found in ${s.referenceId}. Provided referenceId ('${missing.split(/[.[]/)[0]}') is either not valid or the referenced subrequest failed.`), httpHeaders: {}, httpStatusCode: 400, referenceId: s.referenceId };
    }
    const headers = { ...(s.httpHeaders ?? {}), ...(allOrNone ? { [FORCE_ALL_OR_NONE]: 'true' } : {}) };
    const res = dispatchSub(router, req.actor, s.method.toUpperCase(), String(url.value), payload.value, headers);
    return { body: res.body ?? null, httpHeaders: res.headers ?? {}, httpStatusCode: res.status, referenceId: s.referenceId };
  };

  if (!allOrNone) {
    for (const s of subs as Subrequest[]) {
      const r = runOne(s);
      results.set(s.referenceId, r);
      list.push(r);
    }
    return { status: 200, body: { compositeResponse: list } };
  }

  let failedAt = -1;
  try {
    org.store.transaction(() => {
      (subs as Subrequest[]).forEach((s, i) => {
        const r = runOne(s);
        results.set(s.referenceId, r);
        list.push(r);
        if (failed(r)) {
          failedAt = i;
          throw new RollBack([]);
        }
      });
    });
  } catch (err) {
    if (!(err instanceof RollBack)) throw err;
  }
  if (failedAt < 0) return { status: 200, body: { compositeResponse: list } };
  const rolledBack = halted('The transaction was rolled back since another operation in the same transaction failed.');
  const response = (subs as Subrequest[]).map((s, i) =>
    i === failedAt ? list[i] : { body: rolledBack, httpHeaders: {}, httpStatusCode: 400, referenceId: s.referenceId });
  return { status: 200, body: { compositeResponse: response } };
}

/** Runs a subrequest URL (`/services/data/vXX.X/...`) through the REST router as the calling user. */
function dispatchSub(router: RestRouter, actor: Actor, method: string, url: string, body: unknown, headers: Record<string, string>): RestResponse {
  const parsed = new URL(url, 'http://composite.local');
  const m = /^\/services\/data\/v(\d+\.\d)(\/.*)?$/.exec(parsed.pathname);
  if (!m) return { status: 404, body: [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }] };
  if (m[2]?.startsWith('/composite') && !m[2].startsWith('/composite/sobjects')) {
    return { status: 400, body: [{ errorCode: 'INVALID_INPUT', message: 'Composite subrequests cannot be composite requests' }] };
  }
  const lowered = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  try {
    return router.dispatch({ method, path: m[2] ?? '/', query: parsed.searchParams, body, headers: lowered, version: m[1], actor });
  } catch (err) {
    if (err instanceof ApiError) return { status: err.statusCode, body: err.body() };
    throw err;
  }
}
