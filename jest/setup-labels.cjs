/**
 * Makes `import x from '@salesforce/label/c.Name'` yield the label's English value in component tests.
 *
 * sfdx-lwc-jest compiles each label import to `try { require('@salesforce/label/c.Name') } catch { 'c.Name' }`.
 * Registering a virtual module per label defined in CustomLabels.labels-meta.xml makes that require succeed with
 * the real text; a label missing from the file still falls back to its name (test/metadata/labels.test.ts
 * reports such labels as errors).
 */
const fs = require('node:fs');
const path = require('node:path');

const LABELS_FILE = path.join(__dirname, '..', 'force-app', 'main', 'default', 'labels', 'CustomLabels.labels-meta.xml');

const decode = (text) =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

function readLabels() {
  if (!fs.existsSync(LABELS_FILE)) return [];
  const xml = fs.readFileSync(LABELS_FILE, 'utf8');
  const labels = [];
  for (const [, body] of xml.matchAll(/<labels>([\s\S]*?)<\/labels>/g)) {
    const name = /<fullName>([^<]+)<\/fullName>/.exec(body);
    const value = /<value>([\s\S]*?)<\/value>/.exec(body);
    if (name && value) labels.push([name[1].trim(), decode(value[1])]);
  }
  return labels;
}

for (const [name, value] of readLabels()) {
  jest.mock(`@salesforce/label/c.${name}`, () => ({ __esModule: true, default: value }), { virtual: true });
}
