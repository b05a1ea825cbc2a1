/**
 * The two platform events are an interface between the flows, the connector and the card, so their shape is
 * pinned here: volume, publish behaviour, and exactly which fields each carries.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isTrue, listMetadata, readField, readMetadata, type Xml } from './force-app.js';

interface FieldSpec {
  type: string;
  length?: number;
  required: boolean;
}

const EVENTS: Record<string, Record<string, FieldSpec>> = {
  Partner_Center_Sync_Request__e: {
    Opportunity_Id__c: { type: 'Text', length: 18, required: true },
    Reason__c: { type: 'Text', length: 40, required: true },
  },
  Partner_Center_Sync_Status__e: {
    Opportunity_Id__c: { type: 'Text', length: 18, required: true },
    Sync_Status__c: { type: 'Text', length: 20, required: true },
    Message__c: { type: 'LongTextArea', required: false },
    Failure_Reason__c: { type: 'Text', length: 80, required: false },
    Failure_Parameters__c: { type: 'Text', length: 255, required: false },
  },
};

/** Values the package's flows publish in Reason__c (see docs/sync-request-contract.md). */
const REASONS = ['Created', 'Updated', 'SolutionsChanged', 'Retry'];

const event = (name: string): Xml => readMetadata(`objects/${name}/${name}.object-meta.xml`);

for (const [name, fields] of Object.entries(EVENTS)) {
  describe(`platform event ${name}`, () => {
    test('is a high-volume event published after commit, with a label and a description', () => {
      const e = event(name);
      assert.equal(e.eventType, 'HighVolume');
      assert.equal(e.publishBehavior, 'PublishAfterCommit', 'a rolled-back save must announce nothing');
      assert.equal(e.deploymentStatus, 'Deployed');
      assert.ok(e.label && e.pluralLabel, 'label and plural label');
      assert.ok(String(e.description ?? '').length > 40, 'description says why the event exists');
    });

    test('carries exactly the agreed fields', () => {
      const files = listMetadata(`objects/${name}/fields`, '.field-meta.xml').map((f) => f.replace('.field-meta.xml', ''));
      assert.deepEqual(files.sort(), Object.keys(fields).sort());
    });

    for (const [field, spec] of Object.entries(fields)) {
      test(`${field} is ${spec.type}${spec.length ? `(${spec.length})` : ''}${spec.required ? ', required' : ''}`, () => {
        const f = readField(name, field);
        assert.equal(f.fullName, field);
        assert.equal(f.type, spec.type);
        if (spec.length !== undefined) assert.equal(Number(f.length), spec.length);
        assert.equal(isTrue(f.required), spec.required);
        assert.ok(f.label, 'label');
        assert.ok(String(f.description ?? '').length > 20, 'description');
      });
    }
  });
}

test('Reason__c is long enough for every reason the flows publish', () => {
  const length = Number(readField('Partner_Center_Sync_Request__e', 'Reason__c').length);
  for (const reason of REASONS) assert.ok(reason.length <= length, reason);
});

test('Sync_Status__c is long enough for every Opportunity sync status value', () => {
  const length = Number(readField('Partner_Center_Sync_Status__e', 'Sync_Status__c').length);
  const values = readField('Opportunity', 'Partner_Center_Sync_Status__c').valueSet.valueSetDefinition.value as Xml[];
  assert.deepEqual(values.map((v) => v.fullName), ['Not Synced', 'Pending', 'Synced', 'Error']);
  for (const v of values) assert.ok(String(v.fullName).length <= length, v.fullName);
});
