/**
 * The org's schema model: just enough of Salesforce's describe metadata to validate saves, run SOQL and answer
 * describe calls the way a real org would for the objects this package touches.
 */

export type FieldType =
  | 'id' | 'string' | 'textarea' | 'boolean' | 'currency' | 'double' | 'percent' | 'int'
  | 'date' | 'datetime' | 'picklist' | 'reference' | 'url' | 'email' | 'phone';

export interface PicklistValue {
  value: string;
  label: string;
  active: boolean;
  defaultValue: boolean;
}

/** Where a picklist's values come from: fixed in metadata, or the org's OpportunityStage rows. */
export type PicklistSource = PicklistValue[] | 'OpportunityStage';

export interface FieldDef {
  name: string;
  label: string;
  type: FieldType;
  /** Maximum characters for text types; 0 otherwise. */
  length: number;
  precision: number;
  scale: number;
  custom: boolean;
  /** false: a value is required (REQUIRED_FIELD_MISSING) unless the org defaults or derives it. */
  nillable: boolean;
  createable: boolean;
  updateable: boolean;
  /** A formula field (describe's `calculated`). */
  calculated: boolean;
  defaultValue: unknown;
  picklist?: PicklistSource;
  restrictedPicklist: boolean;
  referenceTo: string[];
  /** Child → parent name used in SOQL paths, e.g. `Account` or `Opportunity__r`. */
  relationshipName: string | null;
  /** Parent → children name used in sub-queries, e.g. `OpportunityContactRoles` or `Microsoft_Solutions__r`. */
  childRelationshipName: string | null;
  /** What deleting the parent does to this child: cascade delete or clear the lookup. */
  onParentDelete: 'cascade' | 'setNull';
  /** 1 for master-detail (relationshipOrder 0 in describe), null for lookups. */
  masterDetail: boolean;
  externalId: boolean;
  unique: boolean;
  nameField: boolean;
  /** Display format of an auto-number Name, e.g. `MS-{00000}`. */
  autoNumber: string | null;
  filterable: boolean;
  sortable: boolean;
}

export interface ObjectDef {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  custom: boolean;
  /** Platform event: publish-only, never queried or updated. */
  isEvent: boolean;
  createable: boolean;
  updateable: boolean;
  deletable: boolean;
  queryable: boolean;
  fields: FieldDef[];
}

type FieldOptions = Partial<Omit<FieldDef, 'name' | 'label' | 'type'>>;

const TEXT_TYPES = new Set<FieldType>(['string', 'textarea', 'picklist', 'url', 'email', 'phone', 'id', 'reference']);

/** Builds a field with Salesforce's defaults for its type; options override them. */
export function field(name: string, label: string, type: FieldType, options: FieldOptions = {}): FieldDef {
  const custom = name.endsWith('__c');
  const length = options.length ?? (TEXT_TYPES.has(type) ? (type === 'id' || type === 'reference' ? 18 : 255) : 0);
  // Long text areas cannot be filtered or sorted in SOQL; Salesforce rejects such queries.
  const longText = type === 'textarea' && length > 255;
  const calculated = options.calculated ?? false;
  return {
    name,
    label,
    type,
    length,
    precision: options.precision ?? 0,
    scale: options.scale ?? 0,
    custom,
    nillable: options.nillable ?? true,
    createable: options.createable ?? !calculated,
    updateable: options.updateable ?? !calculated,
    calculated,
    defaultValue: options.defaultValue ?? (type === 'boolean' ? false : null),
    picklist: options.picklist,
    restrictedPicklist: options.restrictedPicklist ?? false,
    referenceTo: options.referenceTo ?? [],
    relationshipName: options.relationshipName ?? null,
    childRelationshipName: options.childRelationshipName ?? null,
    onParentDelete: options.onParentDelete ?? 'setNull',
    masterDetail: options.masterDetail ?? false,
    externalId: options.externalId ?? false,
    unique: options.unique ?? false,
    nameField: options.nameField ?? false,
    autoNumber: options.autoNumber ?? null,
    filterable: options.filterable ?? !longText,
    sortable: options.sortable ?? !longText,
  };
}

export const text = (name: string, label: string, length: number, o: FieldOptions = {}): FieldDef =>
  field(name, label, 'string', { length, ...o });

export const longText = (name: string, label: string, length: number, o: FieldOptions = {}): FieldDef =>
  field(name, label, 'textarea', { length, ...o });

export const checkbox = (name: string, label: string, defaultValue = false, o: FieldOptions = {}): FieldDef =>
  field(name, label, 'boolean', { defaultValue, nillable: false, ...o });

/** Set by the platform (audit fields, derived flags): readable, never writable through the API. */
export const readOnly = (f: FieldDef): FieldDef => ({ ...f, createable: false, updateable: false });

/** Picklist values from plain strings; the first is the default only when `defaultValue` names it. */
export function values(list: string[], defaultValue?: string): PicklistValue[] {
  return list.map((v) => ({ value: v, label: v, active: true, defaultValue: v === defaultValue }));
}

export const picklist = (
  name: string,
  label: string,
  list: PicklistSource,
  o: FieldOptions = {},
): FieldDef => field(name, label, 'picklist', { picklist: list, ...o });

export interface ReferenceSpec {
  to: string;
  relationshipName: string;
  childRelationshipName?: string;
  masterDetail?: boolean;
  onParentDelete?: 'cascade' | 'setNull';
}

export function reference(name: string, label: string, spec: ReferenceSpec, o: FieldOptions = {}): FieldDef {
  return field(name, label, 'reference', {
    referenceTo: [spec.to],
    relationshipName: spec.relationshipName,
    childRelationshipName: spec.childRelationshipName ?? null,
    masterDetail: spec.masterDetail ?? false,
    onParentDelete: spec.onParentDelete ?? (spec.masterDetail ? 'cascade' : 'setNull'),
    nillable: !spec.masterDetail,
    ...o,
  });
}

/** Id and the audit fields every stored object has, maintained by the platform. */
export function systemFields(withOwner: boolean): FieldDef[] {
  const audit = (name: string, label: string, type: FieldType, rel?: string): FieldDef =>
    readOnly(
      rel
        ? reference(name, label, { to: 'User', relationshipName: rel }, { nillable: false })
        : field(name, label, type, { nillable: false }),
    );
  const fields = [
    readOnly(field('Id', 'Record ID', 'id', { nillable: false, length: 18 })),
    readOnly(checkbox('IsDeleted', 'Deleted')),
    audit('CreatedDate', 'Created Date', 'datetime'),
    audit('CreatedById', 'Created By ID', 'reference', 'CreatedBy'),
    audit('LastModifiedDate', 'Last Modified Date', 'datetime'),
    audit('LastModifiedById', 'Last Modified By ID', 'reference', 'LastModifiedBy'),
    audit('SystemModstamp', 'System Modstamp', 'datetime'),
  ];
  if (withOwner) {
    // Owner defaults to the creating user, so it is required in metadata yet optional in a request.
    fields.push(reference('OwnerId', 'Owner ID', { to: 'User', relationshipName: 'Owner' }, { nillable: false }));
  }
  return fields;
}

export interface ObjectOptions {
  label: string;
  labelPlural: string;
  keyPrefix: string;
  owner?: boolean;
  isEvent?: boolean;
  createable?: boolean;
  updateable?: boolean;
  deletable?: boolean;
}

export function object(name: string, o: ObjectOptions, fields: FieldDef[]): ObjectDef {
  const isEvent = o.isEvent ?? false;
  return {
    name,
    label: o.label,
    labelPlural: o.labelPlural,
    keyPrefix: o.keyPrefix,
    custom: name.endsWith('__c') || name.endsWith('__e'),
    isEvent,
    createable: o.createable ?? true,
    updateable: o.updateable ?? !isEvent,
    deletable: o.deletable ?? !isEvent,
    queryable: !isEvent,
    fields: isEvent ? fields : [...systemFields(o.owner ?? false), ...fields],
  };
}
