/**
 * Reads the package's source-format metadata (force-app/main/default) as plain objects for the metadata tests.
 * XML elements that may repeat are always arrays, so tests never branch on "one vs many".
 */
import { XMLParser } from 'fast-xml-parser';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { FORCE_APP } from '../../scripts/lib/paths.js';

export { FORCE_APP };

/** Elements that can occur more than once in the metadata types this package uses. */
const REPEATING = new Set([
  'fields', 'validationRules', 'listViews', 'values', 'value', 'fieldPermissions', 'objectPermissions',
  'customPermissions', 'tabSettings', 'applicationVisibilities', 'labels', 'customLabels', 'filters', 'columns',
  'recordTriggers', 'decisions', 'rules', 'conditions', 'inputAssignments', 'outputAssignments', 'recordUpdates',
  'recordCreates', 'actionCalls', 'assignments', 'assignmentItems', 'formulas', 'variables', 'layoutSections',
  'layoutColumns', 'layoutItems', 'flexiPageRegions', 'itemInstances', 'componentInstanceProperties', 'tabs',
  'sections', 'fieldTranslations', 'picklistValues', 'externalCredentialPrincipalAccesses', 'parameters',
  'externalCredentialParameters', 'namedCredentialParameters', 'relatedLists', 'platformActionList',
  'quickActionListItems', 'platformActionListItems', 'profileActionOverrides', 'actionOverrides', 'userPermissions',
  'classAccesses', 'pageAccesses', 'customMetadataTypeAccesses', 'customSettingAccesses', 'processMetadataValues',
  'scheduledPaths', 'connector', 'webLinks', 'caseValues', 'visibilityRules', 'criteria', 'inputParameters',
  'outputParameters', 'dataTypeMappings', 'valueTranslation', 'recordTypeTranslations', 'layouts', 'sharingReasons',
  'customApplications', 'customTabs',
  'operations', 'recordLookups', 'recordDeletes',
  'criteriaItems', 'groupingsDown', 'dashboardGridComponents', 'aggregateTypes', 'reportTypes', 'flowAccesses', 'screens',
]);

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => REPEATING.has(name),
});

// Metadata XML is untyped by nature; tests assert on its shape, so `any` is the honest type here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Xml = Record<string, any>;

/** Parses one metadata file under force-app/main/default and returns its root element's content. */
export function readMetadata(relativePath: string): Xml {
  const file = path.join(FORCE_APP, relativePath);
  if (!existsSync(file)) throw new Error(`metadata file missing: force-app/main/default/${relativePath}`);
  const doc = parser.parse(readFileSync(file, 'utf8')) as Xml;
  const root = Object.keys(doc).find((k) => k !== '?xml');
  if (!root) throw new Error(`no root element in ${relativePath}`);
  return doc[root] as Xml;
}

/** Lists files (not folders) directly in a folder under force-app/main/default, sorted; [] when it is absent. */
export function listMetadata(relativeDir: string, suffix = ''): string[] {
  const dir = path.join(FORCE_APP, relativeDir);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(suffix))
    .map((e) => e.name)
    .sort();
}

/** Reads a custom field in source format: objects/<Object>/fields/<Field>.field-meta.xml. */
export function readField(object: string, field: string): Xml {
  return readMetadata(`objects/${object}/fields/${field}.field-meta.xml`);
}

/** Metadata booleans are the strings "true"/"false"; this keeps assertions readable. */
export const isTrue = (value: unknown): boolean => value === 'true' || value === true;
