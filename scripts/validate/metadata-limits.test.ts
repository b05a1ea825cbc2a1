/**
 * The documented-limits check passes on the package and fails, naming the file, the element and the limit, when any
 * one value of each kind in the table is made one character too long (or a component's API name too long).
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { FORCE_APP } from '../lib/paths.js';
import { METADATA_LIMITS, findLimitViolations, validateMetadataLimits, type MetadataLimit } from './metadata-limits.js';

const workDirs: string[] = [];
after(() => {
  for (const dir of workDirs) rmSync(dir, { recursive: true, force: true });
});

/** A copy of force-app/main/default without the components (the check does not read them). */
function copyOfPackage(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'cosell-limits-'));
  workDirs.push(dir);
  cpSync(FORCE_APP, dir, { recursive: true, filter: (source) => !source.includes(`${path.sep}lwc`) });
  return dir;
}

function filesWithSuffix(dir: string, suffix: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) return filesWithSuffix(full, suffix);
    return entry.endsWith(`.${suffix}-meta.xml`) ? [full] : [];
  });
}

/**
 * Makes one value the limit covers one character too long, in place; returns the file changed, or undefined when
 * the package has no such value (then the kind is not exercised, which the coverage test below rules out for the
 * kinds the package uses).
 */
function breakOne(dir: string, limit: MetadataLimit): string | undefined {
  const files = filesWithSuffix(dir, limit.suffix);
  if (limit.element === '@name') {
    const file = files[0];
    if (!file) return undefined;
    const base = path.basename(file, `.${limit.suffix}-meta.xml`);
    const suffix = /__(c|e)$/.exec(base)?.[0] ?? '';
    const stem = base.slice(0, base.length - suffix.length);
    const longer = path.join(path.dirname(file), `${stem}${'X'.repeat(limit.max + 1 - stem.length)}${suffix}.${limit.suffix}-meta.xml`);
    renameSync(file, longer);
    return longer;
  }
  const tag = limit.element.split('.').at(-1)!;
  const pattern = new RegExp(`<${tag}>([^<]*)</${tag}>`, 'g');
  const before = findLimitViolations(dir, [limit]).violations.length;
  for (const file of files) {
    const xml = readFileSync(file, 'utf8');
    for (const match of xml.matchAll(pattern)) {
      const padded = match[1] + 'x'.repeat(Math.max(1, limit.max + 1 - match[1].length));
      writeFileSync(file, xml.slice(0, match.index) + `<${tag}>${padded}</${tag}>` + xml.slice(match.index + match[0].length));
      // A <tag> may sit elsewhere than the element path (the <label> of a flow element, not the flow's): keep
      // looking until the change lands where the limit reads.
      if (findLimitViolations(dir, [limit]).violations.length > before) return file;
      writeFileSync(file, xml);
    }
  }
  return undefined;
}

describe('documented metadata limits (npm run validate)', () => {
  it('the package is within every limit', async () => {
    const result = await validateMetadataLimits();
    assert.equal(result.ok, true, result.report);
  });

  it('every limit names its source', () => {
    for (const limit of METADATA_LIMITS) assert.match(limit.source, /Salesforce Help|Developer Guide/, `${limit.type} ${limit.element}`);
  });

  const exercised = new Set<string>();
  for (const limit of METADATA_LIMITS) {
    const kind = `${limit.type} ${limit.element}`;
    it(`fails on a ${kind} over ${limit.max} characters, naming the file and the limit`, async (t) => {
      const dir = copyOfPackage();
      const file = breakOne(dir, limit);
      if (!file) {
        // Nothing of this kind in the package today; the coverage test below lists the kinds that must exist.
        t.diagnostic(`no ${kind} in the package`);
        return;
      }
      exercised.add(kind);
      const result = await validateMetadataLimits(dir);
      assert.equal(result.ok, false);
      assert.ok(result.report.includes(path.relative(dir, file)), result.report);
      assert.ok(result.report.includes(`limit ${limit.max}`), result.report);
      assert.ok(result.report.includes(limit.source), result.report);
    });
  }

  it('the kinds the package uses are all exercised above', () => {
    const required = [
      'CustomObject @name', 'CustomObject label', 'CustomObject pluralLabel', 'CustomObject description',
      'CustomField @name', 'CustomField label', 'CustomField description', 'CustomField inlineHelpText',
      'CustomField valueSet.valueSetDefinition.value.fullName', 'CustomField valueSet.valueSetDefinition.value.label',
      'ValidationRule @name', 'ValidationRule description', 'ValidationRule errorMessage',
      'CustomLabels labels.fullName', 'CustomLabels labels.value', 'CustomLabels labels.shortDescription',
      'NamedCredential description', 'ExternalCredential description', 'ExternalServiceRegistration description',
      'Flow @name', 'Flow label', 'Flow description', 'FlexiPage masterLabel',
      'PermissionSet label', 'PermissionSet description',
    ];
    for (const kind of required) assert.ok(exercised.has(kind), `${kind} was not exercised`);
  });
});
