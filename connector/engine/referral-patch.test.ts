import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import jsonpatch from 'fast-json-patch';
import type { Referral } from '../model/referral.js';
import { PatchBuilder } from './referral-patch.js';

test('replace when the path exists, add when it does not', () => {
  const current: Referral = { id: 'r', name: 'a', details: { dealValue: 1 } };
  const ops = new PatchBuilder(current).set('/name', 'b').set('/details/dealValue', 2).set('/details/currency', 'EUR').ops;
  assert.deepEqual(ops, [
    { op: 'replace', path: '/name', value: 'b' },
    { op: 'replace', path: '/details/dealValue', value: 2 },
    { op: 'add', path: '/details/currency', value: 'EUR' },
  ]);
});

test('missing parents are created by one add at the deepest existing parent, and later ops see it', () => {
  const current: Referral = { id: 'r' };
  const ops = new PatchBuilder(current).set('/details/requirements/solutions', [{ id: 'SOL-1' }]).set('/details/notes', 'n').ops;
  assert.deepEqual(ops, [
    { op: 'add', path: '/details', value: { requirements: { solutions: [{ id: 'SOL-1' }] } } },
    { op: 'add', path: '/details/notes', value: 'n' },
  ]);
  assert.deepEqual(current, { id: 'r' }, 'the current referral is not modified');
});

test('a null parent is replaced with an object', () => {
  const current = { id: 'r', inviteContext: null } as unknown as Referral;
  assert.deepEqual(new PatchBuilder(current).set('/inviteContext/assistanceRequestCode', 'GeneralOrOther').ops, [
    { op: 'replace', path: '/inviteContext', value: { assistanceRequestCode: 'GeneralOrOther' } },
  ]);
});

test('property: any sequence of sets is a valid replace/add patch that produces the values set', () => {
  const key = fc.constantFrom('name', 'details', 'dealValue', 'notes', 'consent', 'a~b', 'x/y');
  const pointer = fc.array(key, { minLength: 1, maxLength: 3 }).map((keys) => '/' + keys.map(jsonpatch.escapePathComponent).join('/'));
  const doc = fc.dictionary(key, fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.dictionary(key, fc.oneof(fc.string(), fc.integer()))));
  fc.assert(
    fc.property(doc, fc.array(fc.tuple(pointer, fc.oneof(fc.string(), fc.integer())), { maxLength: 6 }), (start, sets) => {
      const builder = new PatchBuilder(start as Referral);
      for (const [path, value] of sets) builder.set(path, value);
      for (const op of builder.ops) assert.ok(op.op === 'replace' || op.op === 'add');
      const result = jsonpatch.applyPatch(structuredClone(start), builder.ops, true, false).newDocument;
      // The last value set for a path wins, unless a later set replaced one of its parents, or set a child
      // below it (values set are scalars, so a child replaces the scalar with an object).
      const last = new Map<string, unknown>();
      for (const [path, value] of sets) {
        for (const key of [...last.keys()]) if (key.startsWith(path + '/') || path.startsWith(key + '/')) last.delete(key);
        last.set(path, value);
      }
      for (const [path, value] of last) assert.deepEqual(jsonpatch.getValueByPointer(result, path), value, path);
    }),
  );
});
