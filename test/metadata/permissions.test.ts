/**
 * The package's permission model, written as a spec. The tables below are the single source of truth for what each
 * permission set grants; the tests hold every file under permissionsets/ (and customPermissions/) to them, both
 * ways: nothing granted that the table does not list, nothing listed that the file does not grant.
 *
 * Three permission sets:
 * - Partner_Center_Seller: people who work deals on the Opportunity card.
 * - Partner_Center_Admin: people who run the integration (setup page, catalog, sync log). A superset of Seller.
 * - Partner_Center_Integration: the connector's API-only integration user. Least privilege that still works.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { FORCE_APP, isTrue, listMetadata, readMetadata, type Xml } from './force-app.js';

const SETS = ['Partner_Center_Seller', 'Partner_Center_Admin', 'Partner_Center_Integration'] as const;
type PermSet = (typeof SETS)[number];
type Access = 'none' | 'read' | 'edit';
/** [Seller, Admin, Integration, why]. */
type Row<T> = readonly [T, T, T, string];

const column = (set: PermSet): 0 | 1 | 2 => SETS.indexOf(set) as 0 | 1 | 2;

// ---------------------------------------------------------------------------------------------------------------
// Field-level security. Every field of ours that can carry a field permission is listed; so are the standard fields
// the connector maps, because its Minimum Access - API Only Integrations profile grants no field access at all.
// ---------------------------------------------------------------------------------------------------------------
const FIELD_ACCESS: Record<string, Row<Access>> = {
  //                                                    Seller  Admin   Integration
  'Opportunity.Sync_With_Partner_Center__c':           ['edit', 'edit', 'edit', 'Sellers opt a deal in; referrals from Microsoft arrive opted in.'],
  'Opportunity.Microsoft_Help__c':                     ['edit', 'edit', 'edit', 'Sellers ask for help; the connector writes the help code a referral arrives with.'],
  'Opportunity.Visible_To_Microsoft_Sellers__c':       ['edit', 'edit', 'edit', 'Sellers share the deal; the connector mirrors consent from Partner Center.'],
  'Opportunity.Partner_Center_Sync_Status__c':         ['edit', 'edit', 'edit', 'Editable for people only so the card\'s "Retry sync" can set Pending; validation rule Sync_Status_Set_Only_By_Connector rejects any other value unless the user holds the integration custom permission.'],
  'Opportunity.Referral_Id__c':                        ['read', 'read', 'edit', 'Partner Center\'s id, written back by the connector; read-only for people.'],
  'Opportunity.Referral_Link__c':                      ['read', 'read', 'edit', 'Portal link written back by the connector.'],
  'Opportunity.Microsoft_CRM_Id__c':                   ['read', 'read', 'edit', 'Microsoft\'s CRM id once Microsoft accepts; written by the connector.'],
  'Opportunity.Partner_Center_Status__c':              ['read', 'read', 'edit', 'Referral status/substatus as Partner Center reports it.'],
  'Opportunity.Partner_Center_Last_Sync__c':           ['read', 'read', 'edit', 'Time of the last successful exchange.'],
  'Opportunity.Partner_Center_Audit__c':               ['read', 'read', 'edit', 'Audit trail the connector appends to; people only read it.'],

  'Microsoft_Solution__c.Solution_Name__c':            ['edit', 'edit', 'edit', 'Sellers attach solutions on the card; the connector creates them for referrals.'],
  'Microsoft_Solution__c.Publisher_Name__c':           ['edit', 'edit', 'edit', 'Copied from the catalog entry or the referral.'],
  'Microsoft_Solution__c.Solution_Detail__c':          ['edit', 'edit', 'read', 'Link to the catalog entry the seller picked; the connector reads it, solutions it creates have none.'],

  'Microsoft_Solution_Detail__c.Publisher_Name__c':    ['read', 'edit', 'none', 'Catalog is admin-maintained; sellers only read it (the connector never reads it).'],
  'Microsoft_Solution_Detail__c.Solution_Type__c':     ['read', 'edit', 'none', 'Co-sell ready or Microsoft catalog.'],
  'Microsoft_Solution_Detail__c.Active__c':            ['read', 'edit', 'none', 'Inactive entries are hidden from the picker.'],
  'Microsoft_Solution_Detail__c.Description__c':       ['read', 'edit', 'none', 'Shown to sellers when picking.'],

  'Partner_Center_Settings__c.Active__c':              ['read', 'edit', 'read', 'Everyone reads the one active settings record; only admins change it.'],
  'Partner_Center_Settings__c.Display_Check_Mark__c':  ['read', 'edit', 'read', 'The connector decides whether to prefix ✔/✖.'],
  'Partner_Center_Settings__c.Active_Stage_Name__c':   ['read', 'edit', 'read', 'The card reads stage names to explain accept/decline.'],
  'Partner_Center_Settings__c.On_Hold_Stage_Name__c':  ['read', 'edit', 'read', 'New referrals land in this stage.'],
  'Partner_Center_Settings__c.Won_Stage_Name__c':      ['read', 'edit', 'read', 'Closing as won closes the referral as Won.'],
  'Partner_Center_Settings__c.Lost_Stage_Name__c':     ['read', 'edit', 'read', 'Closing as lost closes (or declines) the referral.'],
  'Partner_Center_Settings__c.Country_Code_Field__c':  ['read', 'edit', 'read', 'The card can warn about a missing country code before sync.'],
  'Partner_Center_Settings__c.Deal_Value_Field__c':    ['read', 'edit', 'read', 'Field mapped to details.dealValue.'],
  'Partner_Center_Settings__c.Currency_Field__c':      ['read', 'edit', 'read', 'Field mapped to details.currency.'],
  'Partner_Center_Settings__c.Sync_Co_Sell_Only__c':   ['read', 'edit', 'read', 'Whether marketplace leads come in too.'],

  // Log records are evidence: nobody but the connector writes their fields (admins may delete whole records).
  'Partner_Center_Sync_Log__c.Direction__c':           ['read', 'read', 'edit', 'Written by the connector only.'],
  'Partner_Center_Sync_Log__c.Opportunity__c':         ['read', 'read', 'edit', 'Written by the connector only.'],
  'Partner_Center_Sync_Log__c.Referral_Id__c':         ['read', 'read', 'edit', 'Written by the connector only.'],
  'Partner_Center_Sync_Log__c.Outcome__c':             ['read', 'read', 'edit', 'Written by the connector only.'],
  'Partner_Center_Sync_Log__c.Message__c':             ['read', 'read', 'edit', 'Written by the connector only.'],
  'Partner_Center_Sync_Log__c.Request_Id__c':          ['read', 'read', 'edit', 'Written by the connector only.'],
  'Partner_Center_Sync_Log__c.Reason_Code__c':         ['read', 'read', 'edit', 'Written by the connector only; reports group errors by it.'],
  'Partner_Center_Sync_Log__c.Failure_Reason__c':      ['read', 'read', 'edit', 'Written by the connector only; the card explains it.'],
  'Partner_Center_Sync_Log__c.Failure_Parameters__c':  ['read', 'read', 'edit', 'Written by the connector only; the card explains it.'],
  'Partner_Center_Sync_Log__c.Occurred_At__c':         ['read', 'read', 'edit', 'Written by the connector only.'],
  'Partner_Center_Sync_Log__c.Operation__c':           ['read', 'read', 'edit', 'Written by the connector only.'],

  // Standard fields: people get these from their profiles; the integration user's profile grants none.
  'Opportunity.AccountId':                             ['none', 'none', 'edit', 'Links a referral\'s opportunity to the customer account.'],
  'Opportunity.Amount':                                ['none', 'none', 'edit', 'Default deal value field (details.dealValue).'],
  'Opportunity.Description':                           ['none', 'none', 'edit', 'Referral notes (details.notes) both ways.'],
  'Account.BillingAddress':                            ['none', 'none', 'edit', 'Country code (default Billing Country) and postal code for matching and new customers.'],
  'Contact.AccountId':                                 ['none', 'none', 'edit', 'Customer contacts the connector creates belong to the customer account.'],
  'Contact.Email':                                     ['none', 'none', 'edit', 'Customer contacts are matched by email.'],
  'Contact.Phone':                                     ['none', 'none', 'edit', 'customerProfile.team[].phoneNumber.'],
  'Contact.Title':                                     ['none', 'none', 'edit', 'customerProfile.team[].title.'],
  'Lead.Email':                                        ['none', 'none', 'edit', 'Marketplace lead contact.'],
  'Lead.Phone':                                        ['none', 'none', 'edit', 'Marketplace lead contact.'],
  'Lead.Title':                                        ['none', 'none', 'edit', 'Marketplace lead contact.'],
  'Lead.Address':                                      ['none', 'none', 'edit', 'Marketplace lead customer address.'],
  'Lead.Description':                                  ['none', 'none', 'edit', 'Referral id and notes: Lead carries no custom field of ours.'],
  'Lead.LeadSource':                                   ['none', 'none', 'edit', 'Set to "Partner Center" so marketplace leads can be told apart.'],
};

/**
 * Fields of ours that must NOT appear in any permission set: the platform rejects field permissions on master-detail
 * and required fields (access follows the object; required fields are always visible and editable).
 */
const NO_FIELD_PERMISSION: Record<string, string> = {
  'Microsoft_Solution__c.Opportunity__c': 'master-detail to Opportunity',
  'Microsoft_Solution__c.Solution_Id__c': 'required',
  'Microsoft_Solution_Detail__c.Solution_Id__c': 'required (external id)',
};

// ---------------------------------------------------------------------------------------------------------------
// Object permissions. Letters: C create, R read, E edit, D delete, V view all, M modify all; '' = no entry at all.
// ---------------------------------------------------------------------------------------------------------------
const OBJECT_ACCESS: Record<string, Row<string>> = {
  //                                 Seller  Admin    Integration
  Opportunity:                     ['',     '',      'CREV', 'People have Opportunity from their profile. The connector creates referral deals and must see every syncing deal (sweep of Pending, lookup by referral id) whoever owns it; it never deletes. Where Opportunity sharing is Private it also needs record write access to syncing deals (a sharing rule), deliberately not Modify All.'],
  Account:                         ['',     '',      'CRV',  'Customers are matched by name and postal code across all accounts, else created; the connector never edits an account.'],
  Contact:                         ['',     '',      'CRV',  'Customer contacts are matched by email across all contacts, else created, never edited. (OpportunityContactRole has no object permission: it follows Opportunity edit + Contact read.)'],
  Lead:                            ['',     '',      'CR',   'Marketplace leads are created when "co-sell only" is off (Create needs Read). The connector remembers its leads in its own store and never updates or deletes them.'],
  // Sharing (set on the objects): solutions are controlled by their Opportunity, so the connector's View All on
  // Opportunity already shows it every deal's solutions; catalog and settings are Public Read Only; logs are Private.
  Microsoft_Solution__c:           ['CRED', 'CRED',  'CR',   'Sellers add and remove solutions; the connector creates them for referrals and never edits or deletes them.'],
  Microsoft_Solution_Detail__c:    ['R',    'CREDVM', '',    'Catalog: people read it (Public Read Only); admins maintain every entry whoever loaded it (Modify All). The connector never reads it.'],
  Partner_Center_Settings__c:      ['R',    'CREDVM', 'R',   'One settings record read by the card and the connector; any admin edits it, whoever created it.'],
  Partner_Center_Sync_Log__c:      ['R',    'REDVM', 'CR',   'Private records owned by the connector. Admins see all and delete old ones (Delete needs Edit; read-only field permissions keep log contents unchanged).'],
  Partner_Center_Sync_Status__e:   ['R',    'R',     'C',    'Read = subscribe: the open card refreshes (lightning/empApi). Create = publish: the connector announces a finished sync.'],
  UserExternalCredential:          ['R',    'R',     '',     'Salesforce requires Read on User External Credentials for any user whose callouts go through an External Credential principal; the delivery flow runs as the person whose save published the sync request.'],
  // Partner_Center_Sync_Request__e is published by a record-triggered flow (system context) and delivered to the
  // connector by an event-triggered flow's callout, so no user needs to publish or subscribe to it.
};

/** Objects no permission set may name at all. */
const NO_OBJECT_PERMISSION = ['Partner_Center_Sync_Request__e'];

// ---------------------------------------------------------------------------------------------------------------
// System permissions, custom permissions, app and tabs.
// ---------------------------------------------------------------------------------------------------------------
const USER_PERMISSIONS: Record<PermSet, Record<string, string>> = {
  Partner_Center_Seller: {},
  Partner_Center_Admin: {},
  Partner_Center_Integration: {
    // The connector talks to Salesforce only through the REST API (jsforce). Nothing else is needed: publishing an
    // event is the object permission above, and no Setup, Apex or data-wide permission is involved.
    ApiEnabled: 'REST API access for the connector',
  },
};

/** System permissions no permission set of this package may ever grant, whatever else changes. */
const FORBIDDEN_USER_PERMISSIONS = [
  'ModifyAllData', 'ViewAllData', 'AuthorApex', 'CustomizeApplication', 'ManageUsers', 'ManageProfilesPermissionsets',
  'AssignPermissionSets', 'ViewSetup', 'ModifyMetadata', 'ManageInternalUsers', 'ViewAllUsers',
];

/** Held by the connector's user only: flows skip sync requests for its writes, so holding it silences sync. */
const CUSTOM_PERMISSIONS: Record<PermSet, string[]> = {
  Partner_Center_Seller: [],
  Partner_Center_Admin: [],
  Partner_Center_Integration: ['Partner_Center_Integration'],
};

/**
 * The delivery flow is platform event-triggered, and flow subscribers run as the user who published the event:
 * the seller or admin whose save asked for a sync. Their callout through the Partner_Center_Connector Named
 * Credential therefore needs the External Credential's named principal. The connector never calls out from the org.
 */
const EXTERNAL_CREDENTIAL_PRINCIPALS: Record<PermSet, string[]> = {
  Partner_Center_Seller: ['Partner_Center_Connector-Connector'],
  Partner_Center_Admin: ['Partner_Center_Connector-Connector'],
  Partner_Center_Integration: [],
};

const APPS: Record<PermSet, string[]> = {
  Partner_Center_Seller: ['Partner_Center_CoSell'],
  Partner_Center_Admin: ['Partner_Center_CoSell'],
  Partner_Center_Integration: [], // API only: no app, no tabs.
};

const TABS: Record<PermSet, Record<string, 'Visible' | 'Available'>> = {
  // No sync log tab for sellers: log sharing is Private, so it would always be empty; the card shows the audit trail.
  Partner_Center_Seller: { Microsoft_Solution_Detail__c: 'Visible' },
  Partner_Center_Admin: {
    Partner_Center_Sync_Log__c: 'Visible',
    Microsoft_Solution_Detail__c: 'Visible',
    Partner_Center_Setup: 'Visible',
  },
  Partner_Center_Integration: {},
};

/** Who each description must tell an admin to assign the set to (a phrase that has to appear in it). */
const ASSIGN_TO: Record<PermSet, RegExp> = {
  Partner_Center_Seller: /assign to sellers/i,
  Partner_Center_Admin: /assign to admins/i,
  Partner_Center_Integration: /assign only to the connector's .*integration user/i,
};

// Our custom fields as the data model fixes them, used when objects/<Object>/fields is not there to read.
const OUR_FIELDS: Record<string, string[]> = {
  Opportunity: [
    'Sync_With_Partner_Center__c', 'Referral_Id__c', 'Referral_Link__c', 'Microsoft_Help__c',
    'Visible_To_Microsoft_Sellers__c', 'Microsoft_CRM_Id__c', 'Partner_Center_Status__c',
    'Partner_Center_Sync_Status__c', 'Partner_Center_Last_Sync__c', 'Partner_Center_Audit__c',
  ],
  Microsoft_Solution__c: ['Opportunity__c', 'Solution_Id__c', 'Solution_Name__c', 'Publisher_Name__c', 'Solution_Detail__c'],
  Microsoft_Solution_Detail__c: ['Solution_Id__c', 'Publisher_Name__c', 'Solution_Type__c', 'Active__c', 'Description__c'],
  Partner_Center_Settings__c: [
    'Active__c', 'Display_Check_Mark__c', 'Active_Stage_Name__c', 'On_Hold_Stage_Name__c', 'Won_Stage_Name__c',
    'Lost_Stage_Name__c', 'Country_Code_Field__c', 'Deal_Value_Field__c', 'Currency_Field__c', 'Sync_Co_Sell_Only__c',
  ],
  Partner_Center_Sync_Log__c: [
    'Direction__c', 'Opportunity__c', 'Referral_Id__c', 'Outcome__c', 'Message__c', 'Request_Id__c', 'Reason_Code__c', 'Failure_Reason__c', 'Failure_Parameters__c', 'Occurred_At__c',
    'Operation__c',
  ],
};

// ---------------------------------------------------------------------------------------------------------------
// Reading the files.
// ---------------------------------------------------------------------------------------------------------------
const PERMSET_SUFFIX = '.permissionset-meta.xml';
const readSet = (name: string): Xml => readMetadata(`permissionsets/${name}${PERMSET_SUFFIX}`);
const allSetFiles = (): string[] => listMetadata('permissionsets', PERMSET_SUFFIX);

function fieldAccessIn(set: Xml): Map<string, Access> {
  const map = new Map<string, Access>();
  for (const fp of set.fieldPermissions ?? []) {
    assert.ok(!map.has(fp.field), `field ${fp.field} listed twice`);
    map.set(fp.field, isTrue(fp.editable) ? 'edit' : isTrue(fp.readable) ? 'read' : 'none');
  }
  return map;
}

/** Object permission entry as letters in CREDVM order, so it compares with the table directly. */
function letters(op: Xml): string {
  return [
    ['C', op.allowCreate], ['R', op.allowRead], ['E', op.allowEdit], ['D', op.allowDelete],
    ['V', op.viewAllRecords], ['M', op.modifyAllRecords],
  ].filter(([, v]) => isTrue(v)).map(([l]) => l).join('');
}

function objectAccessIn(set: Xml): Map<string, string> {
  const map = new Map<string, string>();
  for (const op of set.objectPermissions ?? []) {
    assert.ok(!map.has(op.object), `object ${op.object} listed twice`);
    map.set(op.object, letters(op));
  }
  return map;
}

/**
 * Our fields per object: the field files when objects/<Object>/fields has any (for Opportunity that folder holds only
 * the fields this package adds), else the fixed list from the data model.
 */
function ourFields(): { object: string; field: string; xml?: Xml }[] {
  return Object.entries(OUR_FIELDS).flatMap(([object, fixed]) => {
    const dir = `objects/${object}/fields`;
    const files = listMetadata(dir, '.field-meta.xml');
    if (files.length === 0) return fixed.map((field) => ({ object, field }));
    return files.map((file) => ({ object, field: file.replace(/\.field-meta\.xml$/, ''), xml: readMetadata(`${dir}/${file}`) }));
  });
}

const isCustomField = (qualified: string): boolean => qualified.endsWith('__c');

// ---------------------------------------------------------------------------------------------------------------
// The tests.
// ---------------------------------------------------------------------------------------------------------------
describe('permission sets', () => {
  test('exactly the three package permission sets exist', () => {
    assert.deepEqual(allSetFiles(), [...SETS].sort().map((s) => `${s}${PERMSET_SUFFIX}`));
  });

  for (const name of SETS) {
    describe(name, () => {
      const set = readSet(name);

      test('has a label and a description telling an admin whom to assign it to', () => {
        assert.ok(typeof set.label === 'string' && set.label.length > 0, 'label missing');
        assert.ok(set.label.length <= 80, 'label longer than 80 characters');
        assert.ok(typeof set.description === 'string', 'description missing');
        assert.ok(set.description.length <= 255, `description is ${set.description.length} characters; limit 255`);
        assert.match(set.description, ASSIGN_TO[name]);
      });

      test('needs no session activation and is not tied to a user license', () => {
        assert.equal(set.hasActivationRequired, 'false');
        assert.equal(set.license, undefined, 'license must stay unset (see the integration set description)');
      });

      test('field permissions are exactly the table', () => {
        const actual = fieldAccessIn(set);
        const expected = new Map(
          Object.entries(FIELD_ACCESS)
            .map(([field, row]) => [field, row[column(name)]] as const)
            .filter(([, access]) => access !== 'none'),
        );
        for (const [field, access] of expected) {
          assert.equal(actual.get(field) ?? 'none', access, `${name}: ${field} should be ${access}`);
        }
        for (const [field, access] of actual) {
          assert.ok(expected.has(field), `${name}: ${field} is granted (${access}) but the table does not list it`);
        }
      });

      test('object permissions are exactly the table', () => {
        const actual = objectAccessIn(set);
        for (const [object, row] of Object.entries(OBJECT_ACCESS)) {
          assert.equal(actual.get(object) ?? '', row[column(name)], `${name}: ${object}`);
        }
        for (const object of actual.keys()) {
          assert.ok(object in OBJECT_ACCESS, `${name}: ${object} has object permissions the table does not list`);
        }
      });

      test('system permissions are exactly the table', () => {
        const granted = (set.userPermissions ?? []).filter((p: Xml) => isTrue(p.enabled)).map((p: Xml) => p.name);
        assert.deepEqual(granted.sort(), Object.keys(USER_PERMISSIONS[name]).sort());
      });

      test('custom permissions are exactly the table', () => {
        const granted = (set.customPermissions ?? []).filter((p: Xml) => isTrue(p.enabled)).map((p: Xml) => p.name);
        assert.deepEqual(granted.sort(), CUSTOM_PERMISSIONS[name]);
      });

      test('app visibility and tab settings are exactly the table', () => {
        const apps = (set.applicationVisibilities ?? []).filter((a: Xml) => isTrue(a.visible)).map((a: Xml) => a.application);
        assert.deepEqual(apps.sort(), APPS[name]);
        const tabs = Object.fromEntries((set.tabSettings ?? []).map((t: Xml) => [t.tab, t.visibility]));
        assert.deepEqual(tabs, TABS[name]);
      });

      test('external credential principal access is exactly the table', () => {
        const principals = (set.externalCredentialPrincipalAccesses ?? [])
          .filter((a: Xml) => isTrue(a.enabled))
          .map((a: Xml) => a.externalCredentialPrincipal);
        assert.deepEqual(principals.sort(), EXTERNAL_CREDENTIAL_PRINCIPALS[name]);
      });
    });
  }
});

describe('the table itself is consistent with the platform rules and the data model', () => {
  test('covers every custom field of ours: with a field permission, or listed as unable to carry one', () => {
    for (const { object, field } of ourFields()) {
      const qualified = `${object}.${field}`;
      assert.ok(
        qualified in FIELD_ACCESS || qualified in NO_FIELD_PERMISSION,
        `${qualified} is neither in FIELD_ACCESS nor in NO_FIELD_PERMISSION`,
      );
    }
  });

  test('every custom field in the table is one of ours (catches a misspelt field name)', () => {
    const ours = new Set(ourFields().map(({ object, field }) => `${object}.${field}`));
    for (const qualified of [...Object.keys(FIELD_ACCESS), ...Object.keys(NO_FIELD_PERMISSION)]) {
      if (isCustomField(qualified)) assert.ok(ours.has(qualified), `${qualified} is not a field of ours`);
    }
  });

  test('the data model has every field the spec fixes (names are a contract between engineers)', () => {
    const present = new Set(ourFields().map(({ object, field }) => `${object}.${field}`));
    for (const [object, fields] of Object.entries(OUR_FIELDS)) {
      for (const field of fields) assert.ok(present.has(`${object}.${field}`), `${object}.${field} missing`);
    }
  });

  test('every tab and app a permission set names exists in the package', () => {
    for (const file of allSetFiles()) {
      const set = readMetadata(`permissionsets/${file}`);
      for (const t of set.tabSettings ?? []) {
        assert.ok(existsSync(path.join(FORCE_APP, 'tabs', `${t.tab}.tab-meta.xml`)), `${file}: tab ${t.tab} missing`);
      }
      for (const a of set.applicationVisibilities ?? []) {
        const app = path.join(FORCE_APP, 'applications', `${a.application}.app-meta.xml`);
        assert.ok(existsSync(app), `${file}: app ${a.application} missing`);
      }
    }
  });

  test('every object a permission set names exists in the package or is standard', () => {
    const STANDARD = new Set(['Opportunity', 'Account', 'Contact', 'Lead', 'UserExternalCredential']);
    for (const file of allSetFiles()) {
      for (const object of objectAccessIn(readMetadata(`permissionsets/${file}`)).keys()) {
        if (STANDARD.has(object)) continue;
        const meta = path.join(FORCE_APP, 'objects', object, `${object}.object-meta.xml`);
        assert.ok(existsSync(meta), `${file}: object ${object} missing`);
      }
    }
  });

  test('fields that cannot carry a field permission really are required or master-detail, and the rest are not', () => {
    for (const { object, field, xml } of ourFields()) {
      if (!xml) continue; // the objects engineer has not written it yet; the fixed list decides
      const qualified = `${object}.${field}`;
      const cannot = xml.type === 'MasterDetail' || isTrue(xml.required);
      assert.equal(qualified in NO_FIELD_PERMISSION, cannot, `${qualified}: type ${xml.type}, required ${xml.required}`);
    }
  });

  test('no permission set names a field that cannot carry a field permission', () => {
    for (const file of allSetFiles()) {
      const fields = fieldAccessIn(readMetadata(`permissionsets/${file}`));
      for (const qualified of Object.keys(NO_FIELD_PERMISSION)) assert.ok(!fields.has(qualified), `${file}: ${qualified}`);
    }
  });

  test('object permissions respect the platform dependencies', () => {
    for (const file of allSetFiles()) {
      for (const [object, access] of objectAccessIn(readMetadata(`permissionsets/${file}`))) {
        const has = (l: string) => access.includes(l);
        const where = `${file}: ${object} ${access}`;
        if (object.endsWith('__e')) {
          assert.match(access, /^C?R?$/, `${where}: events only take Create and Read`);
          continue;
        }
        assert.ok(has('R'), `${where}: every grant needs Read`);
        if (has('D')) assert.ok(has('E'), `${where}: Delete needs Edit`);
        if (has('M')) assert.ok(has('E') && has('D') && has('V'), `${where}: Modify All needs Edit, Delete, View All`);
      }
      for (const object of NO_OBJECT_PERMISSION) {
        assert.ok(!objectAccessIn(readMetadata(`permissionsets/${file}`)).has(object), `${file}: ${object}`);
      }
    }
  });

  test('an editable field is always readable', () => {
    for (const file of allSetFiles()) {
      for (const fp of readMetadata(`permissionsets/${file}`).fieldPermissions ?? []) {
        if (isTrue(fp.editable)) assert.ok(isTrue(fp.readable), `${file}: ${fp.field}`);
      }
    }
  });
});

describe('the rules the product spec states in words', () => {
  const SELLER_READ_ONLY = [
    'Referral_Id__c', 'Referral_Link__c', 'Microsoft_CRM_Id__c', 'Partner_Center_Status__c',
    'Partner_Center_Last_Sync__c', 'Partner_Center_Audit__c',
  ].map((f) => `Opportunity.${f}`);

  for (const name of ['Partner_Center_Seller', 'Partner_Center_Admin'] as const) {
    test(`${name}: what Partner Center owns is readable and not editable`, () => {
      const byField = new Map<string, Xml>((readSet(name).fieldPermissions ?? []).map((fp: Xml) => [fp.field, fp] as const));
      for (const field of SELLER_READ_ONLY) {
        const fp = byField.get(field);
        assert.ok(fp, `${name}: ${field} missing`);
        assert.equal(fp.readable, 'true', `${name}: ${field} readable`);
        assert.equal(fp.editable, 'false', `${name}: ${field} editable`);
      }
    });

    test(`${name}: the seller's choices and the retry action are editable`, () => {
      const fields = fieldAccessIn(readSet(name));
      for (const f of ['Sync_With_Partner_Center__c', 'Microsoft_Help__c', 'Visible_To_Microsoft_Sellers__c', 'Partner_Center_Sync_Status__c']) {
        assert.equal(fields.get(`Opportunity.${f}`), 'edit', `${name}: Opportunity.${f}`);
      }
    });
  }

  test('admin is a superset of seller', () => {
    const rank = { none: 0, read: 1, edit: 2 } as const;
    const seller = readSet('Partner_Center_Seller');
    const admin = readSet('Partner_Center_Admin');
    const adminFields = fieldAccessIn(admin);
    for (const [field, access] of fieldAccessIn(seller)) {
      assert.ok(rank[adminFields.get(field) ?? 'none'] >= rank[access], `admin lacks ${access} on ${field}`);
    }
    const adminObjects = objectAccessIn(admin);
    for (const [object, access] of objectAccessIn(seller)) {
      for (const l of access) assert.ok((adminObjects.get(object) ?? '').includes(l), `admin lacks ${l} on ${object}`);
    }
    const adminTabs = new Set((admin.tabSettings ?? []).map((t: Xml) => t.tab));
    for (const t of seller.tabSettings ?? []) assert.ok(adminTabs.has(t.tab), `admin lacks tab ${t.tab}`);
  });

  test('the integration user edits fields only on objects it may create or edit, and reads every field it edits', () => {
    // Which fields it needs at all is derived from the connector's code in test/security/integration-permissions.test.ts.
    const fields = fieldAccessIn(readSet('Partner_Center_Integration'));
    const objects = objectAccessIn(readSet('Partner_Center_Integration'));
    for (const [qualified, access] of fields) {
      const object = qualified.split('.')[0];
      const rights = objects.get(object) ?? '';
      assert.ok(rights.includes('R'), `integration has field access to ${qualified} but cannot read ${object}`);
      if (access === 'edit') assert.ok(rights.includes('C') || rights.includes('E'), `integration may edit ${qualified} but neither create nor edit ${object}`);
    }
  });

  test('the integration custom permission is granted by the integration set and by no other permission set', () => {
    for (const file of allSetFiles()) {
      const granted = (readMetadata(`permissionsets/${file}`).customPermissions ?? [])
        .filter((p: Xml) => isTrue(p.enabled))
        .map((p: Xml) => p.name);
      const expected = file === `Partner_Center_Integration${PERMSET_SUFFIX}`;
      assert.equal(granted.includes('Partner_Center_Integration'), expected, file);
    }
  });

  test('no permission set grants data-wide, Apex or administration system permissions', () => {
    for (const file of allSetFiles()) {
      const granted = (readMetadata(`permissionsets/${file}`).userPermissions ?? [])
        .filter((p: Xml) => isTrue(p.enabled))
        .map((p: Xml) => p.name);
      for (const forbidden of FORBIDDEN_USER_PERMISSIONS) assert.ok(!granted.includes(forbidden), `${file}: ${forbidden}`);
    }
  });

  test("people never get Modify All on deal data and cannot publish the connector's status event", () => {
    for (const name of ['Partner_Center_Seller', 'Partner_Center_Admin'] as const) {
      const objects = objectAccessIn(readSet(name));
      for (const object of ['Opportunity', 'Microsoft_Solution__c']) {
        assert.ok(!(objects.get(object) ?? '').includes('M'), `${name}: ${object}`);
      }
      assert.ok(!(objects.get('Partner_Center_Sync_Status__e') ?? '').includes('C'), `${name} may not publish status`);
    }
  });
});

describe('custom permission Partner_Center_Integration', () => {
  const file = 'customPermissions/Partner_Center_Integration.customPermission-meta.xml';

  test('is the only custom permission and says who holds it and why', () => {
    assert.deepEqual(listMetadata('customPermissions'), ['Partner_Center_Integration.customPermission-meta.xml']);
    const cp = readMetadata(file);
    assert.ok(cp.label, 'label missing');
    assert.ok(cp.description.length <= 255, 'description over 255 characters');
    assert.match(cp.description, /integration user/i);
    assert.match(cp.description, /loop/i);
    assert.equal(cp.isLicensed, 'false');
  });

  test('every permission set names only custom permissions that exist', () => {
    const existing = new Set(
      readdirSync(path.join(FORCE_APP, 'customPermissions')).map((f) => f.replace('.customPermission-meta.xml', '')),
    );
    for (const f of allSetFiles()) {
      for (const p of readMetadata(`permissionsets/${f}`).customPermissions ?? []) {
        assert.ok(existing.has(p.name), `${f}: ${p.name}`);
      }
    }
  });
});
