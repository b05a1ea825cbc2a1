/**
 * The User Interface API shapes Lightning Data Service hands to components, computed from the local org's REST API
 * (SOQL, describe, sObject rows) as one user:
 * - records (getRecord, updateRecord, createRecord, deleteRecord) → RecordRepresentation;
 * - object info (getObjectInfo) and picklist values (getPicklistValues) → ObjectInfo / PicklistValues;
 * - related list records (getRelatedListRecords) → RelatedListRecordCollection.
 * Errors take UI API's shapes: reads fail with `[{ errorCode, message }]`, writes with
 * `{ message, output: { errors, fieldErrors } }`, which is what the components' error handling reads.
 *
 * Limits: no record types (every record and picklist uses the master record type), displayValue only for
 * picklists and relationship names, no layouts or modes, no field-level read security (the local org has none).
 */
import { OrgApiError, type DescribeField, type DescribeSObject, type OrgSession, type QueryRow } from './org-session.js';

export const MASTER_RECORD_TYPE_ID = '012000000000000AAA';
const UI_API_VERSION = '64.0';

/** An error with the HTTP status and body the UI API would send. */
export class UiApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown
  ) {
    super(typeof body === 'object' && body !== null && 'message' in body ? String((body as { message: unknown }).message) : JSON.stringify(body));
  }
}

const readError = (status: number, errorCode: string, message: string) => new UiApiError(status, [{ errorCode, message }]);

/** A read failure from the org, in UI API's read-error shape. */
function asReadError(error: unknown): unknown {
  if (error instanceof OrgApiError) return new UiApiError(error.status, error.errors.map(({ errorCode, message }) => ({ errorCode, message })));
  return error;
}

/** A save failure from the org, in UI API's record-error shape (field errors keyed by field). */
function asWriteError(error: unknown, describe?: DescribeSObject): unknown {
  if (!(error instanceof OrgApiError)) return error;
  const errors: Array<Record<string, unknown>> = [];
  const fieldErrors: Record<string, Array<Record<string, unknown>>> = {};
  for (const e of error.errors) {
    const fields = e.fields ?? [];
    if (fields.length === 0) {
      errors.push({ constituentField: null, duplicateRecordError: null, errorCode: e.errorCode, fieldLevelErrors: [], message: e.message });
      continue;
    }
    for (const field of fields) {
      const label = describe?.fields.find((f) => f.name === field)?.label ?? field;
      (fieldErrors[field] ??= []).push({ constituentField: null, duplicateRecordError: null, errorCode: e.errorCode, field, fieldLabel: label, message: e.message });
    }
  }
  return new UiApiError(error.status, {
    enhancedErrorType: 'RecordError',
    errorCode: error.errors[0]?.errorCode,
    message: 'An error occurred while trying to update the record. Please try again.',
    output: { errors, fieldErrors },
    statusCode: error.status,
  });
}

const DATA_TYPES: Record<string, string> = {
  id: 'String',
  string: 'String',
  textarea: 'TextArea',
  picklist: 'Picklist',
  multipicklist: 'MultiPicklist',
  combobox: 'ComboBox',
  url: 'Url',
  email: 'Email',
  phone: 'Phone',
  boolean: 'Boolean',
  currency: 'Currency',
  double: 'Double',
  percent: 'Percent',
  int: 'Int',
  long: 'Long',
  date: 'Date',
  datetime: 'DateTime',
  time: 'Time',
  reference: 'Reference',
  address: 'Address',
  location: 'Location',
  base64: 'Base64',
  encryptedstring: 'EncryptedString',
};

export function uiDataType(describeType: string): string {
  return DATA_TYPES[describeType] ?? describeType.charAt(0).toUpperCase() + describeType.slice(1);
}

/** `2026-01-02T03:04:05.000+0000` (REST) → `2026-01-02T03:04:05.000Z` (UI API). */
export function uiValue(field: DescribeField | undefined, value: unknown): unknown {
  if (field?.type === 'datetime' && typeof value === 'string') return value.replace(/\+0000$/, 'Z');
  return value;
}

export function displayValueOf(field: DescribeField | undefined, value: unknown): string | null {
  if (value === null || value === undefined || !field) return null;
  if (field.type === 'picklist') return field.picklistValues.find((p) => p.value === value)?.label ?? String(value);
  return null;
}

export function soqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

const ID_PATTERN = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

/** A requested field, resolved against the describes: the SOQL path and each segment's field. */
interface FieldNode {
  field: DescribeField;
  /** For a relationship segment (`Account` of `Account.Name`): the related object and the fields read on it. */
  related?: { describe: DescribeSObject; children: Map<string, FieldNode> };
}

interface FieldTree {
  describe: DescribeSObject;
  children: Map<string, FieldNode>;
}

function findField(describe: DescribeSObject, name: string): DescribeField | undefined {
  return describe.fields.find((f) => f.name === name) ?? describe.fields.find((f) => f.name.toLowerCase() === name.toLowerCase());
}

function findRelationship(describe: DescribeSObject, name: string): DescribeField | undefined {
  const lower = name.toLowerCase();
  return describe.fields.find((f) => f.type === 'reference' && f.relationshipName?.toLowerCase() === lower);
}

export class UiApi {
  constructor(private readonly session: OrgSession) {}

  // ------------------------------------------------------------------ field paths

  /**
   * Adds `Account.Name`-style paths (relative to the object) to a tree; returns the path's problem or undefined.
   */
  private async addPath(tree: FieldTree, parts: string[]): Promise<string | undefined> {
    let node: FieldTree = tree;
    for (let i = 0; i < parts.length; i += 1) {
      const part = parts[i];
      if (i === parts.length - 1) {
        const field = findField(node.describe, part);
        if (!field) return `No such column '${part}' on entity '${node.describe.name}'`;
        if (!node.children.has(field.name)) node.children.set(field.name, { field });
        return undefined;
      }
      const reference = findRelationship(node.describe, part);
      if (!reference || !reference.relationshipName) return `Didn't understand relationship '${part}' on entity '${node.describe.name}'`;
      let child = node.children.get(reference.relationshipName);
      if (!child?.related) {
        const describe = await this.session.describe(reference.referenceTo[0]);
        child = { field: reference, related: { describe, children: new Map() } };
        node.children.set(reference.relationshipName, child);
      }
      node = child.related as FieldTree;
    }
    return undefined;
  }

  /** SOQL select items for a tree (Id of every related record included, to identify it). */
  private selectList(tree: FieldTree, prefix = ''): string[] {
    const items = new Set<string>([`${prefix}Id`]);
    for (const [name, node] of tree.children) {
      if (node.related) for (const item of this.selectList(node.related, `${prefix}${name}.`)) items.add(item);
      else items.add(`${prefix}${name}`);
    }
    return [...items];
  }

  private async buildTree(objectName: string, fields: string[], optionalFields: string[]): Promise<FieldTree> {
    const describe = await this.session.describe(objectName);
    const tree: FieldTree = { describe, children: new Map() };
    const add = async (path: string, optional: boolean) => {
      const parts = path.split('.').map((p) => p.trim()).filter(Boolean);
      if (parts.length < 2 || parts[0].toLowerCase() !== describe.name.toLowerCase()) {
        if (optional) return;
        throw readError(400, 'INVALID_FIELD', `${path}: fields must be given as ${describe.name}.FieldName`);
      }
      const problem = await this.addPath(tree, parts.slice(1));
      if (problem && !optional) throw readError(400, 'INVALID_FIELD', problem);
    };
    for (const path of fields) await add(path, false);
    for (const path of optionalFields) await add(path, true);
    return tree;
  }

  private represent(tree: FieldTree, row: QueryRow): Record<string, unknown> {
    const fields: Record<string, unknown> = {};
    for (const [name, node] of tree.children) {
      if (node.related) {
        const related = row[name] as QueryRow | null | undefined;
        if (related === undefined || related === null) {
          fields[name] = { displayValue: null, value: null };
        } else {
          const nested = this.represent(node.related, related);
          const nameField = node.related.describe.fields.find((f) => f.nameField);
          const display = nameField ? related[nameField.name] : undefined;
          fields[name] = { displayValue: typeof display === 'string' ? display : null, value: nested };
        }
        continue;
      }
      const value = uiValue(node.field, row[name] ?? null);
      fields[name] = { displayValue: displayValueOf(node.field, value), value };
    }
    const id = String(row.Id ?? '');
    const modstamp = typeof row.SystemModstamp === 'string' ? row.SystemModstamp : undefined;
    return {
      apiName: tree.describe.name,
      childRelationships: {},
      eTag: `${id}:${modstamp ?? ''}`,
      fields,
      id,
      lastModifiedById: null,
      lastModifiedDate: null,
      recordTypeId: MASTER_RECORD_TYPE_ID,
      recordTypeInfo: null,
      systemModstamp: modstamp ? modstamp.replace(/\+0000$/, 'Z') : null,
      weakEtag: modstamp ? Date.parse(modstamp.replace(/\+0000$/, 'Z')) || 0 : 0,
    };
  }

  private async objectOf(recordId: string): Promise<string> {
    if (!ID_PATTERN.test(recordId)) throw readError(404, 'NOT_FOUND', 'The requested resource does not exist');
    const name = await this.session.objectOfId(recordId);
    if (!name) throw readError(404, 'NOT_FOUND', 'The requested resource does not exist');
    return name;
  }

  // ------------------------------------------------------------------ records

  async getRecord(recordId: string, fields: string[], optionalFields: string[] = []): Promise<Record<string, unknown>> {
    try {
      const objectName = await this.objectOf(recordId);
      const tree = await this.buildTree(objectName, fields, optionalFields);
      const select = this.selectList(tree);
      if (tree.describe.fields.some((f) => f.name === 'SystemModstamp')) select.push('SystemModstamp');
      const { records } = await this.session.query(`SELECT ${[...new Set(select)].join(', ')} FROM ${tree.describe.name} WHERE Id = ${soqlString(recordId)}`);
      if (records.length === 0) throw readError(404, 'NOT_FOUND', 'The requested resource does not exist');
      return this.represent(tree, records[0]);
    } catch (error) {
      throw asReadError(error);
    }
  }

  private async fieldsAsPaths(objectName: string, names: string[]): Promise<string[]> {
    const describe = await this.session.describe(objectName);
    return names.filter((name) => findField(describe, name)).map((name) => `${describe.name}.${name}`);
  }

  async updateRecord(recordId: string, fields: Record<string, unknown>): Promise<Record<string, unknown>> {
    const objectName = await this.objectOf(recordId).catch((error: unknown) => {
      throw asReadError(error);
    });
    const describe = await this.session.describe(objectName);
    try {
      await this.session.request('PATCH', `/sobjects/${objectName}/${recordId}`, fields);
    } catch (error) {
      throw asWriteError(error, describe);
    }
    return this.getRecord(recordId, await this.fieldsAsPaths(objectName, Object.keys(fields)));
  }

  async createRecord(apiName: string, fields: Record<string, unknown>): Promise<Record<string, unknown>> {
    let describe: DescribeSObject;
    try {
      describe = await this.session.describe(apiName);
    } catch (error) {
      throw asReadError(error);
    }
    let id: string;
    try {
      ({ id } = await this.session.request<{ id: string }>('POST', `/sobjects/${describe.name}`, fields));
    } catch (error) {
      throw asWriteError(error, describe);
    }
    return this.getRecord(id, await this.fieldsAsPaths(describe.name, Object.keys(fields)));
  }

  async deleteRecord(recordId: string): Promise<void> {
    const objectName = await this.objectOf(recordId).catch((error: unknown) => {
      throw asReadError(error);
    });
    try {
      await this.session.request('DELETE', `/sobjects/${objectName}/${recordId}`);
    } catch (error) {
      throw asWriteError(error);
    }
  }

  // ------------------------------------------------------------------ object info

  async objectInfo(apiName: string): Promise<Record<string, unknown>> {
    let describe: DescribeSObject;
    try {
      describe = await this.session.describe(apiName);
    } catch (error) {
      throw asReadError(error);
    }
    const fields: Record<string, unknown> = {};
    for (const f of describe.fields) {
      fields[f.name] = {
        apiName: f.name,
        calculated: f.calculated,
        compound: false,
        compoundComponentName: null,
        compoundFieldName: null,
        controllerName: f.controllerName ?? null,
        controllingFields: [],
        createable: f.createable,
        custom: f.custom,
        dataType: uiDataType(f.type),
        externalId: f.externalId,
        extraTypeInfo: f.extraTypeInfo ?? null,
        filterable: f.filterable,
        filteredLookupInfo: null,
        highScaleNumber: false,
        htmlFormatted: f.htmlFormatted ?? false,
        inlineHelpText: f.inlineHelpText,
        label: f.label,
        length: f.length,
        nameField: f.nameField,
        polymorphicForeignKey: f.polymorphicForeignKey ?? false,
        precision: f.type === 'int' ? (f.digits ?? 0) : f.precision,
        reference: f.type === 'reference',
        referenceTargetField: null,
        referenceToInfos: f.referenceTo.map((target) => ({ apiName: target, nameFields: ['Name'] })),
        relationshipName: f.relationshipName,
        required: !f.nillable && f.createable && !f.defaultedOnCreate && f.type !== 'boolean',
        scale: f.scale,
        searchPrefilterable: false,
        sortable: f.sortable,
        unique: f.unique,
        updateable: f.updateable,
      };
    }
    return {
      apiName: describe.name,
      associateEntityType: null,
      associateParentEntity: null,
      childRelationships: describe.childRelationships
        .filter((c) => c.relationshipName)
        .map((c) => ({
          childObjectApiName: c.childSObject,
          fieldName: c.field,
          junctionIdListNames: [],
          junctionReferenceTo: [],
          relationshipName: c.relationshipName,
        })),
      compactLayoutable: describe.layoutable,
      createable: describe.createable,
      custom: describe.custom,
      defaultRecordTypeId: MASTER_RECORD_TYPE_ID,
      deletable: describe.deletable,
      dependentFields: {},
      eTag: `${describe.name}:${describe.fields.length}`,
      feedEnabled: describe.feedEnabled,
      fields,
      keyPrefix: describe.keyPrefix,
      label: describe.label,
      labelPlural: describe.labelPlural,
      layoutable: describe.layoutable,
      mruEnabled: describe.mruEnabled,
      nameFields: describe.fields.filter((f) => f.nameField).map((f) => f.name),
      queryable: describe.queryable,
      recordTypeInfos: {
        [MASTER_RECORD_TYPE_ID]: {
          available: true,
          defaultRecordTypeMapping: true,
          master: true,
          name: 'Master',
          recordTypeId: MASTER_RECORD_TYPE_ID,
        },
      },
      searchable: describe.searchable,
      themeInfo: null,
      updateable: describe.updateable,
    };
  }

  async picklistValues(apiName: string, recordTypeId: string, fieldName: string): Promise<Record<string, unknown>> {
    let describe: DescribeSObject;
    try {
      describe = await this.session.describe(apiName);
    } catch (error) {
      throw asReadError(error);
    }
    if (recordTypeId.slice(0, 15) !== MASTER_RECORD_TYPE_ID.slice(0, 15)) {
      throw readError(404, 'NOT_FOUND', `Record type ${recordTypeId} does not exist on ${describe.name} (the local org has only the master record type)`);
    }
    const field = findField(describe, fieldName);
    if (!field) throw readError(400, 'INVALID_FIELD', `No such column '${fieldName}' on entity '${describe.name}'`);
    if (field.type !== 'picklist' && field.type !== 'multipicklist') {
      throw readError(400, 'INVALID_FIELD', `${describe.name}.${field.name} is not a picklist`);
    }
    let attributes = new Map<string, Record<string, unknown>>();
    if (describe.name === 'Opportunity' && field.name === 'StageName') attributes = await this.stageAttributes();
    const values = field.picklistValues
      .filter((p) => p.active)
      .map((p) => ({ attributes: attributes.get(p.value) ?? null, label: p.label, validFor: [], value: p.value }));
    const defaultEntry = field.picklistValues.find((p) => p.defaultValue);
    return {
      controllerValues: {},
      defaultValue: defaultEntry ? values.find((v) => v.value === defaultEntry.value) ?? null : null,
      eTag: `${describe.name}.${field.name}:${values.length}`,
      url: `/services/data/v${UI_API_VERSION}/ui-api/object-info/${describe.name}/picklist-values/${MASTER_RECORD_TYPE_ID}/${field.name}`,
      values,
    };
  }

  /** Opportunity stages carry closed/won/probability attributes, from the org's OpportunityStage records. */
  private async stageAttributes(): Promise<Map<string, Record<string, unknown>>> {
    try {
      const { records } = await this.session.query(
        'SELECT ApiName, IsClosed, IsWon, DefaultProbability, ForecastCategoryName FROM OpportunityStage WHERE IsActive = true'
      );
      return new Map(
        records.map((r) => [
          String(r.ApiName),
          {
            closed: r.IsClosed === true,
            defaultProbability: r.DefaultProbability ?? null,
            forecastCategoryName: r.ForecastCategoryName ?? null,
            picklistAtrributesValueType: 'OpportunityStage',
            won: r.IsWon === true,
          },
        ])
      );
    } catch (error) {
      throw asReadError(error);
    }
  }

  // ------------------------------------------------------------------ related lists

  async relatedListRecords(
    parentRecordId: string,
    relatedListId: string,
    options: { fields?: string[]; optionalFields?: string[]; sortBy?: string[]; pageSize?: number }
  ): Promise<Record<string, unknown>> {
    try {
      const parentName = await this.objectOf(parentRecordId);
      const parent = await this.session.describe(parentName);
      const relationship = parent.childRelationships.find((c) => c.relationshipName === relatedListId);
      if (!relationship) {
        throw readError(400, 'INVALID_ID_FIELD', `${relatedListId} is not a related list of ${parent.name}`);
      }
      const relative = (path: string, childName: string) => (path.startsWith(`${childName}.`) ? path : `${childName}.${path}`);
      const childName = relationship.childSObject;
      const fields = (options.fields ?? []).map((p) => relative(p, childName));
      const optionalFields = (options.optionalFields ?? []).map((p) => relative(p, childName));
      const tree = await this.buildTree(childName, fields, optionalFields);
      const pageSize = Math.min(Math.max(Number(options.pageSize) || 50, 1), 1999);
      const order: string[] = [];
      for (const entry of options.sortBy ?? []) {
        const descending = entry.startsWith('-');
        const path = (descending ? entry.slice(1) : entry).replace(new RegExp(`^${childName}\\.`), '');
        const sortTree: FieldTree = { describe: tree.describe, children: new Map() };
        const problem = await this.addPath(sortTree, path.split('.'));
        if (problem) throw readError(400, 'INVALID_FIELD', problem);
        order.push(`${path} ${descending ? 'DESC' : 'ASC'}`);
      }
      const sub = `SELECT ${this.selectList(tree).join(', ')} FROM ${relatedListId}${order.length ? ` ORDER BY ${order.join(', ')}` : ''} LIMIT ${pageSize}`;
      const { records } = await this.session.query(`SELECT Id, (${sub}) FROM ${parent.name} WHERE Id = ${soqlString(parentRecordId)}`);
      if (records.length === 0) throw readError(404, 'NOT_FOUND', 'The requested resource does not exist');
      const children = (records[0][relatedListId] as { records?: QueryRow[] } | null)?.records ?? [];
      return {
        count: children.length,
        currentPageToken: '0',
        currentPageUrl: null,
        fields,
        listReference: {
          inContextOfRecordId: parentRecordId,
          listViewApiName: null,
          objectApiName: childName,
          parentObjectApiName: parent.name,
          recordTypeId: null,
          relatedListId,
        },
        nextPageToken: null,
        nextPageUrl: null,
        optionalFields,
        pageSize,
        previousPageToken: null,
        previousPageUrl: null,
        records: children.map((row) => this.represent(tree, row)),
        sortBy: options.sortBy ?? [],
      };
    } catch (error) {
      throw asReadError(error);
    }
  }
}
