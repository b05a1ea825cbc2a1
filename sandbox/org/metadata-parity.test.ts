/**
 * The local org hard-codes the package's schema and rules so it starts without a deploy. This test keeps that copy
 * honest: every custom field, object and validation rule in force-app must match what the local org enforces.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isTrue, listMetadata, readMetadata } from '../../test/metadata/force-app.js';
import { VALIDATION_RULES, WATCHED_OPPORTUNITY_FIELDS } from './automation.js';
import { CONNECTION_CHECK_FLOW, STATUS_OUTPUTS } from './connection-check.js';
import { createSchema } from './schema.js';
import { DEFAULT_USERS } from './users.js';
import type { FieldDef, FieldType } from './schema-types.js';

const schema = createSchema();
const PACKAGE_OBJECTS = ['Opportunity', 'Microsoft_Solution__c', 'Microsoft_Solution_Detail__c', 'Partner_Center_Settings__c', 'Partner_Center_Sync_Log__c', 'Partner_Center_Sync_Request__e', 'Partner_Center_Sync_Status__e'];

const TYPES: Record<string, FieldType> = {
  Checkbox: 'boolean', Text: 'string', TextArea: 'textarea', LongTextArea: 'textarea', Url: 'url', Picklist: 'picklist',
  DateTime: 'datetime', Date: 'date', Number: 'double', Currency: 'currency', Percent: 'percent', Email: 'email',
  Phone: 'phone', Lookup: 'reference', MasterDetail: 'reference',
};

const fieldFiles = (object: string) => listMetadata(`objects/${object}/fields`, '.field-meta.xml');

function compareField(object: string, f: FieldDef, xml: Record<string, unknown>): void {
  const where = `${object}.${f.name}`;
  const type = String(xml.type);
  assert.equal(f.type, TYPES[type], `${where} type ${type}`);
  assert.equal(f.label, xml.label, `${where} label`);
  if (xml.length !== undefined) assert.equal(f.length, Number(xml.length), `${where} length`);
  if (type === 'TextArea') assert.equal(f.length, 255, `${where} length`);
  if (type === 'Url') assert.equal(f.length, 255, `${where} length`);
  const required = isTrue(xml.required) || type === 'MasterDetail';
  assert.equal(!f.nillable && f.type !== 'boolean', required, `${where} required`);
  assert.equal(f.externalId, isTrue(xml.externalId), `${where} externalId`);
  assert.equal(f.unique, isTrue(xml.unique), `${where} unique`);
  if (type === 'Checkbox') assert.equal(f.defaultValue, isTrue(xml.defaultValue), `${where} default`);
  if (type === 'Text' && xml.defaultValue !== undefined) assert.equal(`"${String(f.defaultValue)}"`, xml.defaultValue, `${where} default`);
  if (type === 'Picklist') {
    const valueSet = xml.valueSet as { restricted?: string; valueSetDefinition: { value: { fullName: string; default: string }[] } };
    const values = valueSet.valueSetDefinition.value as { fullName: string; default: string; label?: string }[];
    assert.ok(Array.isArray(f.picklist), `${where} picklist`);
    const mine = f.picklist as { value: string; defaultValue: boolean }[];
    assert.deepEqual(mine.map((v) => v.value), values.map((v) => v.fullName), `${where} values`);
    assert.deepEqual((mine as { label?: string }[]).map((v) => v.label), values.map((v) => v.label ?? v.fullName), `${where} value labels`);
    assert.deepEqual(mine.map((v) => v.defaultValue), values.map((v) => isTrue(v.default)), `${where} default value`);
    assert.equal(f.restrictedPicklist, isTrue(valueSet.restricted), `${where} restricted`);
  }
  if (type === 'Lookup' || type === 'MasterDetail') {
    assert.deepEqual(f.referenceTo, [xml.referenceTo], `${where} referenceTo`);
    assert.equal(f.childRelationshipName, `${String(xml.relationshipName)}__r`, `${where} relationshipName`);
    assert.equal(f.relationshipName, `${f.name.replace(/__c$/, '')}__r`, `${where} parent relationship`);
    assert.equal(f.masterDetail, type === 'MasterDetail', `${where} master-detail`);
    assert.equal(f.onParentDelete, type === 'MasterDetail' ? 'cascade' : 'setNull', `${where} delete constraint`);
    if (type === 'MasterDetail') assert.equal(f.updateable, isTrue(xml.reparentableMasterDetail), `${where} reparentable`);
  }
}

describe('local org schema matches force-app', () => {
  for (const object of PACKAGE_OBJECTS) {
    it(`${object}: every packaged field is enforced the same way, and no field is invented`, () => {
      const obj = schema.require(object);
      const files = fieldFiles(object);
      assert.ok(files.length > 0, `no fields in force-app for ${object}`);
      for (const file of files) {
        const name = file.replace('.field-meta.xml', '');
        const f = schema.field(obj, name);
        assert.ok(f, `${object}.${name} is missing from the local org`);
        compareField(object, f, readMetadata(`objects/${object}/fields/${file}`));
      }
      const packaged = new Set(files.map((x) => x.replace('.field-meta.xml', '')));
      const invented = obj.fields.filter((f) => f.custom && !packaged.has(f.name)).map((f) => f.name);
      assert.deepEqual(invented, [], `${object} has fields the package does not`);
    });
  }

  for (const object of PACKAGE_OBJECTS.filter((o) => o.endsWith('__c') || o.endsWith('__e'))) {
    it(`${object}: labels and the name field`, () => {
      const xml = readMetadata(`objects/${object}/${object}.object-meta.xml`);
      const obj = schema.require(object);
      assert.equal(obj.label, xml.label);
      assert.equal(obj.labelPlural, xml.pluralLabel);
      if (object.endsWith('__e')) return;
      const nameField = xml.nameField as { type: string; label: string; displayFormat?: string };
      const name = schema.field(obj, 'Name') as FieldDef;
      assert.equal(name.label, nameField.label);
      assert.equal(name.autoNumber, nameField.type === 'AutoNumber' ? nameField.displayFormat : null);
    });
  }

  it('validation rules: same rules, messages and display fields', () => {
    const files = listMetadata('objects/Opportunity/validationRules', '.validationRule-meta.xml');
    const packaged = files.map((file) => readMetadata(`objects/Opportunity/validationRules/${file}`)).filter((r) => isTrue(r.active));
    assert.deepEqual(VALIDATION_RULES.map((r) => r.name).sort(), packaged.map((r) => String(r.fullName)).sort());
    for (const rule of packaged) {
      const mine = VALIDATION_RULES.find((r) => r.name === rule.fullName);
      assert.equal(mine?.message, rule.errorMessage, `${String(rule.fullName)} message`);
      assert.equal(mine?.field, rule.errorDisplayField, `${String(rule.fullName)} display field`);
    }
  });

  it('flows: the opportunity fields whose change requests a sync', () => {
    const changed = (flow: string): string[] => {
      const formula = String((readMetadata(`flows/${flow}.flow-meta.xml`).start as { filterFormula: string }).filterFormula);
      return [...formula.matchAll(/ISCHANGED\(\{!\$Record\.([A-Za-z0-9_]+)\}\)/g)].map((m) => m[1]);
    };
    const expected = ['Sync_With_Partner_Center__c', ...WATCHED_OPPORTUNITY_FIELDS].sort();
    assert.deepEqual([...new Set(changed('Partner_Center_Opportunity_Mark_Pending'))].sort(), expected);
    // The after-save flow also reacts to the status set to Pending (Retry).
    assert.deepEqual([...new Set(changed('Partner_Center_Opportunity_Request_Sync'))].sort(), [...expected, 'Partner_Center_Sync_Status__c'].sort());
  });

  for (const [userKey, permissionSet] of [['seller', 'Partner_Center_Seller'], ['integration', 'Partner_Center_Integration']]) {
    it(`${userKey} user: object and field permissions of ${permissionSet}`, () => {
      const xml = readMetadata(`permissionsets/${permissionSet}.permissionset-meta.xml`);
      const user = DEFAULT_USERS.find((u) => u.key === userKey)!;
      const objects = (xml.objectPermissions as Record<string, string>[]).filter((o) => schema.object(o.object));
      for (const o of objects) {
        const mine = user.objectAccess[o.object] ?? { create: true, edit: true, delete: true };
        assert.deepEqual(mine, { create: isTrue(o.allowCreate), edit: isTrue(o.allowEdit), delete: isTrue(o.allowDelete) }, `${userKey} ${o.object}`);
      }
      const listed = new Set(objects.map((o) => o.object));
      for (const [object, access] of Object.entries(user.objectAccess)) {
        if (!listed.has(object)) assert.deepEqual(access, { create: false, edit: false, delete: false }, `${userKey} ${object} is not in ${permissionSet}`);
      }
      const readOnly = (xml.fieldPermissions as Record<string, string>[]).filter((f) => !isTrue(f.editable)).map((f) => f.field).sort();
      const mine = Object.entries(user.readOnlyFields).flatMap(([object, fields]) => fields.map((f) => `${object}.${f}`)).sort();
      assert.deepEqual(mine, readOnly);
    });
  }
});

describe('the connection check flow', () => {
  const flow = readMetadata('flows/Partner_Center_Connection_Check.flow-meta.xml');
  const variables = [flow.variables].flat() as { name: string; isInput: string; isOutput: string }[];

  it('returns the outputs the packaged flow declares', () => {
    const outputs = variables.filter((v) => isTrue(v.isOutput)).map((v) => v.name).sort();
    assert.deepEqual(outputs, [...STATUS_OUTPUTS, 'failureMessage', 'reached', 'responseCode'].sort());
    assert.deepEqual(variables.filter((v) => isTrue(v.isInput)).map((v) => v.name), ['action']);
  });

  it('runs for exactly the users whose permission set grants the flow', () => {
    const granted = ([readMetadata('permissionsets/Partner_Center_Admin.permissionset-meta.xml').flowAccesses].flat() as { flowName: string }[]).map((a) => a.flowName);
    assert.deepEqual(granted, [CONNECTION_CHECK_FLOW]);
    for (const seller of ['Partner_Center_Seller', 'Partner_Center_Integration']) {
      assert.equal(readMetadata(`permissionsets/${seller}.permissionset-meta.xml`).flowAccesses, undefined, seller);
    }
    assert.deepEqual(DEFAULT_USERS.filter((u) => (u.flowAccess ?? []).includes(CONNECTION_CHECK_FLOW)).map((u) => u.key), ['admin']);
  });
});
