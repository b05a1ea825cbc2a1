/**
 * describeGlobal and describeSObject in Salesforce's JSON shape. Answers are per user, as on the platform:
 * a field a seller cannot edit is described with createable/updateable false.
 */
import type { Schema } from './schema.js';
import type { FieldDef, ObjectDef } from './schema-types.js';
import type { OrgUser, Users } from './users.js';

const SOAP_TYPES: Record<string, string> = {
  id: 'tns:ID', reference: 'tns:ID', string: 'xsd:string', textarea: 'xsd:string', picklist: 'xsd:string',
  url: 'xsd:string', email: 'xsd:string', phone: 'xsd:string', boolean: 'xsd:boolean', currency: 'xsd:double',
  double: 'xsd:double', percent: 'xsd:double', int: 'xsd:int', date: 'xsd:date', datetime: 'xsd:dateTime',
};

function urls(obj: ObjectDef, version: string): Record<string, string> {
  const base = `/services/data/v${version}/sobjects/${obj.name}`;
  return obj.isEvent
    ? { eventSchema: `${base}/eventSchema`, sobject: base, describe: `${base}/describe` }
    : { compactLayouts: `${base}/describe/compactLayouts`, rowTemplate: `${base}/{ID}`, defaultValues: `${base}/defaultValues?recordTypeId&fields`, describe: `${base}/describe`, sobject: base };
}

function globalEntry(obj: ObjectDef, version: string, access: { create: boolean; edit: boolean; delete: boolean } = { create: true, edit: true, delete: true }): Record<string, unknown> {
  return {
    activateable: false,
    associateEntityType: null,
    associateParentEntity: null,
    createable: obj.createable && access.create,
    custom: obj.custom,
    customSetting: false,
    deepCloneable: false,
    deletable: obj.deletable && access.delete,
    deprecatedAndHidden: false,
    feedEnabled: false,
    hasSubtypes: false,
    isInterface: false,
    isSubtype: false,
    keyPrefix: obj.keyPrefix,
    label: obj.label,
    labelPlural: obj.labelPlural,
    layoutable: !obj.isEvent,
    mergeable: false,
    mruEnabled: !obj.isEvent,
    name: obj.name,
    queryable: obj.queryable,
    replicateable: !obj.isEvent,
    retrieveable: !obj.isEvent,
    searchable: !obj.isEvent,
    triggerable: true,
    undeletable: obj.deletable && access.delete,
    updateable: obj.updateable && access.edit,
    urls: urls(obj, version),
  };
}

const accessOf = (users: Users, user: OrgUser, obj: ObjectDef) => ({
  create: users.canObject(user, obj.name, 'create'),
  edit: users.canObject(user, obj.name, 'edit'),
  delete: users.canObject(user, obj.name, 'delete'),
});

export function describeGlobal(schema: Schema, users: Users, user: OrgUser, version: string): Record<string, unknown> {
  return {
    encoding: 'UTF-8',
    maxBatchSize: 200,
    sobjects: schema.list().sort((a, b) => a.name.localeCompare(b.name)).map((o) => globalEntry(o, version, accessOf(users, user, o))),
  };
}

export interface DescribeDeps {
  schema: Schema;
  users: Users;
  /** Active picklist values of a field (stages come from the org's data). */
  picklistValues: (f: FieldDef) => string[];
}

function describeField(obj: ObjectDef, f: FieldDef, user: OrgUser, deps: DescribeDeps): Record<string, unknown> {
  const editable = deps.users.canEdit(user, obj.name, f.name);
  const access = accessOf(deps.users, user, obj);
  const textual = ['string', 'textarea', 'picklist', 'url', 'email', 'phone', 'id', 'reference'].includes(f.type);
  const picklistValues = f.type === 'picklist'
    ? deps.picklistValues(f).map((value) => {
      const meta = Array.isArray(f.picklist) ? f.picklist.find((p) => p.value === value) : undefined;
      return { active: true, defaultValue: meta?.defaultValue ?? false, label: meta?.label ?? value, validFor: null, value };
    })
    : [];
  const defaultedOnCreate = f.defaultValue !== null || ['Id', 'OwnerId', 'CreatedDate', 'CreatedById', 'LastModifiedDate', 'LastModifiedById', 'SystemModstamp', 'IsDeleted'].includes(f.name) || f.autoNumber !== null;
  return {
    aggregatable: f.type !== 'textarea' && f.type !== 'boolean',
    aiPredictionField: false,
    autoNumber: f.autoNumber !== null,
    byteLength: textual ? f.length * 3 : 0,
    calculated: f.calculated,
    calculatedFormula: null,
    cascadeDelete: false,
    caseSensitive: false,
    compoundFieldName: null,
    controllerName: null,
    createable: f.createable && editable && access.create,
    custom: f.custom,
    defaultValue: f.type === 'picklist' ? null : (f.defaultValue as unknown) ?? null,
    defaultValueFormula: null,
    defaultedOnCreate,
    dependentPicklist: false,
    deprecatedAndHidden: false,
    digits: f.type === 'int' ? f.precision : 0,
    displayLocationInDecimal: false,
    encrypted: false,
    externalId: f.externalId,
    extraTypeInfo: f.type === 'textarea' && f.length > 255 ? 'plaintextarea' : null,
    filterable: f.filterable,
    filteredLookupInfo: null,
    formulaTreatNullNumberAsZero: false,
    groupable: f.sortable && !['currency', 'double', 'percent', 'datetime'].includes(f.type),
    highScaleNumber: false,
    htmlFormatted: false,
    idLookup: f.name === 'Id' || f.externalId || (f.unique && f.type === 'string'),
    inlineHelpText: null,
    label: f.label,
    length: textual ? f.length : 0,
    mask: null,
    maskType: null,
    name: f.name,
    nameField: f.nameField,
    namePointing: f.name === 'OwnerId',
    nillable: f.nillable && f.type !== 'boolean',
    permissionable: f.custom && f.nillable,
    picklistValues,
    polymorphicForeignKey: false,
    precision: ['currency', 'double', 'percent'].includes(f.type) ? f.precision : 0,
    queryByDistance: false,
    referenceTargetField: null,
    referenceTo: f.referenceTo,
    relationshipName: f.relationshipName,
    relationshipOrder: f.masterDetail ? 0 : null,
    restrictedDelete: false,
    restrictedPicklist: f.restrictedPicklist,
    scale: f.scale,
    searchPrefilterable: false,
    soapType: SOAP_TYPES[f.type],
    sortable: f.sortable,
    type: f.type,
    unique: f.unique,
    updateable: f.updateable && editable && access.edit,
    writeRequiresMasterRead: false,
  };
}

export function describeObject(obj: ObjectDef, user: OrgUser, version: string, deps: DescribeDeps): Record<string, unknown> {
  return {
    ...globalEntry(obj, version, accessOf(deps.users, user, obj)),
    actionOverrides: [],
    childRelationships: deps.schema.childRelationships(obj).map((c) => ({
      cascadeDelete: c.field.onParentDelete === 'cascade',
      childSObject: c.child.name,
      deprecatedAndHidden: false,
      field: c.field.name,
      junctionIdListNames: [],
      junctionReferenceTo: [],
      relationshipName: c.relationshipName,
      restrictedDelete: false,
    })),
    compactLayoutable: !obj.isEvent,
    fields: obj.fields.map((f) => describeField(obj, f, user, deps)),
    listviewable: null,
    lookupLayoutable: null,
    namedLayoutInfos: [],
    networkScopeFieldName: null,
    recordTypeInfos: [],
    searchLayoutable: !obj.isEvent,
    sobjectDescribeOption: 'FULL',
    supportedScopes: [{ label: 'All records', name: 'everything' }],
  };
}
