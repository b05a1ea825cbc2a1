/**
 * The component transpile must keep every class field the LWC compiler needs to see. Babel's TypeScript preset drops
 * a field declared without an initialiser (`opportunity?: Rec;`) unless `allowDeclareFields` is set; the LWC
 * compiler then never registers it, assignments to it are not reactive, and the component does not re-render.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { compile } from '@lwc/sfdc-lwc-compiler';
import { buildLwc, GENERATED_HEADER, transpileLwcSource } from './lwc.js';

const SOURCE = `import { LightningElement, api, track, wire } from 'lwc';
import { getRecord } from 'lightning/uiRecordApi';

interface Rec { id: string }

export default class Sample extends LightningElement {
  @api recordId?: string;
  @track rows!: Rec[];
  @wire(getRecord, { recordId: '$recordId', fields: ['Opportunity.Name'] }) record?: Rec;
  opportunity?: Rec;
  saving: boolean;
  declare readonly typeOnly: string;
  count = 0;
}
`;

test('uninitialised fields, decorated or not, survive the transpile; `declare` fields and types are stripped', async () => {
  const js = await transpileLwcSource(SOURCE, '/virtual/sample/sample.ts');
  assert.ok(js.startsWith(GENERATED_HEADER));
  for (const field of ['recordId', 'rows', 'record', 'opportunity', 'saving']) {
    assert.match(js, new RegExp(`\\b${field};$`, 'm'), `the field ${field} is kept`);
  }
  assert.match(js, /^\s*count = 0;$/m);
  assert.doesNotMatch(js, /typeOnly/, 'a `declare` field is type-only and emits nothing');
  assert.doesNotMatch(js, /interface|: Rec|\?:|!:/, 'no TypeScript syntax is left');
  assert.match(js, /@api\s+recordId;/);
  assert.match(js, /@track\s+rows;/);
  assert.match(js, /@wire\(getRecord, \{[^}]*\}\)\s*record;/);
});

test('the platform compiler registers the uninitialised fields, so assigning them re-renders the component', async () => {
  const js = await transpileLwcSource(SOURCE, '/virtual/sample/sample.ts');
  const output = await compile({
    bundle: {
      type: 'platform',
      name: 'sample',
      namespace: 'c',
      files: {
        'sample.js': js,
        'sample.html': '<template><p>{opportunity.id} {saving} {count}</p></template>',
        'sample.js-meta.xml':
          '<?xml version="1.0" encoding="UTF-8"?><LightningComponentBundle xmlns="http://soap.sforce.com/2006/04/metadata"><apiVersion>62.0</apiVersion><isExposed>false</isExposed></LightningComponentBundle>',
      },
    },
  });
  assert.deepEqual(output.diagnostics.filter((d) => d.level <= 1), [], 'the platform compiler accepts the bundle');
  assert.equal(output.success, true);
  const code = output.results?.[0]?.code ?? '';
  const registration = code.slice(code.indexOf('registerDecorators('));
  assert.match(registration, /fields:\s*\[\s*"opportunity",\s*"saving",\s*"count"\s*\]/, `reactive fields registered:\n${registration}`);
  assert.match(registration, /publicProps:\s*\{\s*recordId:/);
  assert.match(registration, /track:\s*\{\s*rows:/);
  assert.match(registration, /wire:\s*\{\s*record:/);
});

test('buildLwc writes <name>.js beside each component source and leaves tests and declarations alone', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'build-lwc-'));
  try {
    await mkdir(path.join(dir, 'sample', '__tests__'), { recursive: true });
    await writeFile(path.join(dir, 'sample', 'sample.ts'), SOURCE);
    await writeFile(path.join(dir, 'sample', 'types.d.ts'), 'export type T = string;\n');
    await writeFile(path.join(dir, 'sample', 'sample.test.ts'), 'export {};\n');
    const written = await buildLwc(dir);
    assert.deepEqual(written, [path.join(dir, 'sample', 'sample.js')]);
    assert.match(await readFile(written[0], 'utf8'), /^\s*opportunity;$/m);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
