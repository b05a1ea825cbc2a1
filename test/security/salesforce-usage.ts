/**
 * What the connector does in Salesforce, as object and field access: the SOQL it runs (parsed with soql-parser-js,
 * the parser the local org runs SOQL with, and resolved against the local org's schema, so `Account.Name` on an
 * opportunity reads Account.Name) and the records it writes (from the REST requests it sends). Then, what a
 * permission set must grant for that: which fields the platform puts under field-level security at all.
 */
import soql from 'soql-parser-js';
import type { FieldType, OrderByClause, Query, Subquery, WhereClause } from 'soql-parser-js';
import { createSchema } from '../../sandbox/org/schema.js';
import type { FieldDef, ObjectDef } from '../../sandbox/org/schema-types.js';

export type Operation = 'create' | 'update' | 'upsert';

/** Everything used, keyed `Object.Field` (fields) or `Object` (objects). */
export interface Usage {
  readFields: Set<string>;
  writtenFields: Set<string>;
  readObjects: Set<string>;
  created: Set<string>;
  edited: Set<string>;
}

export const emptyUsage = (): Usage => ({ readFields: new Set(), writtenFields: new Set(), readObjects: new Set(), created: new Set(), edited: new Set() });

const schema = createSchema();

/** Objects outside the local org's schema that the connector reads (Organization: the corporate currency). */
const OUTSIDE_SCHEMA = new Set(['Organization']);

function objectNamed(name: string): ObjectDef | null {
  const def = schema.object(name);
  if (!def && !OUTSIDE_SCHEMA.has(name)) throw new Error(`the connector queries ${name}, which the local org does not know`);
  return def ?? null;
}

/** `Account.Name` from Opportunity: walk the parent relationships, record each object and the final field. */
function readPath(usage: Usage, from: string, path: string): void {
  const parts = path.split('.');
  let current = from;
  for (const relationship of parts.slice(0, -1)) {
    const def = objectNamed(current);
    const parent = def && schema.parentRelationship(def, relationship);
    if (!parent) throw new Error(`${current} has no relationship ${relationship} (in ${path})`);
    usage.readFields.add(`${def.name}.${parent.field.name}`);
    current = parent.target.name;
    usage.readObjects.add(current);
  }
  const def = objectNamed(current);
  const field = def ? schema.field(def, parts.at(-1)!) : null;
  if (def && !field) throw new Error(`${current} has no field ${parts.at(-1)} (in ${path})`);
  usage.readFields.add(`${def?.name ?? current}.${field?.name ?? parts.at(-1)}`);
}

function whereFields(where: WhereClause | undefined | null): string[] {
  if (!where) return [];
  const left = where.left as { field?: string } | null;
  return [...(left?.field ? [left.field] : []), ...('right' in where ? whereFields(where.right) : [])];
}

function orderFields(orderBy: OrderByClause | OrderByClause[] | undefined): string[] {
  return (Array.isArray(orderBy) ? orderBy : orderBy ? [orderBy] : []).flatMap((o) => ('field' in o ? [o.field] : []));
}

function readQuery(usage: Usage, object: string, query: Query | Subquery): void {
  usage.readObjects.add(object);
  for (const field of (query.fields ?? []) as FieldType[]) {
    if (field.type === 'Field') readPath(usage, object, field.field);
    else if (field.type === 'FieldRelationship') readPath(usage, object, [...field.relationships, field.field].join('.'));
    else if (field.type === 'FieldSubquery') {
      const child = schema.childRelationship(schema.require(object), field.subquery.relationshipName);
      if (!child) throw new Error(`${object} has no child relationship ${field.subquery.relationshipName}`);
      // Reading children also reads their link to the parent.
      usage.readFields.add(`${child.child.name}.${child.field.name}`);
      readQuery(usage, child.child.name, field.subquery);
    } else throw new Error(`unexpected ${field.type} in the connector's SOQL`);
  }
  // Filtering and sorting on a field needs read access to it as much as selecting it does.
  for (const path of [...whereFields(query.where), ...orderFields(query.orderBy)]) readPath(usage, object, path);
}

export function addSoql(usage: Usage, text: string): void {
  const query = soql.parseQuery(text);
  readQuery(usage, query.sObject!, query);
}

export function addWrite(usage: Usage, operation: Operation, type: string, record: Record<string, unknown>): void {
  const def = schema.require(type);
  if (operation !== 'update') usage.created.add(def.name);
  if (operation !== 'create') usage.edited.add(def.name);
  for (const name of Object.keys(record)) {
    if (name === 'attributes' || name === 'Id') continue;
    const field = schema.field(def, name);
    if (!field) throw new Error(`the connector writes ${type}.${name}, which the local org does not know`);
    usage.writtenFields.add(`${def.name}.${field.name}`);
  }
}

type Request = string | { method?: string; url: string; body?: string | unknown };

/** One REST request the connector sent through jsforce: queries, collection writes, composite batches. */
export function addRequest(usage: Usage, request: Request): void {
  const { method = 'GET', url, body } = typeof request === 'string' ? { url: request } : request;
  const parsedBody = typeof body === 'string' ? (JSON.parse(body) as Record<string, unknown>) : (body as Record<string, unknown> | undefined);
  const query = /\/query(?:All)?\/?\?q=([^&]*)/.exec(url);
  if (query) return addSoql(usage, decodeURIComponent(query[1].replace(/\+/g, ' ')));
  if (/\/composite\/?$/.test(url)) {
    for (const sub of (parsedBody?.compositeRequest ?? []) as Request[]) addRequest(usage, sub);
    return;
  }
  const collection = /\/composite\/sobjects(?:\/([^/?]+)\/([^/?]+))?\/?$/.exec(url);
  if (collection) {
    const operation: Operation = method === 'POST' ? 'create' : collection[1] ? 'upsert' : 'update';
    for (const record of (parsedBody?.records ?? []) as { attributes: { type: string } }[]) addWrite(usage, operation, record.attributes.type, record);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Which fields carry a field permission. Salesforce accepts none on the fields below; listing them here, with the
// platform rule behind each, is the only allow-list: everything else used must be granted exactly.
// ---------------------------------------------------------------------------------------------------------------

/** Audit and system fields every record has; the platform controls them. */
const SYSTEM_FIELDS = new Set(['Id', 'IsDeleted', 'CreatedDate', 'CreatedById', 'LastModifiedDate', 'LastModifiedById', 'SystemModstamp', 'OwnerId']);
/** Parts of a compound name (Contact and Lead Name): visible whenever the record is. */
const NAME_PARTS = new Set(['FirstName', 'LastName']);
/** Address parts are secured through their compound address field. */
const COMPOUND: Record<string, Record<string, string>> = {
  Account: { BillingStreet: 'BillingAddress', BillingCity: 'BillingAddress', BillingState: 'BillingAddress', BillingPostalCode: 'BillingAddress', BillingCountry: 'BillingAddress' },
  Contact: { MailingCountry: 'MailingAddress' },
  Lead: { Street: 'Address', City: 'Address', State: 'Address', PostalCode: 'Address', Country: 'Address' },
};
/**
 * Objects with no field permissions of their own: OpportunityContactRole follows Opportunity (edit) and Contact
 * (read); a platform event's fields go with publishing it; User and Organization are readable by every user.
 */
const NO_FIELD_SECURITY = (object: ObjectDef | null, name: string) =>
  OUTSIDE_SCHEMA.has(name) || name === 'User' || name === 'OpportunityContactRole' || Boolean(object?.isEvent);

/** The field permission a use of `Object.Field` needs, or null when the platform has none for it (and why). */
export function fieldPermission(key: string): { field: string } | { none: string } {
  const [objectName, fieldName] = key.split('.');
  const object = schema.object(objectName) ?? null;
  if (NO_FIELD_SECURITY(object, objectName)) return { none: `${objectName} has no field-level security` };
  const field: FieldDef | undefined = object ? schema.field(object, fieldName) : undefined;
  if (!field) throw new Error(`unknown field ${key}`);
  if (SYSTEM_FIELDS.has(field.name)) return { none: 'system field' };
  if (field.nameField || (!field.custom && NAME_PARTS.has(field.name))) return { none: 'name field' };
  if (field.masterDetail) return { none: 'master-detail: access follows the parent record' };
  // A checkbox is never null, yet it has field-level security like any optional field.
  if (!field.nillable && field.type !== 'boolean') return { none: 'required: always readable and editable' };
  if (!field.custom && !field.createable && !field.updateable) return { none: 'computed by the platform (e.g. IsClosed)' };
  const compound = COMPOUND[object!.name]?.[field.name];
  return { field: `${object!.name}.${compound ?? field.name}` };
}
