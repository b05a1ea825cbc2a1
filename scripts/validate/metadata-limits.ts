/**
 * Documented length limits of the metadata types in force-app, checked on every file (`npm run validate`).
 *
 * The offline converters accept any length; a real org refuses the deploy or the package version ("Validation rule
 * name: 40 characters" is not something source-deploy-retrieve knows). Each limit below names the Salesforce page it
 * comes from; where a page gives no number for an element that surely has one (parameter descriptions), the
 * element is held to its parent's documented limit, the strict reading. One table, one check: add a limit here and
 * every file of that type is held to it.
 */
import { XMLParser } from 'fast-xml-parser';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { FORCE_APP } from '../lib/paths.js';
import type { StepResult } from './step.js';

export interface MetadataLimit {
  /** Metadata type, as in the report. */
  type: string;
  /** Source-format file suffix: `<name>.<suffix>-meta.xml`. */
  suffix: string;
  /** Element path from the root element (`valueSet.valueSetDefinition.value.label`); `@name` is the file's API name. */
  element: string;
  max: number;
  /** The documentation page (title, guide) that gives the limit. */
  source: string;
}

const HELP_FIELD = 'Salesforce Help, "Custom Field Attributes" (platform.custom_field_attributes.htm)';
const HELP_OBJECT = 'Salesforce Help, "Custom Object Definition" (Create a Custom Object: label, plural label, object name)';
const HELP_VALIDATION = 'Salesforce Help, "Validation Rules Fields"';
const HELP_LABELS = 'Salesforce Help, "Create and Edit Custom Labels"';
const HELP_PICKLIST = 'Salesforce Help, "Picklist Limitations" (each value up to 255 characters)';
const MDAPI = (type: string) => `Metadata API Developer Guide, "${type}"`;
const HELP_PERMSET = 'Salesforce Help, "Create Permission Sets" (Label, API Name: 80; Description: 255)';
const HELP_NAMED = 'Salesforce Help, "Named Credential Fields" / "External Credential Fields" (Description: 255)';

export const METADATA_LIMITS: MetadataLimit[] = [
  // Custom objects and platform events (an event is a custom object with the __e suffix).
  { type: 'CustomObject', suffix: 'object', element: '@name', max: 40, source: HELP_OBJECT },
  { type: 'CustomObject', suffix: 'object', element: 'label', max: 40, source: HELP_OBJECT },
  { type: 'CustomObject', suffix: 'object', element: 'pluralLabel', max: 40, source: HELP_OBJECT },
  { type: 'CustomObject', suffix: 'object', element: 'description', max: 1000, source: HELP_OBJECT },
  { type: 'CustomObject', suffix: 'object', element: 'nameField.label', max: 80, source: HELP_OBJECT },
  // Custom fields (on custom and standard objects, and on platform events).
  { type: 'CustomField', suffix: 'field', element: '@name', max: 40, source: HELP_FIELD },
  { type: 'CustomField', suffix: 'field', element: 'label', max: 40, source: HELP_FIELD },
  { type: 'CustomField', suffix: 'field', element: 'description', max: 1000, source: HELP_FIELD },
  { type: 'CustomField', suffix: 'field', element: 'inlineHelpText', max: 510, source: HELP_FIELD },
  { type: 'CustomField', suffix: 'field', element: 'relationshipLabel', max: 80, source: HELP_FIELD },
  { type: 'CustomField', suffix: 'field', element: 'relationshipName', max: 40, source: HELP_FIELD },
  { type: 'CustomField', suffix: 'field', element: 'valueSet.valueSetDefinition.value.fullName', max: 255, source: HELP_PICKLIST },
  { type: 'CustomField', suffix: 'field', element: 'valueSet.valueSetDefinition.value.label', max: 255, source: HELP_PICKLIST },
  // Validation rules.
  { type: 'ValidationRule', suffix: 'validationRule', element: '@name', max: 40, source: HELP_VALIDATION },
  { type: 'ValidationRule', suffix: 'validationRule', element: 'description', max: 255, source: HELP_VALIDATION },
  { type: 'ValidationRule', suffix: 'validationRule', element: 'errorMessage', max: 255, source: HELP_VALIDATION },
  { type: 'ValidationRule', suffix: 'validationRule', element: 'errorConditionFormula', max: 3900, source: HELP_VALIDATION },
  // Custom labels and their translations.
  { type: 'CustomLabels', suffix: 'labels', element: 'labels.fullName', max: 80, source: HELP_LABELS },
  { type: 'CustomLabels', suffix: 'labels', element: 'labels.shortDescription', max: 80, source: HELP_LABELS },
  { type: 'CustomLabels', suffix: 'labels', element: 'labels.value', max: 1000, source: HELP_LABELS },
  { type: 'Translations', suffix: 'translation', element: 'customLabels.label', max: 1000, source: HELP_LABELS },
  // Object translations are held to the English limits: a longer translation is refused the same way.
  { type: 'CustomObjectTranslation', suffix: 'fieldTranslation', element: 'label', max: 40, source: HELP_FIELD },
  { type: 'CustomObjectTranslation', suffix: 'fieldTranslation', element: 'help', max: 510, source: HELP_FIELD },
  { type: 'CustomObjectTranslation', suffix: 'fieldTranslation', element: 'picklistValues.translation', max: 255, source: HELP_PICKLIST },
  { type: 'CustomObjectTranslation', suffix: 'objectTranslation', element: 'validationRules.errorMessage', max: 255, source: HELP_VALIDATION },
  // Permissions.
  { type: 'PermissionSet', suffix: 'permissionset', element: '@name', max: 80, source: HELP_PERMSET },
  { type: 'PermissionSet', suffix: 'permissionset', element: 'label', max: 80, source: HELP_PERMSET },
  { type: 'PermissionSet', suffix: 'permissionset', element: 'description', max: 255, source: HELP_PERMSET },
  { type: 'CustomPermission', suffix: 'customPermission', element: 'description', max: 255, source: 'Salesforce Help, "Create Custom Permissions" (Description: 255)' },
  // Callouts: the named credential, the external credential and the external service registration.
  { type: 'NamedCredential', suffix: 'namedCredential', element: 'description', max: 255, source: HELP_NAMED },
  { type: 'NamedCredential', suffix: 'namedCredential', element: 'namedCredentialParameters.description', max: 255, source: `${HELP_NAMED}; parameters held to the same limit` },
  { type: 'ExternalCredential', suffix: 'externalCredential', element: 'description', max: 255, source: HELP_NAMED },
  { type: 'ExternalCredential', suffix: 'externalCredential', element: 'externalCredentialParameters.description', max: 255, source: `${HELP_NAMED}; parameters held to the same limit` },
  { type: 'ExternalServiceRegistration', suffix: 'externalServiceRegistration', element: 'description', max: 255, source: 'Salesforce Help, "Register an External Service" (Description: 255)' },
  { type: 'ExternalServiceRegistration', suffix: 'externalServiceRegistration', element: '@name', max: 80, source: MDAPI('ExternalServiceRegistration') },
  // Flows.
  { type: 'Flow', suffix: 'flow', element: '@name', max: 80, source: 'Salesforce Help, "Flow Properties" (API Name: 80)' },
  { type: 'Flow', suffix: 'flow', element: 'label', max: 255, source: 'Salesforce Help, "Flow Properties" (Flow Label: 255)' },
  { type: 'Flow', suffix: 'flow', element: 'description', max: 255, source: 'Salesforce Help, "Flow Properties" (Description: 255)' },
  ...['actionCalls', 'assignments', 'decisions', 'formulas', 'recordLookups', 'recordUpdates', 'recordCreates', 'recordDeletes', 'variables'].map(
    (element): MetadataLimit => ({ type: 'Flow', suffix: 'flow', element: `${element}.name`, max: 80, source: 'Salesforce Help, "Flow Element Reference" (API Name: 80)' }),
  ),
  // Lightning pages.
  { type: 'FlexiPage', suffix: 'flexipage', element: 'masterLabel', max: 80, source: 'Salesforce Help, "Lightning App Builder: Lightning Page Properties" (Label: 80)' },
  { type: 'FlexiPage', suffix: 'flexipage', element: 'description', max: 255, source: 'Salesforce Help, "Lightning App Builder: Lightning Page Properties" (Description: 255)' },
];

export interface LimitViolation {
  file: string;
  limit: MetadataLimit;
  value: string;
}

const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: true });

/** Every value at a dotted element path; repeated elements (arrays) at any step are followed. */
function valuesAt(node: unknown, steps: string[]): string[] {
  if (node === undefined || node === null) return [];
  if (Array.isArray(node)) return node.flatMap((entry) => valuesAt(entry, steps));
  if (steps.length === 0) return typeof node === 'string' ? [node] : [];
  if (typeof node !== 'object') return [];
  return valuesAt((node as Record<string, unknown>)[steps[0]], steps.slice(1));
}

/** A component's API name as the limit counts it: without the __c / __e suffix the platform adds. */
function apiNameOf(file: string, suffix: string): string {
  return path.basename(file, `.${suffix}-meta.xml`).replace(/__(c|e)$/, '');
}

function metadataFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) return entry === 'lwc' ? [] : metadataFiles(full);
    return entry.endsWith('-meta.xml') ? [full] : [];
  });
}

export function findLimitViolations(forceApp = FORCE_APP, limits = METADATA_LIMITS): { checked: number; violations: LimitViolation[] } {
  const violations: LimitViolation[] = [];
  const files = metadataFiles(forceApp);
  for (const file of files) {
    const applicable = limits.filter((limit) => file.endsWith(`.${limit.suffix}-meta.xml`));
    if (applicable.length === 0) continue;
    const parsed = parser.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    const root = Object.entries(parsed).find(([key]) => key !== '?xml')?.[1];
    for (const limit of applicable) {
      const values = limit.element === '@name' ? [apiNameOf(file, limit.suffix)] : valuesAt(root, limit.element.split('.'));
      for (const value of values) {
        if (value.length > limit.max) violations.push({ file: path.relative(forceApp, file), limit, value });
      }
    }
  }
  return { checked: files.length, violations };
}

export function describeViolation({ file, limit, value }: LimitViolation): string {
  const what = limit.element === '@name' ? 'API name' : limit.element;
  const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
  return `${file}: ${limit.type} ${what} has ${value.length} characters, limit ${limit.max} (${limit.source}): "${shown}". Shorten it.`;
}

export async function validateMetadataLimits(forceApp = FORCE_APP): Promise<StepResult> {
  const { checked, violations } = findLimitViolations(forceApp);
  if (violations.length > 0) {
    return { ok: false, report: violations.map(describeViolation).join('\n') };
  }
  return { ok: true, report: `${checked} metadata files within ${METADATA_LIMITS.length} documented limits` };
}
