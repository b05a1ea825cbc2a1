/**
 * Configurable field paths such as `Account.BillingCountry` or `Opportunity.Amount`. They end up inside SOQL, so
 * only `Object.Field` of the expected object with Salesforce API-name characters is accepted: nothing an admin
 * types can change the shape of a query.
 */
import { InputError } from './field-errors.js';

const WORD = '[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*';

/**
 * A Salesforce field API name: letters, digits and single underscores, starting with a letter. Custom fields end
 * in `__c` (`__pc` for person-account fields) and may carry a namespace prefix (`ns__`). Relationship names
 * (`__r`) are not fields. Exported as a string so the settings schema reuses it.
 */
export const API_NAME_PATTERN = `(?:(?:${WORD}__)?${WORD}__p?c|${WORD})`;

const API_NAME = new RegExp(`^${API_NAME_PATTERN}$`);

export type FieldObject = 'Opportunity' | 'Account';

export function isApiName(value: string): boolean {
  return API_NAME.test(value);
}

export function fieldPathPattern(object: FieldObject): string {
  return `^${object}\\.${API_NAME_PATTERN}$`;
}

/** The field API name of `Object.Field`; throws when the path names another object or is not an API name. */
export function fieldOf(path: string, object: FieldObject): string {
  const [head, field, ...rest] = path.split('.');
  if (head !== object || field === undefined || rest.length > 0 || !isApiName(field)) {
    throw new InputError(`"${path}" is not a field of ${object}; expected ${object}.<FieldApiName>, e.g. ${object}.Name.`);
  }
  return field;
}

/**
 * Reads a field from a record the way Salesforce names it. Salesforce answers with the field's canonical case
 * whatever case the query used, so a setting typed as `Account.billingcountry` still finds `BillingCountry`.
 */
export function readField(record: Record<string, unknown> | null | undefined, field: string): unknown {
  if (!record) return undefined;
  if (field in record) return record[field];
  const lower = field.toLowerCase();
  const key = Object.keys(record).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : record[key];
}
