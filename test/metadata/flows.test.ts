/**
 * The sync flows, read as behaviour rather than as XML: entry formulas and decisions are evaluated against
 * before/after pictures of a save (a tiny evaluator for the formula subset they use), so breaking an entry
 * condition, the integration-user exclusion or the reason mapping fails a test. Also pins the callout: the
 * delivery flow calls the External Services action through the Partner_Center_Connector named credential, and the
 * registration's OpenAPI document matches docs/sync-request-contract.md.
 */
import { XMLParser } from 'fast-xml-parser';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import ts from 'typescript';
import { validateFlows } from '../../scripts/validate/flows.js';
import { ROOT } from '../../scripts/lib/paths.js';
import { FORCE_APP, isTrue, listMetadata, readMetadata, type Xml } from './force-app.js';

// ---------------------------------------------------------------------------------------------------------------
// Reading flows
// ---------------------------------------------------------------------------------------------------------------
const flow = (name: string): Xml => readMetadata(`flows/${name}.flow-meta.xml`);
const arr = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const first = <T>(v: T | T[] | undefined): T | undefined => arr(v)[0];

const ELEMENT_TYPES = ['actionCalls', 'assignments', 'decisions', 'recordCreates', 'recordUpdates', 'recordLookups', 'recordDeletes'];

function elements(f: Xml): Map<string, { type: string; el: Xml }> {
  const all = new Map<string, { type: string; el: Xml }>();
  for (const type of ELEMENT_TYPES) for (const el of arr<Xml>(f[type])) all.set(el.name, { type, el });
  return all;
}

function element(f: Xml, type: string, name: string): Xml {
  const el = arr<Xml>(f[type]).find((e) => e.name === name);
  assert.ok(el, `${f.label}: no ${type} element ${name}`);
  return el;
}

/** A flow value element (<value>, <rightValue>) as a JS value or a reference marker. */
type FlowValue = { ref: string } | string | number | boolean | null;
function flowValue(v: Xml | undefined): FlowValue {
  if (!v) return null;
  if (v.elementReference !== undefined) return { ref: v.elementReference };
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.booleanValue !== undefined) return isTrue(v.booleanValue);
  if (v.numberValue !== undefined) return Number(v.numberValue);
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// A save, as the flows see it
// ---------------------------------------------------------------------------------------------------------------
type Rec = Record<string, unknown>;
interface Save {
  record: Rec;
  /** Absent on create. */
  prior?: Rec;
  /** Custom permissions the running user holds. */
  permissions?: string[];
}

function resolve(refPath: string, save: Save, locals: Record<string, unknown> = {}): unknown {
  const [root, ...rest] = refPath.split('.');
  let value: unknown;
  if (root === '$Record') value = save.record;
  else if (root === '$Record__Prior') value = save.prior;
  else if (root === '$Permission') return (save.permissions ?? []).includes(rest.join('.'));
  else if (root !== undefined && root in locals) value = locals[root];
  else throw new Error(`unknown reference {!${refPath}}`);
  for (const key of rest) value = value == null ? undefined : (value as Rec)[key];
  return value;
}

// Formula subset: FUNC(args...), {!merge.field}, "string", TRUE/FALSE. Anything else throws, so a formula that
// grows beyond what the tests understand is noticed instead of silently passing.
type Ast = { call: string; args: Ast[] } | { ref: string } | { str: string } | { bool: boolean };

function parseFormula(src: string): Ast {
  let i = 0;
  const ws = () => {
    while (i < src.length && /\s/.test(src[i] as string)) i++;
  };
  const expr = (): Ast => {
    ws();
    if (src.startsWith('{!', i)) {
      const end = src.indexOf('}', i);
      const ref = src.slice(i + 2, end).trim();
      i = end + 1;
      return { ref };
    }
    if (src[i] === '"') {
      const end = src.indexOf('"', i + 1);
      const str = src.slice(i + 1, end);
      i = end + 1;
      return { str };
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))?.[0];
    if (!name) throw new Error(`formula: unexpected "${src.slice(i, i + 20)}"`);
    i += name.length;
    ws();
    if (src[i] !== '(') {
      if (/^(TRUE|FALSE)$/i.test(name)) return { bool: name.toUpperCase() === 'TRUE' };
      throw new Error(`formula: bare word ${name}`);
    }
    i++;
    const args: Ast[] = [];
    ws();
    if (src[i] === ')') {
      i++;
      return { call: name.toUpperCase(), args };
    }
    for (;;) {
      args.push(expr());
      ws();
      if (src[i] === ',') {
        i++;
        continue;
      }
      if (src[i] === ')') {
        i++;
        return { call: name.toUpperCase(), args };
      }
      throw new Error(`formula: expected , or ) at "${src.slice(i, i + 20)}"`);
    }
  };
  const ast = expr();
  ws();
  if (i !== src.length) throw new Error(`formula: trailing "${src.slice(i)}"`);
  return ast;
}

/** TEXT() of a date/time in a Salesforce formula: GMT as YYYY-MM-DD HH:MM:SSZ. */
const formulaText = (d: Date): string => d.toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, 'Z');

function evaluate(ast: Ast, save: Save): unknown {
  if ('ref' in ast) return resolve(ast.ref, save);
  if ('str' in ast) return ast.str;
  if ('bool' in ast) return ast.bool;
  const args = ast.args;
  const bool = (a: Ast) => evaluate(a, save) === true;
  switch (ast.call) {
    case 'AND':
      return args.every(bool);
    case 'OR':
      return args.some(bool);
    case 'NOT':
      return !bool(args[0] as Ast);
    case 'ISNEW':
      return save.prior === undefined;
    case 'ISCHANGED': {
      const a = args[0] as Ast;
      assert.ok('ref' in a && a.ref.startsWith('$Record.'), 'ISCHANGED takes a $Record field');
      if (!save.prior) return false;
      return resolve(a.ref, save) !== resolve(a.ref.replace('$Record.', '$Record__Prior.'), save);
    }
    case 'ISPICKVAL':
      return evaluate(args[0] as Ast, save) === evaluate(args[1] as Ast, save);
    case 'TEXT': {
      const v = evaluate(args[0] as Ast, save);
      return v instanceof Date ? formulaText(v) : String(v);
    }
    case 'SUBSTITUTE':
      return String(evaluate(args[0] as Ast, save)).split(String(evaluate(args[1] as Ast, save))).join(
        String(evaluate(args[2] as Ast, save)),
      );
    default:
      throw new Error(`formula: function ${ast.call} is not modelled by this test`);
  }
}

/** Whether a record-triggered flow's entry formula lets this save in. */
const runs = (f: Xml, save: Save): boolean => evaluate(parseFormula(String(f.start.filterFormula)), save) === true;

/** Evaluates one decision the way Flow does: first rule whose conditions hold wins, else the default. */
function decide(decision: Xml, save: Save, locals: Record<string, unknown> = {}): string | undefined {
  for (const rule of arr<Xml>(decision.rules)) {
    const results = arr<Xml>(rule.conditions).map((c) => {
      const ref = String(c.leftValueReference);
      const right = flowValue(c.rightValue);
      const left = resolve(ref, save, locals);
      switch (c.operator) {
        case 'IsChanged': {
          const changed = save.prior !== undefined && left !== resolve(ref.replace('$Record.', '$Record__Prior.'), save);
          return changed === right;
        }
        case 'IsNull':
          return (left == null) === right;
        case 'EqualTo':
          return left === right;
        case 'NotEqualTo':
          return left !== right;
        default:
          throw new Error(`decision operator ${c.operator} is not modelled by this test`);
      }
    });
    const logic = String(rule.conditionLogic ?? 'and');
    const hit = logic === 'or' ? results.some(Boolean) : logic === 'and' ? results.every(Boolean) : null;
    if (hit === null) throw new Error(`condition logic ${logic} is not modelled by this test`);
    if (hit) return first<Xml>(rule.connector)?.targetReference ?? `(end of ${rule.name})`;
  }
  return decision.defaultConnector?.targetReference;
}

// ---------------------------------------------------------------------------------------------------------------
// The contract
// ---------------------------------------------------------------------------------------------------------------
const SYNCED_FIELDS = ['Name', 'Amount', 'CloseDate', 'StageName', 'Description', 'Microsoft_Help__c', 'Visible_To_Microsoft_Sellers__c'];
const REASONS = ['Created', 'Updated', 'SolutionsChanged', 'Retry'];
const INTEGRATION = 'Partner_Center_Integration';
const EVENT = 'Partner_Center_Sync_Request__e';
const CREDENTIAL = 'Partner_Center_Connector';

const MARK_PENDING = 'Partner_Center_Opportunity_Mark_Pending';
const REQUEST_SYNC = 'Partner_Center_Opportunity_Request_Sync';
const SOLUTION_CHANGED = 'Partner_Center_Solution_Changed';
const SOLUTION_REMOVED = 'Partner_Center_Solution_Removed';
const DELIVER = 'Partner_Center_Deliver_Sync_Request';
const CONNECTION_CHECK = 'Partner_Center_Connection_Check';

/** A syncing opportunity as it sits in the org before an edit. */
const OPP: Rec = {
  Id: '006000000000001AAA',
  Name: 'Contoso expansion',
  Amount: 50000,
  CloseDate: '2025-09-30',
  StageName: 'Prospecting',
  Description: 'Phase 1',
  Microsoft_Help__c: null,
  Visible_To_Microsoft_Sellers__c: false,
  Sync_With_Partner_Center__c: true,
  Partner_Center_Sync_Status__c: 'Synced',
  Partner_Center_Audit__c: '',
  Partner_Center_Status__c: 'Active - Accepted',
  NextStep: 'Call',
};
const NEW_VALUES: Rec = {
  Name: 'Contoso expansion (EU)',
  Amount: 65000,
  CloseDate: '2025-10-31',
  StageName: 'Closed Won',
  Description: 'Phase 1 and 2',
  Microsoft_Help__c: 'Technical',
  Visible_To_Microsoft_Sellers__c: true,
};
const edit = (changes: Rec, permissions: string[] = [], prior: Rec = OPP): Save => ({
  prior,
  record: { ...prior, ...changes },
  permissions,
});
const create = (record: Rec, permissions: string[] = []): Save => ({ record: { ...OPP, ...record }, permissions });

// ---------------------------------------------------------------------------------------------------------------
describe('every flow', () => {
  const names = listMetadata('flows', '.flow-meta.xml').map((f) => f.replace('.flow-meta.xml', ''));

  test('the package has exactly the sync flows and the setup page\'s connection check', () => {
    assert.deepEqual(names, [CONNECTION_CHECK, DELIVER, MARK_PENDING, REQUEST_SYNC, SOLUTION_CHANGED, SOLUTION_REMOVED].sort());
  });

  for (const name of names) {
    test(`${name}: active, API ${'64.0'}, labelled and described, no CurrencyIsoCode`, () => {
      const f = flow(name);
      const project = JSON.parse(readFileSync(path.join(ROOT, 'sfdx-project.json'), 'utf8'));
      assert.equal(f.apiVersion, project.sourceApiVersion);
      assert.equal(f.status, 'Active');
      // The connection check runs in the setup page through lightning-flow, which runs screen flows only.
      assert.equal(f.processType, name === CONNECTION_CHECK ? 'Flow' : 'AutoLaunchedFlow');
      assert.ok(String(f.label).startsWith('Partner Center: '), 'labels group the flows in Setup');
      assert.ok(String(f.description ?? '').length > 100, 'description says what and why');
      // A packaged flow that references CurrencyIsoCode fails to deploy into single-currency orgs (descriptions may
      // still say so).
      const xml = readFileSync(path.join(ROOT, 'force-app/main/default/flows', `${name}.flow-meta.xml`), 'utf8');
      assert.doesNotMatch(xml.replace(/<description>[\s\S]*?<\/description>/g, ''), /CurrencyIsoCode/);
      for (const [elName, { el }] of elements(f)) assert.ok(el.label, `${elName} has a label`);
    });
  }

  test('record-triggered flows never call out (Salesforce blocks callouts while a record saves)', () => {
    for (const name of [MARK_PENDING, REQUEST_SYNC, SOLUTION_CHANGED, SOLUTION_REMOVED]) {
      assert.equal(arr(flow(name).actionCalls).length, 0, name);
      assert.equal(arr(flow(name).start.scheduledPaths).length, 0, name);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe('Opportunity flows', () => {
  const before = flow(MARK_PENDING);
  const after = flow(REQUEST_SYNC);

  test('trigger: before save marks Pending, after save publishes; both on create and update of Opportunity', () => {
    assert.equal(before.start.object, 'Opportunity');
    assert.equal(before.start.triggerType, 'RecordBeforeSave');
    assert.equal(before.start.recordTriggerType, 'CreateAndUpdate');
    assert.equal(after.start.object, 'Opportunity');
    assert.equal(after.start.triggerType, 'RecordAfterSave');
    assert.equal(after.start.recordTriggerType, 'CreateAndUpdate');
  });

  for (const [label, f] of [['Mark Pending', before], ['Request Sync', after]] as const) {
    describe(label, () => {
      test('runs when a seller creates a syncing opportunity, not a non-syncing one', () => {
        assert.equal(runs(f, create({})), true);
        assert.equal(runs(f, create({ Sync_With_Partner_Center__c: false })), false);
      });

      test('runs when sync is switched on, not when it is switched off', () => {
        const off = { ...OPP, Sync_With_Partner_Center__c: false };
        assert.equal(runs(f, edit({ Sync_With_Partner_Center__c: true }, [], off)), true);
        assert.equal(runs(f, edit({ Sync_With_Partner_Center__c: false })), false);
      });

      for (const field of SYNCED_FIELDS) {
        test(`runs when ${field} changes on a syncing opportunity, not on a non-syncing one`, () => {
          assert.equal(runs(f, edit({ [field]: NEW_VALUES[field] })), true);
          const off = { ...OPP, Sync_With_Partner_Center__c: false };
          assert.equal(runs(f, edit({ [field]: NEW_VALUES[field] }, [], off)), false);
        });
      }

      test('ignores edits to fields that do not sync (including the connector-owned ones)', () => {
        assert.equal(runs(f, edit({})), false);
        assert.equal(runs(f, edit({ NextStep: 'Demo' })), false);
        assert.equal(runs(f, edit({ Partner_Center_Audit__c: 'line' })), false);
        assert.equal(runs(f, edit({ Partner_Center_Status__c: 'Won' })), false);
      });

      test(`never runs for a user holding the ${INTEGRATION} custom permission (no sync loops)`, () => {
        assert.equal(runs(f, create({}, [INTEGRATION])), false);
        assert.equal(runs(f, edit({ Sync_With_Partner_Center__c: true }, [INTEGRATION], { ...OPP, Sync_With_Partner_Center__c: false })), false);
        for (const field of SYNCED_FIELDS) assert.equal(runs(f, edit({ [field]: NEW_VALUES[field] }, [INTEGRATION])), false, field);
        assert.equal(runs(f, edit({ Partner_Center_Sync_Status__c: 'Pending' }, [INTEGRATION])), false);
      });
    });
  }

  test('Mark Pending sets the status in the save itself and makes no DML', () => {
    const set = element(before, 'assignments', first<Xml>(before.start.connector)?.targetReference as string);
    const item = first<Xml>(set.assignmentItems) as Xml;
    assert.equal(item.assignToReference, '$Record.Partner_Center_Sync_Status__c');
    assert.equal(flowValue(first(item.value)), 'Pending');
    for (const type of ['recordUpdates', 'recordCreates', 'recordDeletes']) assert.equal(arr(before[type]).length, 0, type);
  });

  test('a status change that is not a retry does not republish; Retry sync (status to Pending) does', () => {
    assert.equal(runs(after, edit({ Partner_Center_Sync_Status__c: 'Pending' })), true);
    assert.equal(runs(after, edit({ Partner_Center_Sync_Status__c: 'Error' })), false);
    const pending = { ...OPP, Partner_Center_Sync_Status__c: 'Pending' };
    assert.equal(runs(after, edit({ Partner_Center_Sync_Status__c: 'Synced' }, [], pending)), false);
    // Before save needs no retry clause: the seller has already set Pending.
    assert.equal(runs(before, edit({ Partner_Center_Sync_Status__c: 'Pending' })), false);
  });

  /** Follows the after-save flow from its start to the published event and returns Reason__c. */
  function publishedReason(save: Save): string {
    const els = elements(after);
    const decision = els.get(first<Xml>(after.start.connector)?.targetReference as string);
    assert.equal(decision?.type, 'decisions');
    const target = decide(decision.el, save) as string;
    const assignment = element(after, 'assignments', target);
    const items = arr<Xml>(assignment.assignmentItems);
    assert.equal(items.length, 1);
    const reasonVar = (items[0] as Xml).assignToReference;
    assert.equal(first<Xml>(assignment.connector)?.targetReference, 'Publish_Sync_Request');
    const publish = element(after, 'recordCreates', 'Publish_Sync_Request');
    const reasonInput = arr<Xml>(publish.inputAssignments).find((a) => a.field === 'Reason__c') as Xml;
    assert.deepEqual(flowValue(first(reasonInput.value)), { ref: reasonVar });
    return flowValue(first((items[0] as Xml).value)) as string;
  }

  test('publishes Created for a new syncing opportunity or when sync is switched on', () => {
    assert.equal(publishedReason(create({})), 'Created');
    assert.equal(publishedReason(create({ Amount: 1 })), 'Created');
    const off = { ...OPP, Sync_With_Partner_Center__c: false };
    assert.equal(publishedReason(edit({ Sync_With_Partner_Center__c: true, Amount: 1 }, [], off)), 'Created');
  });

  for (const field of SYNCED_FIELDS) {
    test(`publishes Updated when ${field} changes`, () => {
      // Mark Pending has already set the status in the same save.
      assert.equal(publishedReason(edit({ [field]: NEW_VALUES[field], Partner_Center_Sync_Status__c: 'Pending' })), 'Updated');
    });
  }

  test('publishes Retry when only the status moved to Pending', () => {
    assert.equal(publishedReason(edit({ Partner_Center_Sync_Status__c: 'Pending' })), 'Retry');
  });

  test(`publishes ${EVENT} with the opportunity Id and a known reason`, () => {
    const publish = element(after, 'recordCreates', 'Publish_Sync_Request');
    assert.equal(publish.object, EVENT);
    const inputs = Object.fromEntries(arr<Xml>(publish.inputAssignments).map((a) => [a.field, flowValue(first(a.value))]));
    assert.deepEqual(Object.keys(inputs).sort(), ['Opportunity_Id__c', 'Reason__c']);
    assert.deepEqual(inputs.Opportunity_Id__c, { ref: '$Record.Id' });
    const assigned = arr<Xml>(after.assignments).flatMap((a) => arr<Xml>(a.assignmentItems)).map((i) => flowValue(first(i.value)));
    assert.deepEqual([...assigned].sort(), ['Created', 'Retry', 'Updated']);
    for (const r of assigned) assert.ok(REASONS.includes(r as string));
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe('Microsoft solution flows', () => {
  const changed = flow(SOLUTION_CHANGED);
  const removed = flow(SOLUTION_REMOVED);
  const solution = (syncing: boolean, extra: Rec = {}): Rec => ({
    Id: 'a01000000000001AAA',
    Opportunity__c: OPP.Id,
    Opportunity__r: { Sync_With_Partner_Center__c: syncing },
    Solution_Id__c: 'SOL-1',
    Solution_Name__c: 'Contoso on Azure',
    ...extra,
  });

  test('trigger: after save on create/update, before delete, both on Microsoft_Solution__c', () => {
    assert.equal(changed.start.object, 'Microsoft_Solution__c');
    assert.equal(changed.start.triggerType, 'RecordAfterSave');
    assert.equal(changed.start.recordTriggerType, 'CreateAndUpdate');
    assert.equal(removed.start.object, 'Microsoft_Solution__c');
    assert.equal(removed.start.triggerType, 'RecordBeforeDelete');
    assert.equal(removed.start.recordTriggerType, 'Delete');
  });

  test('entry: added, or Solution_Id__c changed, by anyone but the integration user', () => {
    assert.equal(runs(changed, { record: solution(true) }), true);
    assert.equal(runs(changed, { record: solution(true, { Solution_Id__c: 'SOL-2' }), prior: solution(true) }), true);
    assert.equal(runs(changed, { record: solution(true, { Solution_Name__c: 'Renamed' }), prior: solution(true) }), false);
    assert.equal(runs(changed, { record: solution(true), permissions: [INTEGRATION] }), false);
    assert.equal(runs(removed, { record: solution(true) }), true);
    assert.equal(runs(removed, { record: solution(true), permissions: [INTEGRATION] }), false);
  });

  for (const [label, f] of [['added or changed', changed], ['removed', removed]] as const) {
    test(`${label}: a syncing parent ends Pending in the same transaction, with one request (SolutionsChanged or Retry)`, () => {
      const syncing = element(f, 'decisions', first<Xml>(f.start.connector)?.targetReference as string);
      const withStatus = (status: string) => solution(true, { Opportunity__r: { Sync_With_Partner_Center__c: true, Partner_Center_Sync_Status__c: status } });
      assert.equal(decide(syncing, { record: solution(true) }), 'Parent_Is_Pending');
      assert.equal(decide(syncing, { record: solution(false) }), undefined);
      const pending = element(f, 'decisions', 'Parent_Is_Pending');
      // Pending already: announce the new solution list (the status needs no write).
      assert.equal(decide(pending, { record: withStatus('Pending') }), 'Publish_Sync_Request');
      const publish = element(f, 'recordCreates', 'Publish_Sync_Request');
      assert.equal(publish.object, EVENT);
      const inputs = Object.fromEntries(arr<Xml>(publish.inputAssignments).map((a) => [a.field, flowValue(first(a.value))]));
      assert.deepEqual(inputs, { Opportunity_Id__c: { ref: '$Record.Opportunity__c' }, Reason__c: 'SolutionsChanged' });
      // Anything else: set the parent Pending, and publish nothing here.
      for (const status of ['Synced', 'Error', 'Not Synced']) assert.equal(decide(pending, { record: withStatus(status) }), 'Mark_Parent_Pending', status);
      const mark = element(f, 'recordUpdates', 'Mark_Parent_Pending');
      assert.equal(mark.object, 'Opportunity');
      assert.equal(mark.connector, undefined, 'nothing follows the update: no second request');
      const filters = arr<Xml>(mark.filters).map((x) => [x.field, x.operator, flowValue(first(x.value))]);
      assert.deepEqual(filters, [
        ['Id', 'EqualTo', { ref: '$Record.Opportunity__c' }],
        ['Partner_Center_Sync_Status__c', 'NotEqualTo', 'Pending'],
      ]);
      const sets = arr<Xml>(mark.inputAssignments).map((a) => [a.field, flowValue(first(a.value))]);
      assert.deepEqual(sets, [['Partner_Center_Sync_Status__c', 'Pending']]);
      // That update reaches the opportunity flows as a change to Pending: they publish the one request (Retry).
      const after = flow(REQUEST_SYNC);
      assert.equal(runs(after, edit({ Partner_Center_Sync_Status__c: 'Pending' }, [], { ...OPP, Partner_Center_Sync_Status__c: 'Synced' })), true);
    });
  }
});

// ---------------------------------------------------------------------------------------------------------------
// Contract: docs/sync-request-contract.md and the External Service registration
// ---------------------------------------------------------------------------------------------------------------
const CONTRACT = readFileSync(path.join(ROOT, 'docs/sync-request-contract.md'), 'utf8');

/** Rows of the first markdown table after a heading, as arrays of trimmed cells. */
function tableAfter(heading: string): string[][] {
  const start = CONTRACT.indexOf(`\n${heading}\n`);
  assert.ok(start >= 0, `contract has "${heading}"`);
  const lines = CONTRACT.slice(start).split('\n');
  const firstRow = lines.findIndex((l) => l.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(firstRow + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(line.split('|').slice(1, -1).map((c) => c.trim()));
  }
  return rows;
}
const code = (cell: string): string => /^`([^`]+)`/.exec(cell)?.[1] ?? cell;

const registrations = listMetadata('externalServiceRegistrations', '.externalServiceRegistration-meta.xml');
const REGISTRATION = (registrations[0] ?? '').replace('.externalServiceRegistration-meta.xml', '');
const registration = (): Xml => readMetadata(`externalServiceRegistrations/${REGISTRATION}.externalServiceRegistration-meta.xml`);
const openApi = (): Xml => JSON.parse(String(registration().schema));
const postOperation = (): Xml => openApi().paths['/v1/sync-requests'].post;
const schemaRef = (ref: string): Xml => openApi().components.schemas[ref.replace('#/components/schemas/', '')];
const bodySchema = (): Xml => schemaRef(postOperation().requestBody.content['application/json'].schema.$ref);

describe('sync request contract', () => {
  test('one External Service registration, on the Partner_Center_Connector named credential, OpenAPI 3', () => {
    assert.equal(registrations.length, 1);
    const r = registration();
    assert.equal(r.namedCredentialReference, CREDENTIAL);
    assert.equal(r.namedCredential, CREDENTIAL);
    assert.equal(r.schemaType, 'OpenApi3');
    assert.equal(r.status, 'Complete');
    assert.ok(r.label && String(r.description ?? '').length > 40);
    assert.match(String(openApi().openapi), /^3\.0\./);
    assert.equal(openApi().servers, undefined, 'the named credential supplies the URL');
  });

  test('three operations: POST /v1/sync-requests (JSON body required), GET /v1/connection, POST /v1/connection/webhooks; all active', () => {
    const spec = openApi();
    assert.deepEqual(Object.keys(spec.paths), ['/v1/sync-requests', '/v1/connection', '/v1/connection/webhooks']);
    assert.deepEqual(Object.keys(spec.paths['/v1/sync-requests']), ['post']);
    assert.deepEqual(Object.keys(spec.paths['/v1/connection']), ['get']);
    assert.deepEqual(Object.keys(spec.paths['/v1/connection/webhooks']), ['post']);
    assert.equal(spec.paths['/v1/connection/webhooks'].post.requestBody, undefined, 'the caller cannot choose the callback URL');
    const op = postOperation();
    assert.equal(op.requestBody.required, true);
    assert.deepEqual(Object.keys(op.requestBody.content), ['application/json']);
    // External Services stores the operation name in lower case; the operationId is already lower case so the
    // registration, the generated action and the flow all use one spelling.
    assert.equal(op.operationId, String(op.operationId).toLowerCase());
    const ops = arr<Xml>(registration().operations);
    assert.deepEqual(ops.map((o) => [o.name, isTrue(o.active)]), [[op.operationId, true], ['getconnection', true], ['registerwebhooks', true]]);
    for (const [path, method] of [['/v1/connection', 'get'], ['/v1/connection/webhooks', 'post']]) {
      const operation = spec.paths[path][method];
      assert.equal(operation.operationId, String(operation.operationId).toLowerCase());
      assert.deepEqual(operation.security, [{ sharedSecret: [] }], `${path}: the same bearer secret as sync requests`);
      assert.deepEqual(Object.keys(operation.responses), ['200', '401']);
    }
  });

  test('the body fields match the contract table and its example, all required', () => {
    const schema = bodySchema();
    const docFields = tableAfter('### Request body').map((row) => code(row[0] as string));
    assert.deepEqual(docFields, ['opportunityId', 'reason', 'eventUuid', 'publishedAt']);
    assert.deepEqual(Object.keys(schema.properties), docFields);
    assert.deepEqual(schema.required, docFields);
    for (const row of tableAfter('### Request body')) {
      assert.equal(row[1], schema.properties[code(row[0] as string)].type, row[0]);
      assert.equal(row[2], 'yes', row[0]);
    }
    const example = /### Request body[\s\S]*?```json\n(.+)\n```/.exec(CONTRACT)?.[1];
    assert.ok(example, 'contract shows an example body');
    assert.deepEqual(Object.keys(JSON.parse(example)), docFields);
    const reasons = String(JSON.parse(example).reason).split('|');
    assert.deepEqual(reasons, REASONS);
  });

  test('the responses match the contract table: 202 accepted + requestId; 400, 401, 413 JSON errors', () => {
    const responses = postOperation().responses;
    const docCodes = tableAfter('### Responses').map((row) => code(row[0] as string));
    assert.deepEqual(Object.keys(responses), docCodes);
    assert.deepEqual(docCodes, ['202', '400', '401', '413']);
    const accepted = schemaRef(responses['202'].content['application/json'].schema.$ref);
    assert.deepEqual(accepted.required, ['accepted', 'requestId']);
    assert.equal(accepted.properties.accepted.type, 'boolean');
    for (const status of ['400', '401', '413']) {
      const error = schemaRef(responses[status].content['application/json'].schema.$ref);
      assert.deepEqual(error.required, ['error', 'message'], status);
      assert.ok(error.properties.field, 'a 400 can name the field');
    }
    assert.match(CONTRACT, /`eventUuid` is the idempotency key/);
  });

  test('documented method, path and headers', () => {
    assert.match(CONTRACT, /POST \{Named Credential URL\}\/v1\/sync-requests\nContent-Type: application\/json\nAuthorization: Bearer <shared secret>/);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The setup page's connection check, walked element by element with the callout's answer supplied by the test
// ---------------------------------------------------------------------------------------------------------------
type Callout = { responseCode: number; body?: Rec } | 'fault';

function runConnectionCheck(inputs: Rec, callout: (operation: string) => Callout): { called: string[]; outputs: Rec } {
  const f = flow(CONNECTION_CHECK);
  const els = elements(f);
  // Every variable exists from the start (unset until assigned), as in a flow interview.
  const locals: Rec = Object.fromEntries(arr<Xml>(f.variables).map((v) => [v.name, undefined]));
  Object.assign(locals, inputs, { $Flow: { FaultMessage: 'An error occurred when executing a flow interview.' } });
  const formulas = new Map(arr<Xml>(f.formulas).map((x) => [x.name, String(x.expression)]));
  const valueOf = (v: Xml | undefined): unknown => {
    const value = flowValue(v);
    if (value === null || typeof value !== 'object') return value;
    const formula = formulas.get(value.ref);
    if (formula !== undefined) {
      // The one formula shape the flow uses: "text" & TEXT({!variable}).
      const match = /^"([^"]*)" & TEXT\(\{!(\w+)\}\)$/.exec(formula);
      assert.ok(match, `formula ${value.ref} is "text" & TEXT({!variable})`);
      return `${match[1]}${String(locals[match[2] as string])}`;
    }
    return resolve(value.ref, { record: {} }, locals);
  };
  const called: string[] = [];
  let name = first<Xml>(f.start.connector)?.targetReference as string | undefined;
  for (let steps = 0; name && steps < 50; steps++) {
    const node = els.get(name);
    assert.ok(node, `element ${name} exists`);
    if (node.type === 'decisions') name = decide(node.el, { record: {} }, locals);
    else if (node.type === 'actionCalls') {
      const operation = String(node.el.actionName).replace(`${REGISTRATION}.`, '');
      called.push(operation);
      const answer = callout(operation);
      if (answer === 'fault') name = node.el.faultConnector?.targetReference;
      else {
        locals[name] = { responseCode: answer.responseCode, [String(answer.responseCode)]: answer.body };
        name = first<Xml>(node.el.connector)?.targetReference;
      }
    } else if (node.type === 'assignments') {
      for (const item of arr<Xml>(node.el.assignmentItems)) locals[item.assignToReference] = valueOf(first(item.value));
      name = first<Xml>(node.el.connector)?.targetReference;
    } else throw new Error(`${name}: a ${node.type} element in the connection check (it must not touch records)`);
  }
  const outputs = Object.fromEntries(arr<Xml>(f.variables).filter((v) => isTrue(v.isOutput)).map((v) => [v.name, locals[v.name]]));
  return { called, outputs };
}

describe('connection check flow', () => {
  const f = flow(CONNECTION_CHECK);
  const STATUS: Rec = {
    connectorVersion: '0.1.0', partnerCenterState: 'signed-in', partnerCenterSignedIn: true, partnerCenterMessage: 'Signed in to Partner Center.',
    webhookRegistered: true, webhookUrl: 'https://c.example.com/v1/webhooks/partner-center', webhookEvents: 'a,b',
    webhookMatches: true, expectedWebhookUrl: 'https://c.example.com/v1/webhooks/partner-center', checkedAt: '2026-12-07T10:00:00.000Z',
  };

  test('a screen flow without screens or record access: only the two External Services actions of the registration', () => {
    assert.equal(arr(f.screens).length, 0, 'nothing to click through: the setup page shows the outputs');
    for (const type of ['recordCreates', 'recordUpdates', 'recordLookups', 'recordDeletes']) assert.equal(arr(f[type]).length, 0, type);
    const calls = arr<Xml>(f.actionCalls);
    assert.deepEqual(calls.map((c) => [c.actionType, c.actionName]).sort(), [
      ['externalService', `${REGISTRATION}.getconnection`],
      ['externalService', `${REGISTRATION}.registerwebhooks`],
    ]);
    for (const call of calls) assert.equal(arr(call.inputParameters).length, 0, `${call.name} sends nothing the page chose`);
    const input = arr<Xml>(f.variables).filter((v) => isTrue(v.isInput)).map((v) => v.name);
    assert.deepEqual(input, ['action']);
  });

  test('its outputs are every property of the ConnectionStatus schema, plus reached, responseCode and failureMessage', () => {
    const schema = openApi().components.schemas.ConnectionStatus as Xml;
    const outputs = arr<Xml>(f.variables).filter((v) => isTrue(v.isOutput));
    assert.deepEqual(outputs.map((v) => v.name).sort(), [...Object.keys(schema.properties), 'failureMessage', 'reached', 'responseCode'].sort());
    for (const v of outputs) {
      const property = schema.properties[v.name] as Xml | undefined;
      if (property) assert.equal(v.dataType, property.type === 'boolean' ? 'Boolean' : 'String', v.name);
    }
    const answer = arr<Xml>(f.variables).find((v) => v.name === 'answer') as Xml;
    assert.equal(answer.apexClass, `ExternalService__${REGISTRATION}_ConnectionStatus`);
  });

  test('check (or no action) only reads; register registers; both return the status the connector answered', () => {
    for (const action of ['check', undefined, 'anything else']) {
      const run = runConnectionCheck(action === undefined ? {} : { action }, () => ({ responseCode: 200, body: STATUS }));
      assert.deepEqual(run.called, ['getconnection'], String(action));
      assert.deepEqual(run.outputs, { ...STATUS, reached: true, responseCode: 200, failureMessage: undefined });
    }
    const register = runConnectionCheck({ action: 'register' }, () => ({ responseCode: 200, body: STATUS }));
    assert.deepEqual(register.called, ['registerwebhooks']);
    assert.equal(register.outputs.webhookMatches, true);
  });

  test('a callout fault or a 401 comes back as not reached, with the reason', () => {
    const fault = runConnectionCheck({ action: 'check' }, () => 'fault');
    assert.equal(fault.outputs.reached, false);
    assert.equal(fault.outputs.failureMessage, 'An error occurred when executing a flow interview.');
    const refused = runConnectionCheck({ action: 'register' }, () => ({ responseCode: 401, body: { error: 'unauthorized' } }));
    assert.equal(refused.outputs.reached, false);
    assert.equal(refused.outputs.responseCode, 401);
    assert.equal(refused.outputs.failureMessage, 'The connector answered HTTP 401');
    assert.equal(refused.outputs.connectorVersion, undefined);
  });

  test('the Partner Center Admin permission set may run it; sellers may not', () => {
    const access = (set: string) => arr<Xml>(readMetadata(`permissionsets/${set}.permissionset-meta.xml`).flowAccesses);
    assert.deepEqual(access('Partner_Center_Admin').map((a) => [a.flowName, isTrue(a.enabled)]), [[CONNECTION_CHECK, true]]);
    assert.deepEqual(access('Partner_Center_Seller'), []);
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe('credentials', () => {
  const ec = (): Xml => readMetadata(`externalCredentials/${CREDENTIAL}.externalCredential-meta.xml`);
  const nc = (): Xml => readMetadata(`namedCredentials/${CREDENTIAL}.namedCredential-meta.xml`);

  test('external credential: Custom protocol, named principal Connector, bearer header from the SharedSecret parameter', () => {
    const e = ec();
    assert.equal(e.authenticationProtocol, 'Custom');
    assert.ok(e.label && String(e.description ?? '').length > 40);
    const params = arr<Xml>(e.externalCredentialParameters);
    const principals = params.filter((p) => p.parameterType === 'NamedPrincipal');
    assert.deepEqual(principals.map((p) => p.parameterName), ['Connector']);
    assert.equal(principals[0]?.parameterValue, undefined, 'no secret in metadata');
    const headers = params.filter((p) => p.parameterType === 'AuthHeader');
    assert.deepEqual(headers.map((h) => h.parameterName), ['Authorization']);
    assert.equal(headers[0]?.parameterValue, `{!'Bearer ' & $Credential.${CREDENTIAL}.SharedSecret}`);
    // Anything else with a literal value could only be a secret or a leftover.
    assert.deepEqual(params.filter((p) => !['NamedPrincipal', 'AuthHeader'].includes(p.parameterType)), []);
  });

  test('named credential: SecuredEndpoint on that external credential, no generated header, no merge fields', () => {
    const n = nc();
    assert.equal(n.namedCredentialType, 'SecuredEndpoint');
    assert.equal(n.label, 'Partner Center Connector');
    assert.equal(isTrue(n.generateAuthorizationHeader), false);
    assert.equal(isTrue(n.allowMergeFieldsInHeader), false);
    assert.equal(isTrue(n.allowMergeFieldsInBody), false);
    assert.equal(n.calloutStatus, 'Enabled');
    const params = arr<Xml>(n.namedCredentialParameters);
    const auth = params.filter((p) => p.parameterType === 'Authentication');
    assert.deepEqual(auth.map((p) => p.externalCredential), [CREDENTIAL]);
    const url = params.find((p) => p.parameterType === 'Url') as Xml;
    // The packaged URL must never reach a real host: .invalid is reserved (RFC 2606); the admin sets the real one.
    assert.match(String(url.parameterValue), /^https:\/\/[a-z0-9.-]+\.invalid$/);
    for (const p of params) assert.ok(String(p.description ?? '').length > 40, `${p.parameterName} is explained`);
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe('delivery flow', () => {
  const f = flow(DELIVER);

  test(`is triggered by ${EVENT}`, () => {
    assert.equal(f.start.triggerType, 'PlatformEvent');
    assert.equal(f.start.object, EVENT);
    assert.equal(f.start.filterFormula, undefined, 'every request is delivered');
  });

  test('the callout comes before any DML or query (External Services refuse callouts after uncommitted work)', () => {
    const els = elements(f);
    const seen: string[] = [];
    let name = first<Xml>(f.start.connector)?.targetReference as string | undefined;
    while (name) {
      const node = els.get(name);
      assert.ok(node, `element ${name} exists`);
      if (node.type === 'actionCalls') break;
      assert.equal(node.type, 'assignments', `${name} before the callout must not touch the database`);
      seen.push(name);
      name = first<Xml>(node.el.connector)?.targetReference;
    }
    assert.equal(name, 'Deliver_Sync_Request');
  });

  test('calls the External Services action of the registration, through the named credential', () => {
    const call = element(f, 'actionCalls', 'Deliver_Sync_Request');
    assert.equal(call.actionType, 'externalService');
    assert.equal(call.actionName, `${REGISTRATION}.${postOperation().operationId}`);
    assert.equal(registration().namedCredentialReference, CREDENTIAL);
    const inputs = arr<Xml>(call.inputParameters);
    assert.deepEqual(inputs.map((i) => i.name), ['body']);
    const bodyVar = (flowValue(first((inputs[0] as Xml).value)) as { ref: string }).ref;
    const variable = arr<Xml>(f.variables).find((v) => v.name === bodyVar) as Xml;
    assert.equal(variable.dataType, 'Apex');
    const schemaName = String(postOperation().requestBody.content['application/json'].schema.$ref).split('/').pop();
    assert.equal(variable.apexClass, `ExternalService__${REGISTRATION}_${schemaName}`);
  });

  test('fills every body field from the event, and nothing else', () => {
    const build = element(f, 'assignments', first<Xml>(f.start.connector)?.targetReference as string);
    const items = Object.fromEntries(
      arr<Xml>(build.assignmentItems).map((i) => [String(i.assignToReference).replace(/^syncRequest\./, ''), flowValue(first(i.value))]),
    );
    assert.deepEqual(Object.keys(items), Object.keys(bodySchema().properties));
    assert.deepEqual(items.opportunityId, { ref: '$Record.Opportunity_Id__c' });
    assert.deepEqual(items.reason, { ref: '$Record.Reason__c' });
    assert.deepEqual(items.eventUuid, { ref: '$Record.EventUuid' });
    const formulaName = (items.publishedAt as { ref: string }).ref;
    const formula = arr<Xml>(f.formulas).find((x) => x.name === formulaName) as Xml;
    assert.equal(formula.dataType, 'String');
    const published = new Date('2025-06-01T09:30:05.123Z');
    const iso = evaluate(parseFormula(String(formula.expression)), { record: { CreatedDate: published } });
    assert.equal(iso, '2025-06-01T09:30:05Z');
  });

  test('only 202 counts as delivered; a fault or any other status marks the opportunity Pending', () => {
    const call = element(f, 'actionCalls', 'Deliver_Sync_Request');
    assert.equal(call.faultConnector?.targetReference, 'Mark_Opportunity_Pending');
    const check = element(f, 'decisions', first<Xml>(call.connector)?.targetReference as string);
    const response = (code: number) => decide(check, { record: {} }, { Deliver_Sync_Request: { responseCode: code } });
    assert.equal(response(202), '(end of Accepted)');
    for (const status of [200, 400, 401, 413]) assert.equal(response(status), 'Mark_Opportunity_Pending', String(status));
  });

  test('marks Pending only a syncing opportunity that is not Pending already (so a retry cannot loop)', () => {
    const mark = element(f, 'recordUpdates', 'Mark_Opportunity_Pending');
    assert.equal(mark.object, 'Opportunity');
    assert.equal(mark.filterLogic, 'and');
    const filters = arr<Xml>(mark.filters).map((x) => [x.field, x.operator, flowValue(first(x.value))]);
    assert.deepEqual(filters, [
      ['Id', 'EqualTo', { ref: '$Record.Opportunity_Id__c' }],
      ['Sync_With_Partner_Center__c', 'EqualTo', true],
      ['Partner_Center_Sync_Status__c', 'NotEqualTo', 'Pending'],
    ]);
    const sets = arr<Xml>(mark.inputAssignments).map((a) => [a.field, flowValue(first(a.value))]);
    assert.deepEqual(sets, [['Partner_Center_Sync_Status__c', 'Pending']]);
    // That write reaches the after-save flow as a seller's change to Pending: one Retry request, no more.
    const after = flow(REQUEST_SYNC);
    const solutionSynced = { ...OPP, Partner_Center_Sync_Status__c: 'Synced' };
    assert.equal(runs(after, edit({ Partner_Center_Sync_Status__c: 'Pending' }, [], solutionSynced)), true);
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe('Code Analyzer flow rules', () => {
  test('the package flows pass', async () => {
    const result = await validateFlows();
    assert.equal(result.ok, true, result.report);
    assert.match(result.report, /on 6 flows/);
  });

  test('the check fails on a flow that lets caller input choose which record a system-mode flow updates', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'cosell-bad-flow-'));
    try {
      await writeFile(
        path.join(dir, 'Unsafe_Update.flow-meta.xml'),
        `<?xml version="1.0" encoding="UTF-8"?>
<Flow xmlns="http://soap.sforce.com/2006/04/metadata">
    <apiVersion>64.0</apiVersion>
    <label>Unsafe Update</label>
    <processType>AutoLaunchedFlow</processType>
    <recordUpdates>
        <name>Update_Any_Opportunity</name>
        <label>Update Any Opportunity</label>
        <locationX>0</locationX>
        <locationY>0</locationY>
        <filterLogic>and</filterLogic>
        <filters>
            <field>Id</field>
            <operator>EqualTo</operator>
            <value><elementReference>recordId</elementReference></value>
        </filters>
        <inputAssignments>
            <field>StageName</field>
            <value><stringValue>Closed Won</stringValue></value>
        </inputAssignments>
        <object>Opportunity</object>
    </recordUpdates>
    <runInMode>SystemModeWithoutSharing</runInMode>
    <start>
        <locationX>0</locationX>
        <locationY>0</locationY>
        <connector><targetReference>Update_Any_Opportunity</targetReference></connector>
    </start>
    <status>Active</status>
    <variables>
        <name>recordId</name>
        <dataType>String</dataType>
        <isCollection>false</isCollection>
        <isInput>true</isInput>
        <isOutput>false</isOutput>
    </variables>
</Flow>
`,
      );
      const result = await validateFlows(dir);
      assert.equal(result.ok, false);
      assert.match(result.report, /PreventPassingUserDataIntoElementWithoutSharing/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Metadata API shape. SDR conversion accepts any element name, so a misspelt or misplaced element would only fail
// at deploy time. @salesforce/types publishes the Metadata API's types (generated from its WSDL); every element in
// these files must be a member of its type, in the type's order (base type's members first, then the type's own),
// because the Metadata API reads each complex type as an XML Schema sequence.
// ---------------------------------------------------------------------------------------------------------------
interface TypeInfo {
  bases: string[];
  members: [string, string][];
  leaf: boolean;
}

function loadMetadataTypes(): Map<string, TypeInfo> {
  const file = createRequire(import.meta.url).resolve('@salesforce/types/metadata');
  const dts = file.endsWith('.d.ts') ? file : file.replace(/\.js$/, '.d.ts');
  const source = ts.createSourceFile(dts, readFileSync(dts, 'utf8'), ts.ScriptTarget.Latest);
  const types = new Map<string, TypeInfo>();
  const membersOf = (node: ts.TypeLiteralNode): [string, string][] =>
    node.members.filter(ts.isPropertySignature).map((m) => [m.name.getText(source), (m.type as ts.TypeNode).getText(source).replace(/\[\]$/, '')]);
  for (const stmt of source.statements) {
    if (!ts.isTypeAliasDeclaration(stmt)) continue;
    const info: TypeInfo = { bases: [], members: [], leaf: false };
    const parts = ts.isIntersectionTypeNode(stmt.type) ? stmt.type.types : [stmt.type];
    for (const part of parts) {
      if (ts.isTypeReferenceNode(part)) info.bases.push(part.typeName.getText(source));
      else if (ts.isTypeLiteralNode(part)) info.members.push(...membersOf(part));
      else info.leaf = true; // unions of string literals: picklist-like values
    }
    types.set(stmt.name.text, info);
  }
  return types;
}

const PRIMITIVES = new Set(['string', 'number', 'boolean']);

function orderedMembers(types: Map<string, TypeInfo>, name: string): [string, string][] {
  const info = types.get(name);
  assert.ok(info, `Metadata API type ${name} exists`);
  return [...info.bases.flatMap((b) => orderedMembers(types, b)), ...info.members];
}

type Ordered = Record<string, unknown>[];

function checkShape(types: Map<string, TypeInfo>, typeName: string, children: Ordered, where: string, problems: string[]): void {
  const members = orderedMembers(types, typeName);
  let last = -1;
  for (const child of children) {
    const tag = Object.keys(child).find((k) => k !== ':@');
    if (!tag || tag === '#text') continue;
    const index = members.findIndex(([m]) => m === tag);
    if (index < 0) {
      problems.push(`${where}: <${tag}> is not a member of ${typeName}`);
      continue;
    }
    if (index < last) problems.push(`${where}: <${tag}> is out of order in ${typeName}`);
    last = index;
    const memberType = (members[index] as [string, string])[1];
    const nested = child[tag] as Ordered;
    const isLeaf = PRIMITIVES.has(memberType) || types.get(memberType)?.leaf === true;
    if (isLeaf) {
      if (nested.some((n) => Object.keys(n).some((k) => k !== '#text'))) problems.push(`${where}.${tag}: expected a value, found elements`);
    } else {
      checkShape(types, memberType, nested, `${where}.${tag}`, problems);
    }
  }
}

describe('Metadata API shape of the sync metadata', () => {
  const types = loadMetadataTypes();
  const orderedParser = new XMLParser({ preserveOrder: true, ignoreAttributes: true, parseTagValue: false, trimValues: true });
  const files = [
    ...listMetadata('flows', '.flow-meta.xml').map((f) => `flows/${f}`),
    ...['Partner_Center_Sync_Request__e', 'Partner_Center_Sync_Status__e'].flatMap((e) => [
      `objects/${e}/${e}.object-meta.xml`,
      ...listMetadata(`objects/${e}/fields`, '.field-meta.xml').map((f) => `objects/${e}/fields/${f}`),
    ]),
    `namedCredentials/${CREDENTIAL}.namedCredential-meta.xml`,
    `externalCredentials/${CREDENTIAL}.externalCredential-meta.xml`,
    ...registrations.map((f) => `externalServiceRegistrations/${f}`),
  ];

  for (const file of files) {
    test(file, () => {
      const doc = orderedParser.parse(readFileSync(path.join(FORCE_APP, file), 'utf8')) as Ordered;
      const rootNode = doc.find((n) => !('?xml' in n)) as Record<string, unknown>;
      const root = Object.keys(rootNode).find((k) => k !== ':@') as string;
      const problems: string[] = [];
      checkShape(types, root, rootNode[root] as Ordered, root, problems);
      assert.deepEqual(problems, []);
    });
  }

  test('the checker rejects an unknown or misplaced element', () => {
    const problems: string[] = [];
    const bad = orderedParser.parse(
      '<NamedCredential><label>x</label><allowMergeFieldsInBody>false</allowMergeFieldsInBody><endpointUrl>x</endpointUrl></NamedCredential>',
    ) as Ordered;
    checkShape(types, 'NamedCredential', (bad[0] as Record<string, unknown>).NamedCredential as Ordered, 'NamedCredential', problems);
    assert.deepEqual(problems, [
      'NamedCredential: <allowMergeFieldsInBody> is out of order in NamedCredential',
      'NamedCredential: <endpointUrl> is not a member of NamedCredential',
    ]);
  });
});
