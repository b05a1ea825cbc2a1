/**
 * The package's data model, checked against one expected-schema table (SCHEMA below): objects, fields, picklists,
 * validation rules, list views, tabs, report types, layouts and the Opportunity record page. API names are a
 * contract with the connector, flows, permission sets and reports, so renaming or retyping anything here must fail.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { FORCE_APP, isTrue, listMetadata, readField, readMetadata, type Xml } from './force-app.js';

type FieldType =
  | 'Checkbox' | 'Text' | 'TextArea' | 'LongTextArea' | 'Url' | 'DateTime' | 'Picklist' | 'MasterDetail' | 'Lookup';

interface FieldSpec {
  type: FieldType;
  length?: number;
  visibleLines?: number;
  /** Exactly as written in the XML: "false" for checkboxes, a quoted formula string for text defaults. */
  defaultValue?: string;
  required?: boolean;
  externalId?: boolean;
  unique?: boolean;
  referenceTo?: string;
  relationshipName?: string;
  relationshipLabel?: string;
  deleteConstraint?: 'SetNull' | 'Restrict';
  /** Restricted picklist: [API name, label] in display order, plus the default value's API name if any. */
  picklist?: { values: Array<[string, string]>; default?: string };
  /** Written only by the connector: shown read-only on the Opportunity layout. */
  connectorOwned?: boolean;
}

interface ObjectSpec {
  /** Absent for the standard Opportunity object, which the package only extends. */
  custom?: {
    label: string;
    pluralLabel: string;
    nameField: { type: 'AutoNumber'; displayFormat: string } | { type: 'Text' };
    sharingModel: 'ControlledByParent' | 'Read' | 'ReadWrite' | 'Private';
    enableSearch: boolean;
    listViews: string[];
    tab: boolean;
    layout: string;
  };
  fields: Record<string, FieldSpec>;
}

const MICROSOFT_HELP_VALUES: Array<[string, string]> = [
  ['GeneralOrOther', 'General or other'],
  ['CustomerTechnicalArchitecture', 'Customer technical architecture'],
  ['ProofOfConceptOrDemo', 'Proof of concept or demo'],
  ['QuotesOrLicensing', 'Quotes or licensing'],
  ['PostSalesCustomerSuccess', 'Post-sales customer success'],
  ['WorkloadSpecificValueProposition', 'Workload-specific value proposition'],
];

const SCHEMA: Record<string, ObjectSpec> = {
  Opportunity: {
    fields: {
      Sync_With_Partner_Center__c: { type: 'Checkbox', defaultValue: 'false' },
      Referral_Id__c: { type: 'Text', length: 100, externalId: true, unique: true, connectorOwned: true },
      Referral_Link__c: { type: 'Url', connectorOwned: true },
      Microsoft_Help__c: { type: 'Picklist', picklist: { values: MICROSOFT_HELP_VALUES } },
      Visible_To_Microsoft_Sellers__c: { type: 'Checkbox', defaultValue: 'false' },
      Microsoft_CRM_Id__c: { type: 'Text', length: 100, connectorOwned: true },
      Partner_Center_Status__c: { type: 'Text', length: 100, connectorOwned: true },
      Partner_Center_Sync_Status__c: {
        type: 'Picklist',
        picklist: {
          values: [['Not Synced', 'Not Synced'], ['Pending', 'Pending'], ['Synced', 'Synced'], ['Error', 'Error']],
          default: 'Not Synced',
        },
        // Not connector-owned: a seller sets Pending to retry after an error.
      },
      Partner_Center_Last_Sync__c: { type: 'DateTime', connectorOwned: true },
      Partner_Center_Audit__c: { type: 'LongTextArea', length: 131072, visibleLines: 10, connectorOwned: true },
    },
  },
  Microsoft_Solution__c: {
    custom: {
      label: 'Microsoft Solution',
      pluralLabel: 'Microsoft Solutions',
      nameField: { type: 'AutoNumber', displayFormat: 'MS-{000000}' },
      sharingModel: 'ControlledByParent',
      enableSearch: false,
      listViews: [],
      tab: false,
      layout: 'Microsoft_Solution__c-Microsoft Solution Layout',
    },
    fields: {
      Opportunity__c: {
        type: 'MasterDetail', referenceTo: 'Opportunity', relationshipName: 'Microsoft_Solutions',
        relationshipLabel: 'Microsoft Solutions',
      },
      Solution_Id__c: { type: 'Text', length: 100, required: true },
      Solution_Name__c: { type: 'Text', length: 255 },
      Publisher_Name__c: { type: 'Text', length: 255 },
      Solution_Detail__c: {
        type: 'Lookup', referenceTo: 'Microsoft_Solution_Detail__c', relationshipName: 'Microsoft_Solutions',
        relationshipLabel: 'Microsoft Solutions', deleteConstraint: 'SetNull',
      },
    },
  },
  Microsoft_Solution_Detail__c: {
    custom: {
      label: 'Microsoft Solution Catalog Entry',
      pluralLabel: 'Microsoft Solution Catalog',
      nameField: { type: 'Text' },
      sharingModel: 'Read',
      enableSearch: true,
      listViews: ['Active', 'All'],
      tab: true,
      layout: 'Microsoft_Solution_Detail__c-Microsoft Solution Catalog Entry Layout',
    },
    fields: {
      Solution_Id__c: { type: 'Text', length: 100, required: true, externalId: true, unique: true },
      Publisher_Name__c: { type: 'Text', length: 255 },
      Solution_Type__c: {
        type: 'Picklist',
        picklist: {
          values: [['CoSellReady', 'Partner co-sell ready solution'], ['MicrosoftCatalog', 'Microsoft catalog solution']],
        },
      },
      Active__c: { type: 'Checkbox', defaultValue: 'true' },
      Description__c: { type: 'TextArea' },
    },
  },
  Partner_Center_Settings__c: {
    custom: {
      label: 'Partner Center Settings',
      pluralLabel: 'Partner Center Settings',
      nameField: { type: 'Text' },
      sharingModel: 'Read',
      enableSearch: false,
      listViews: ['All'],
      tab: false,
      layout: 'Partner_Center_Settings__c-Partner Center Settings Layout',
    },
    fields: {
      Active__c: { type: 'Checkbox', defaultValue: 'true' },
      Display_Check_Mark__c: { type: 'Checkbox', defaultValue: 'true' },
      Active_Stage_Name__c: { type: 'Text', length: 255 },
      On_Hold_Stage_Name__c: { type: 'Text', length: 255 },
      Won_Stage_Name__c: { type: 'Text', length: 255 },
      Lost_Stage_Name__c: { type: 'Text', length: 255 },
      Country_Code_Field__c: { type: 'Text', length: 255, defaultValue: '"Account.BillingCountry"' },
      Deal_Value_Field__c: { type: 'Text', length: 255, defaultValue: '"Opportunity.Amount"' },
      Currency_Field__c: { type: 'Text', length: 255, defaultValue: '"Opportunity.CurrencyIsoCode"' },
      Sync_Co_Sell_Only__c: { type: 'Checkbox', defaultValue: 'true' },
    },
  },
  Partner_Center_Sync_Log__c: {
    custom: {
      label: 'Partner Center Sync Log',
      pluralLabel: 'Partner Center Sync Logs',
      nameField: { type: 'AutoNumber', displayFormat: 'SL-{00000000}' },
      sharingModel: 'Private',
      enableSearch: true,
      listViews: ['All', 'Errors', 'Today'],
      tab: true,
      layout: 'Partner_Center_Sync_Log__c-Partner Center Sync Log Layout',
    },
    fields: {
      Direction__c: { type: 'Picklist', picklist: { values: [['Outbound', 'Outbound'], ['Inbound', 'Inbound']] } },
      Opportunity__c: {
        type: 'Lookup', referenceTo: 'Opportunity', relationshipName: 'Partner_Center_Sync_Logs',
        relationshipLabel: 'Partner Center Sync Logs', deleteConstraint: 'SetNull',
      },
      Referral_Id__c: { type: 'Text', length: 100 },
      Outcome__c: {
        type: 'Picklist',
        picklist: {
          values: [['Success', 'Success'], ['Error', 'Error'], ['Skipped', 'Skipped'], ['Retrying', 'Retrying'],
            ['Parked', 'Parked']],
        },
      },
      Message__c: { type: 'LongTextArea', length: 32768, visibleLines: 5 },
      Request_Id__c: { type: 'Text', length: 100 },
      Reason_Code__c: { type: 'Text', length: 80 },
      Occurred_At__c: { type: 'DateTime' },
      Operation__c: { type: 'Text', length: 100 },
      Failure_Reason__c: { type: 'Text', length: 80 },
      Failure_Parameters__c: { type: 'Text', length: 255 },
    },
  },
};

const OBJECTS = Object.keys(SCHEMA);
const CUSTOM_OBJECTS = OBJECTS.filter((o) => SCHEMA[o].custom);
const fieldsOf = (object: string) => Object.entries(SCHEMA[object].fields);
const hasField = (object: string, field: string) => field in (SCHEMA[object]?.fields ?? {});

/** The child relationship SOQL and report types use: `<relationshipName>__r` of a lookup/master-detail field. */
function childRelationship(child: string, field: string): string {
  const name = SCHEMA[child].fields[field].relationshipName;
  assert.ok(name, `${child}.${field} has no relationship name in SCHEMA`);
  return `${name}__r`;
}

/** Scalar attributes compared one to one with SCHEMA; anything SCHEMA leaves out must be absent or false. */
const STRING_ATTRIBUTES = [
  'length', 'visibleLines', 'defaultValue', 'referenceTo', 'relationshipName', 'relationshipLabel', 'deleteConstraint',
] as const;
const BOOLEAN_ATTRIBUTES = ['required', 'externalId', 'unique'] as const;

describe('data model: fields', () => {
  for (const object of OBJECTS) {
    it(`${object} declares exactly the expected custom fields`, () => {
      const files = listMetadata(`objects/${object}/fields`, '.field-meta.xml').map((f) => f.replace(/\.field-meta\.xml$/, ''));
      assert.deepEqual(files, Object.keys(SCHEMA[object].fields).sort());
    });

    for (const [name, spec] of fieldsOf(object)) {
      it(`${object}.${name} is ${spec.type} with the expected attributes`, () => {
        const field = readField(object, name);
        assert.equal(field.fullName, name);
        assert.equal(field.type, spec.type);
        for (const attribute of STRING_ATTRIBUTES) {
          const expected = spec[attribute];
          assert.equal(field[attribute], expected === undefined ? undefined : String(expected), `${name}.${attribute}`);
        }
        for (const attribute of BOOLEAN_ATTRIBUTES) {
          assert.equal(isTrue(field[attribute]), spec[attribute] === true, `${name}.${attribute}`);
        }
        if (spec.unique) assert.equal(isTrue(field.caseSensitive), false, `${name} unique ids compare case-insensitively`);
        if (spec.type === 'MasterDetail') {
          assert.equal(isTrue(field.reparentableMasterDetail), false, `${name}: solutions stay with their opportunity`);
          assert.equal(isTrue(field.writeRequiresMasterRead), false, `${name}: editing needs edit access to the parent`);
        }
      });

      it(`${object}.${name} has a label, description and inline help text`, () => {
        const field = readField(object, name);
        assert.ok(typeof field.label === 'string' && field.label.length > 0 && field.label.length <= 40, 'label');
        assert.ok(typeof field.description === 'string' && field.description.length >= 20, 'description');
        assert.ok(field.description.length <= 1000, 'description fits the 1000-character limit');
        assert.ok(typeof field.inlineHelpText === 'string' && field.inlineHelpText.length >= 10, 'inlineHelpText');
        assert.ok(field.inlineHelpText.length <= 510, 'inlineHelpText fits the 510-character limit');
      });

      if (spec.picklist) {
        const { values, default: defaultValue } = spec.picklist;
        it(`${object}.${name} is a restricted picklist of exactly ${values.map(([api]) => api).join(', ')}`, () => {
          const valueSet = readField(object, name).valueSet as Xml;
          assert.ok(valueSet, 'valueSet');
          assert.equal(isTrue(valueSet.restricted), true, 'restricted');
          const actual = (valueSet.valueSetDefinition.value as Xml[]).map((v) => [v.fullName, v.label]);
          assert.deepEqual(actual, values);
          const defaults = (valueSet.valueSetDefinition.value as Xml[]).filter((v) => isTrue(v.default));
          assert.deepEqual(defaults.map((v) => v.fullName), defaultValue ? [defaultValue] : []);
        });
      }
    }
  }

  it('Microsoft_Help__c offers every Partner Center assistanceRequestCode except Unknown', () => {
    const values = (readField('Opportunity', 'Microsoft_Help__c').valueSet.valueSetDefinition.value as Xml[])
      .map((v) => v.fullName);
    assert.ok(!values.includes('Unknown'));
    assert.equal(values.length, 6);
  });
});

describe('data model: custom objects', () => {
  for (const object of CUSTOM_OBJECTS) {
    const spec = SCHEMA[object].custom!;
    it(`${object} is "${spec.label}" with ${spec.nameField.type} names and ${spec.sharingModel} sharing`, () => {
      const meta = readMetadata(`objects/${object}/${object}.object-meta.xml`);
      assert.equal(meta.label, spec.label);
      assert.equal(meta.pluralLabel, spec.pluralLabel);
      assert.ok(typeof meta.description === 'string' && meta.description.length >= 40, 'description');
      assert.equal(meta.deploymentStatus, 'Deployed');
      assert.equal(meta.sharingModel, spec.sharingModel);
      assert.equal(isTrue(meta.enableSearch), spec.enableSearch, 'enableSearch');
      assert.equal(isTrue(meta.enableReports), true, 'enableReports');
      assert.equal(meta.nameField.type, spec.nameField.type);
      assert.ok(meta.nameField.label, 'name field label');
      assert.equal(meta.nameField.displayFormat, spec.nameField.type === 'AutoNumber' ? spec.nameField.displayFormat : undefined);
    });
  }

  it('master-detail children are ControlledByParent (sharing follows the opportunity)', () => {
    for (const object of CUSTOM_OBJECTS) {
      const isDetail = fieldsOf(object).some(([, f]) => f.type === 'MasterDetail');
      assert.equal(SCHEMA[object].custom!.sharingModel === 'ControlledByParent', isDetail, object);
    }
  });
});

describe('data model: Opportunity validation rules', () => {
  const rule = (name: string) => readMetadata(`objects/Opportunity/validationRules/${name}.validationRule-meta.xml`);
  const compact = (formula: string) => formula.replace(/\s+/g, '');

  it('declares exactly the three rules', () => {
    assert.deepEqual(listMetadata('objects/Opportunity/validationRules', '.validationRule-meta.xml'), [
      'Microsoft_Help_Requires_Visibility.validationRule-meta.xml',
      'Sync_Status_Set_Only_By_Connector.validationRule-meta.xml',
      'Visible_To_Microsoft_Cannot_Be_Undone.validationRule-meta.xml',
    ]);
  });

  it('Sync_Status_Set_Only_By_Connector lets people set only Pending, and the connector anything', () => {
    const r = rule('Sync_Status_Set_Only_By_Connector');
    assert.equal(isTrue(r.active), true);
    const formula = compact(r.errorConditionFormula);
    assert.ok(formula.includes('ISCHANGED(Partner_Center_Sync_Status__c)'), 'only a change is checked');
    assert.ok(formula.includes("NOT(ISPICKVAL(Partner_Center_Sync_Status__c,'Pending'))"), 'Pending (retry) is allowed');
    assert.ok(formula.includes('NOT($Permission.Partner_Center_Integration)'), 'the connector is exempt');
    assert.equal(r.errorDisplayField, 'Partner_Center_Sync_Status__c');
    assert.match(r.errorMessage, /Retry sync/);
  });

  it('Visible_To_Microsoft_Cannot_Be_Undone rejects an update from true to false', () => {
    const r = rule('Visible_To_Microsoft_Cannot_Be_Undone');
    assert.equal(isTrue(r.active), true);
    const formula = compact(r.errorConditionFormula);
    assert.match(formula, /^AND\(/);
    assert.ok(formula.includes('PRIORVALUE(Visible_To_Microsoft_Sellers__c)'), 'was true before');
    assert.ok(formula.includes('NOT(Visible_To_Microsoft_Sellers__c)'), 'is false now');
    assert.ok(formula.includes('NOT(ISNEW())'), 'only updates can undo anything');
    assert.equal(r.errorDisplayField, 'Visible_To_Microsoft_Sellers__c');
    assert.match(r.errorMessage, /Visible to Microsoft Sellers/);
    assert.match(r.errorMessage, /cannot/);
    assert.ok(r.description.length > 40);
  });

  it('Microsoft_Help_Requires_Visibility rejects a help request without visibility, and says why', () => {
    const r = rule('Microsoft_Help_Requires_Visibility');
    assert.equal(isTrue(r.active), true);
    const formula = compact(r.errorConditionFormula);
    assert.match(formula, /^AND\(/);
    assert.ok(formula.includes('NOT(ISBLANK(TEXT(Microsoft_Help__c)))'), 'a help option is chosen');
    assert.ok(formula.includes('NOT(Visible_To_Microsoft_Sellers__c)'), 'visibility is off');
    assert.equal(r.errorDisplayField, 'Visible_To_Microsoft_Sellers__c');
    assert.match(r.errorMessage, /How Can Microsoft Help\?/);
    assert.match(r.errorMessage, /Visible to Microsoft Sellers/);
    assert.match(r.description, /irreversible|never be undone|cannot be undone/i, 'records why the rule rejects');
    assert.match(r.description, /card/i);
  });

  it('the rules refer only to fields in the schema, by the labels sellers see', () => {
    for (const name of ['Microsoft_Help_Requires_Visibility', 'Sync_Status_Set_Only_By_Connector', 'Visible_To_Microsoft_Cannot_Be_Undone']) {
      const r = rule(name);
      for (const ref of String(r.errorConditionFormula).match(/\w+__c/g) ?? []) {
        assert.ok(hasField('Opportunity', ref), `${name} references unknown field ${ref}`);
        assert.ok(r.errorMessage.includes(readField('Opportunity', ref).label), `${name} message names ${ref}`);
      }
    }
  });
});

describe('data model: list views', () => {
  for (const object of CUSTOM_OBJECTS) {
    const expected = SCHEMA[object].custom!.listViews;
    it(`${object} has list views ${expected.join(', ') || '(none)'} showing real fields`, () => {
      const files = listMetadata(`objects/${object}/listViews`, '.listView-meta.xml');
      assert.deepEqual(files, expected.map((v) => `${v}.listView-meta.xml`));
      for (const view of expected) {
        const meta = readMetadata(`objects/${object}/listViews/${view}.listView-meta.xml`);
        assert.equal(meta.fullName, view);
        assert.ok(meta.label);
        for (const column of [...(meta.columns ?? []), ...(meta.filters ?? []).map((f: Xml) => f.field)]) {
          if (String(column).endsWith('__c')) assert.ok(hasField(object, column), `${view}: unknown field ${column}`);
        }
      }
    });
  }

  const filtersOf = (object: string, view: string) =>
    (readMetadata(`objects/${object}/listViews/${view}.listView-meta.xml`).filters ?? []).map((f: Xml) => ({
      field: f.field, operation: f.operation, value: [f.value].flat().join(),
    }));

  it('sync log Errors shows Outcome Error or Parked', () => {
    assert.deepEqual(filtersOf('Partner_Center_Sync_Log__c', 'Errors'),
      [{ field: 'Outcome__c', operation: 'equals', value: 'Error,Parked' }]);
  });
  it('sync log Today shows attempts that occurred today', () => {
    assert.deepEqual(filtersOf('Partner_Center_Sync_Log__c', 'Today'),
      [{ field: 'Occurred_At__c', operation: 'equals', value: 'TODAY' }]);
  });
  it('catalog Active shows only active entries; All views have no filter', () => {
    assert.deepEqual(filtersOf('Microsoft_Solution_Detail__c', 'Active'),
      [{ field: 'Active__c', operation: 'equals', value: '1' }]);
    for (const object of CUSTOM_OBJECTS.filter((o) => SCHEMA[o].custom!.listViews.includes('All'))) {
      assert.deepEqual(filtersOf(object, 'All'), [], object);
    }
  });
});

describe('data model: tabs', () => {
  it('exactly the catalog and the sync log have object tabs', () => {
    const withTabs = CUSTOM_OBJECTS.filter((o) => SCHEMA[o].custom!.tab);
    const objectTabs = listMetadata('tabs', '.tab-meta.xml')
      .map((f) => f.replace(/\.tab-meta\.xml$/, ''))
      .filter((t) => t.endsWith('__c'));
    assert.deepEqual(objectTabs, withTabs.sort());
    for (const object of withTabs) {
      const tab = readMetadata(`tabs/${object}.tab-meta.xml`);
      assert.equal(isTrue(tab.customObject), true);
      assert.match(tab.motif, /^Custom\d+: \S/);
      assert.ok(tab.description);
    }
  });
});

describe('data model: report types', () => {
  const columnsOf = (meta: Xml) =>
    (meta.sections as Xml[]).flatMap((s) => (s.columns as Xml[]).map((c) => ({ field: c.field, table: c.table })));
  /** A report type column's table: the base object, or `<base>.<child relationship>`. */
  function checkColumns(meta: Xml, tables: Record<string, string>) {
    for (const { field, table } of columnsOf(meta)) {
      const object = tables[table];
      assert.ok(object, `unknown table ${table}`);
      if (field.endsWith('__c')) assert.ok(hasField(object, field), `${table}.${field} is not in the schema`);
    }
  }

  it('Partner_Center_Sync_Logs reports on every sync log field', () => {
    const meta = readMetadata('reportTypes/Partner_Center_Sync_Logs.reportType-meta.xml');
    assert.equal(meta.baseObject, 'Partner_Center_Sync_Log__c');
    assert.equal(meta.category, 'other');
    assert.equal(isTrue(meta.deployed), true);
    assert.ok(meta.description);
    assert.equal(meta.label, 'Partner Center Sync Logs');
    assert.equal(meta.join, undefined);
    checkColumns(meta, { Partner_Center_Sync_Log__c: 'Partner_Center_Sync_Log__c' });
    const fields = columnsOf(meta).map((c) => c.field);
    for (const field of Object.keys(SCHEMA.Partner_Center_Sync_Log__c.fields)) assert.ok(fields.includes(field), field);
  });

  it('Opportunities_with_Partner_Center_Sync_Logs joins through the sync log lookup', () => {
    const meta = readMetadata('reportTypes/Opportunities_with_Partner_Center_Sync_Logs.reportType-meta.xml');
    const relationship = childRelationship('Partner_Center_Sync_Log__c', 'Opportunity__c');
    assert.equal(meta.baseObject, 'Opportunity');
    assert.equal(isTrue(meta.deployed), true);
    assert.ok(meta.description);
    assert.equal(meta.label, 'Opportunities with Partner Center Sync Logs');
    assert.equal(meta.join.relationship, relationship);
    checkColumns(meta, { Opportunity: 'Opportunity', [`Opportunity.${relationship}`]: 'Partner_Center_Sync_Log__c' });
    assert.ok(columnsOf(meta).some((c) => c.table === `Opportunity.${relationship}`), 'has sync log columns');
  });
});

describe('data model: layouts', () => {
  const itemsOf = (layout: Xml) =>
    (layout.layoutSections as Xml[]).flatMap((s) =>
      (s.layoutColumns ?? []).flatMap((c: Xml) => (c?.layoutItems ?? []) as Xml[]).map((i: Xml) => ({ ...i, section: s.label })),
    );
  const read = (name: string) => readMetadata(`layouts/${name}.layout-meta.xml`);

  for (const object of CUSTOM_OBJECTS) {
    const name = SCHEMA[object].custom!.layout;
    it(`${name} shows every ${object} field, required ones as Required`, () => {
      const items = itemsOf(read(name));
      for (const [field, spec] of fieldsOf(object)) {
        const item = items.find((i) => i.field === field);
        assert.ok(item, `${field} missing from the layout`);
        if (spec.required || spec.type === 'MasterDetail') assert.equal(item.behavior, 'Required', field);
      }
      for (const { field } of items) {
        if (field.endsWith('__c')) assert.ok(hasField(object, field), `layout shows unknown field ${field}`);
      }
    });
  }

  const OPPORTUNITY_LAYOUT = 'Opportunity-Partner Center Opportunity Layout';

  it('the Opportunity layout is a new layout with the standard fields sellers need', () => {
    assert.ok(!listMetadata('layouts', '.layout-meta.xml').includes('Opportunity-Opportunity Layout.layout-meta.xml'),
      'the standard Opportunity layout is not overwritten');
    const fields = itemsOf(read(OPPORTUNITY_LAYOUT)).map((i) => i.field);
    for (const field of ['Name', 'AccountId', 'StageName', 'CloseDate', 'Amount', 'OwnerId']) {
      assert.ok(fields.includes(field), field);
    }
  });

  it('its "Microsoft Partner Center" section holds every product field; connector-owned ones are Readonly', () => {
    const items = itemsOf(read(OPPORTUNITY_LAYOUT));
    for (const [field, spec] of fieldsOf('Opportunity')) {
      const item = items.find((i) => i.field === field);
      assert.ok(item, `${field} missing`);
      assert.equal(item.section, 'Microsoft Partner Center', field);
      assert.equal(item.behavior, spec.connectorOwned ? 'Readonly' : 'Edit', field);
    }
  });

  it('it lists Microsoft Solutions and Partner Center Sync Logs as related lists', () => {
    const lists = (read(OPPORTUNITY_LAYOUT).relatedLists as Xml[]).map((r) => r.relatedList);
    for (const child of ['Microsoft_Solution__c', 'Partner_Center_Sync_Log__c']) {
      const [field] = fieldsOf(child).find(([, f]) => f.referenceTo === 'Opportunity')!;
      assert.ok(lists.includes(`${child}.${field}`), `${child}.${field}`);
    }
    for (const r of read(OPPORTUNITY_LAYOUT).relatedLists as Xml[]) {
      const [child] = String(r.relatedList).split('.');
      for (const column of r.fields ?? []) {
        if (column.endsWith('__c')) assert.ok(hasField(child, column), `${r.relatedList}: unknown column ${column}`);
      }
    }
  });
});

describe('data model: Opportunity record page', () => {
  const page = () => readMetadata('flexipages/Opportunity_Partner_Center_Record_Page.flexipage-meta.xml');
  const regions = () => page().flexiPageRegions as Xml[];
  const components = (region: Xml) => ((region.itemInstances ?? []) as Xml[]).map((i) => i.componentInstance as Xml);

  it('is an Opportunity record page on the standard header/main/sidebar template', () => {
    const meta = page();
    assert.equal(meta.type, 'RecordPage');
    assert.equal(meta.sobjectType, 'Opportunity');
    assert.equal(meta.template.name, 'flexipage:recordHomeTemplateDesktop');
    assert.ok(meta.masterLabel);
    const templateRegions = regions().filter((r) => r.type === 'Region').map((r) => r.name).sort();
    assert.deepEqual(templateRegions, ['header', 'main', 'sidebar']);
  });

  it('shows the highlights panel, the record detail and the related lists', () => {
    const byName = new Map(regions().map((r) => [r.name, components(r).map((c) => c.componentName)]));
    assert.ok(byName.get('header')!.includes('force:highlightsPanel'));
    const all = [...byName.values()].flat();
    assert.ok(all.includes('force:detailPanel'));
    assert.ok(all.includes('force:relatedListContainer'));
  });

  it('puts the Microsoft Partner Center card first in the sidebar, and the card targets Opportunity record pages', () => {
    const sidebar = regions().find((r) => r.name === 'sidebar')!;
    assert.equal(components(sidebar)[0].componentName, 'partnerCenterCard');
    const bundle = readMetadata('lwc/partnerCenterCard/partnerCenterCard.js-meta.xml');
    assert.equal(isTrue(bundle.isExposed), true);
    assert.ok([bundle.targets.target].flat().includes('lightning__RecordPage'));
    assert.deepEqual([bundle.targetConfigs.targetConfig.objects.object].flat(), ['Opportunity']);
  });

  it('the card keeps the data and the saves in under 300 lines of TypeScript; each concern is a child component', () => {
    const lwc = path.join(FORCE_APP, 'lwc');
    const lines = readFileSync(path.join(lwc, 'partnerCenterCard', 'partnerCenterCard.ts'), 'utf8').split('\n').length;
    assert.ok(lines < 300, `partnerCenterCard.ts has ${lines} lines`);
    const template = readFileSync(path.join(lwc, 'partnerCenterCard', 'partnerCenterCard.html'), 'utf8');
    for (const child of ['sync-status', 'co-sell-choices', 'prerequisites', 'referral-details', 'solutions', 'audit-trail']) {
      assert.ok(template.includes(`<c-partner-center-${child}`), `the card renders c-partner-center-${child}`);
    }
  });

  it('is well-formed: unique identifiers, and every facet a component points at exists', () => {
    const all = regions().flatMap(components);
    const ids = all.map((c) => c.identifier);
    assert.equal(new Set(ids).size, ids.length, 'identifiers are unique');
    const facets = new Set(regions().filter((r) => r.type === 'Facet').map((r) => r.name));
    const referenced = all.flatMap((c) =>
      ((c.componentInstanceProperties ?? []) as Xml[])
        .filter((p) => p.name === 'body' || p.name === 'tabs')
        .map((p) => [p.value].flat()[0]),
    );
    assert.ok(referenced.length > 0);
    for (const facet of referenced) assert.ok(facets.has(facet), `missing facet ${facet}`);
    for (const facet of facets) assert.ok(referenced.includes(facet), `unused facet ${facet}`);
  });
});
