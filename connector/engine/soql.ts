/**
 * SOQL literals. Queries are composed with soql-parser-js; values that come from people or from Partner Center
 * (company names, emails) are quoted here with Salesforce's documented escape sequences, and ids are checked
 * against their format, so no value can end a string literal early. (jsforce's own builder escapes only quotes,
 * which a trailing backslash defeats.)
 */
import { InputError } from './field-errors.js';

const ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  "'": "\\'",
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

function escape(value: string): string {
  return value.replace(/[\\'"\n\r\t\b\f]/g, (c) => ESCAPES[c]);
}

/** A quoted SOQL string literal. */
export function soqlString(value: string): string {
  return `'${escape(value)}'`;
}

/** A quoted LIKE pattern: each part matched literally, with the `%` wildcard between parts. */
export function soqlLikePattern(parts: readonly string[]): string {
  return `'${parts.map((p) => escape(p).replace(/[%_]/g, (c) => `\\${c}`)).join('%')}'`;
}

const SALESFORCE_ID = /^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/;
// Partner Center ids are GUIDs; allow the id alphabet generally but nothing that could leave a literal.
const REFERRAL_ID = /^[A-Za-z0-9-]{1,100}$/;

export function salesforceIdLiteral(id: string): string {
  if (!SALESFORCE_ID.test(id)) throw new InputError(`"${id}" is not a Salesforce record id (15 or 18 letters and digits).`);
  return `'${id}'`;
}

export function referralIdLiteral(id: string): string {
  if (!REFERRAL_ID.test(id)) throw new InputError(`"${id}" is not a Partner Center referral id.`);
  return `'${id}'`;
}
