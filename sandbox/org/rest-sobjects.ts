/**
 * sObject resources: describeGlobal, describe, create, rows by id, rows by external id (get, upsert, delete),
 * relationship traversal, and the updated/deleted replication endpoints.
 */
import { ApiError, DmlError, MultipleMatchError, dmlToApiError, notFound } from './errors.js';
import { describeGlobal, describeObject } from './describe.js';
import { normalizeId } from './ids.js';
import type { Org } from './org.js';
import { bodyObject, objectOr404, recordUrl, single } from './rest-common.js';
import type { RestRequest, RestResponse, RestRouter } from './rest-router.js';
import type { ObjectDef } from './schema-types.js';
import { formatDatetime, parseDatetime } from './values.js';

const soqlString = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

export function registerSobjectRoutes(router: RestRouter, org: Org): void {
  const describeDeps = { schema: org.schema, users: org.users, picklistValues: (f: Parameters<typeof org.dml.picklistValues>[0]) => org.dml.picklistValues(f) };

  /** One row as GET /sobjects/{type}/{id} returns it: all fields (or ?fields=), via the query engine. */
  const readRow = (req: RestRequest, obj: ObjectDef, id: string): RestResponse => {
    const row = org.store.get(id);
    if (!row || row.type !== obj.name) throw notFound();
    if (row.deleted) throw new ApiError(404, 'ENTITY_IS_DELETED', 'entity is deleted');
    const fields = req.query.get('fields');
    const list = fields ? fields.split(',').map((f) => f.trim()).filter(Boolean) : obj.fields.map((f) => f.name);
    const page = org.queries.execute(`SELECT ${list.join(', ')} FROM ${obj.name} WHERE Id = '${id}'`, { version: req.version });
    return { status: 200, body: page.records[0] };
  };

  /** Resolves `/sobjects/{type}/{id}`: a malformed id is read as an unknown external id field, as Salesforce does. */
  const rowId = (obj: ObjectDef, raw: string): string => {
    const id = normalizeId(raw);
    if (!id) throw notFound(`Provided external ID field does not exist or is not accessible: ${raw}`);
    if (id.slice(0, 3) !== obj.keyPrefix) throw notFound();
    const row = org.store.get(id);
    if (!row) throw notFound();
    if (row.deleted) throw new ApiError(404, 'ENTITY_IS_DELETED', 'entity is deleted');
    return id;
  };

  const byExternalId = (req: RestRequest, obj: ObjectDef, field: string, value: string): string[] => {
    try {
      return org.dml.findByExternalId(obj.name, field, value);
    } catch (err) {
      if (err instanceof DmlError) throw dmlToApiError(err, err.errorCode === 'NOT_FOUND' ? 404 : 400);
      throw err;
    }
  };

  const multipleChoices = (req: RestRequest, obj: ObjectDef, ids: string[]): RestResponse => ({
    status: 300,
    body: ids.map((id) => recordUrl(req.version, obj.name, id)),
  });

  router
    .add('GET', '/sobjects', (req) => ({ status: 200, body: describeGlobal(org.schema, org.users, req.actor.user, req.version) }))
    .add('GET', '/sobjects/:type', (req, p) => {
      const obj = objectOr404(org, p.type);
      const full = describeObject(obj, req.actor.user, req.version, describeDeps);
      const objectDescribe = Object.fromEntries(Object.entries(full).filter(([k]) => !['fields', 'childRelationships', 'recordTypeInfos', 'actionOverrides', 'namedLayoutInfos', 'supportedScopes'].includes(k)));
      return { status: 200, body: { objectDescribe, recentItems: [] } };
    })
    .add('GET', '/sobjects/:type/describe', (req, p) => ({
      status: 200,
      body: describeObject(objectOr404(org, p.type), req.actor.user, req.version, describeDeps),
    }))
    .add('POST', '/sobjects/:type', (req, p) => {
      const obj = objectOr404(org, p.type);
      const id = single(() => org.dml.create(req.actor, obj.name, bodyObject(req)));
      return { status: 201, body: { id, success: true, errors: [] }, headers: { Location: recordUrl(req.version, obj.name, id) } };
    })
    .add('GET', '/sobjects/:type/updated', (req, p) => replication(org, req, objectOr404(org, p.type), 'updated'))
    .add('GET', '/sobjects/:type/deleted', (req, p) => replication(org, req, objectOr404(org, p.type), 'deleted'))
    .add('GET', '/sobjects/:type/:id', (req, p) => {
      const obj = objectOr404(org, p.type);
      return readRow(req, obj, rowId(obj, p.id));
    })
    .add('PATCH', '/sobjects/:type/:id', (req, p) => {
      const obj = objectOr404(org, p.type);
      const id = rowId(obj, p.id);
      // The check and the update run in one synchronous step: no other request can land between them.
      if (modifiedSince(req, org.store.get(id)!.data.LastModifiedDate)) return { status: 412 };
      single(() => org.dml.update(req.actor, obj.name, id, bodyObject(req)));
      return { status: 204 };
    })
    .add('DELETE', '/sobjects/:type/:id', (req, p) => {
      const obj = objectOr404(org, p.type);
      const id = rowId(obj, p.id);
      single(() => org.dml.remove(req.actor, obj.name, id));
      return { status: 204 };
    })
    .add('GET', '/sobjects/:type/:field/:value', (req, p) => {
      const obj = objectOr404(org, p.type);
      const id = normalizeId(p.field);
      // `/sobjects/Opportunity/{id}/OpportunityContactRoles` walks a relationship; anything else is an external id.
      if (id && org.store.get(id)?.type === obj.name) return traverse(org, req, obj, rowId(obj, p.field), p.value);
      const ids = byExternalId(req, obj, p.field, p.value);
      if (ids.length === 0) throw notFound();
      if (ids.length > 1) return multipleChoices(req, obj, ids);
      return readRow(req, obj, ids[0]);
    })
    .add('PATCH', '/sobjects/:type/:field/:value', (req, p) => {
      const obj = objectOr404(org, p.type);
      const body = bodyObject(req);
      if (req.query.get('updateOnly') === 'true' && byExternalId(req, obj, p.field, p.value).length === 0) throw notFound();
      try {
        const result = org.dml.upsert(req.actor, obj.name, p.field, p.value, body);
        return { status: result.created ? 201 : 200, body: { id: result.id, success: true, errors: [], created: result.created } };
      } catch (err) {
        if (err instanceof MultipleMatchError) return multipleChoices(req, obj, err.ids);
        if (err instanceof DmlError) throw dmlToApiError(err, err.errorCode === 'NOT_FOUND' ? 404 : 400);
        throw err;
      }
    })
    .add('DELETE', '/sobjects/:type/:field/:value', (req, p) => {
      const obj = objectOr404(org, p.type);
      const ids = byExternalId(req, obj, p.field, p.value);
      if (ids.length === 0) throw notFound();
      if (ids.length > 1) return multipleChoices(req, obj, ids);
      single(() => org.dml.remove(req.actor, obj.name, ids[0]));
      return { status: 204 };
    });

  function traverse(orgRef: Org, req: RestRequest, obj: ObjectDef, id: string, relName: string): RestResponse {
    const child = orgRef.schema.childRelationship(obj, relName);
    if (child) {
      const fields = child.child.fields.map((f) => f.name).join(', ');
      const page = orgRef.queries.execute(`SELECT ${fields} FROM ${child.child.name} WHERE ${child.field.name} = ${soqlString(id)}`, { version: req.version });
      return { status: 200, body: page };
    }
    const parent = orgRef.schema.parentRelationship(obj, relName);
    if (!parent) throw notFound();
    const parentId = orgRef.store.get(id)?.data[parent.field.name];
    if (typeof parentId !== 'string') throw notFound();
    return readRow(req, parent.target, parentId);
  }
}

/**
 * `If-Unmodified-Since` on an sObject Rows request (REST API Developer Guide, "Conditional Request Headers",
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/intro_rest_conditional_requests.htm):
 * the request is processed only if the record has not been modified since the date, compared with the record's
 * last modified date; otherwise 412 Precondition Failed and nothing is written. An invalid value on a PATCH is a
 * 400. The value is an HTTP-date (RFC 9110 §13.1.4), whole seconds, so the record's date is compared at that
 * resolution: a change within the same second as the date is not seen, as the header cannot express it. The
 * guide shows no body for the 412; this org sends none, so a client can only go by the status.
 */
function modifiedSince(req: RestRequest, lastModified: unknown): boolean {
  const header = req.headers['if-unmodified-since'];
  if (header === undefined) return false;
  // IMF-fixdate only (the form RFC 9110 says senders must generate), e.g. "Sun, 06 Nov 1994 08:49:37 GMT".
  const since = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(header)
    ? Date.parse(header)
    : Number.NaN;
  if (Number.isNaN(since)) throw new ApiError(400, 'INVALID_HEADER_TYPE', `If-Unmodified-Since: not an HTTP-date: ${header}`);
  const modified = parseDatetime(String(lastModified)) ?? 0;
  return Math.floor(modified / 1000) * 1000 > since;
}

/** GET /sobjects/{type}/updated|deleted?start=&end= — ids changed or deleted in a window (replication API). */
function replication(org: Org, req: RestRequest, obj: ObjectDef, kind: 'updated' | 'deleted'): RestResponse {
  const start = parseDatetime(req.query.get('start') ?? '');
  const end = parseDatetime(req.query.get('end') ?? '');
  if (start === null || end === null || end < start) {
    throw new ApiError(400, 'INVALID_REPLICATION_DATE', 'start date must be before end date and both must be valid dateTime values');
  }
  const rows = org.store.list(obj.name, true);
  if (kind === 'updated') {
    const ids = rows
      .filter((r) => !r.deleted)
      .filter((r) => { const t = parseDatetime(String(r.data.SystemModstamp)) ?? 0; return t >= start && t < end; })
      .map((r) => r.id);
    return { status: 200, body: { ids, latestDateCovered: formatDatetime(end) } };
  }
  const deletedRecords = rows
    .filter((r) => r.deleted && r.deletedAt)
    .filter((r) => { const t = parseDatetime(String(r.deletedAt)) ?? 0; return t >= start && t < end; })
    .map((r) => ({ id: r.id, deletedDate: r.deletedAt }));
  return { status: 200, body: { deletedRecords, earliestDateAvailable: formatDatetime(start), latestDateCovered: formatDatetime(end) } };
}
