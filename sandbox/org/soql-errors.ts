/**
 * SOQL errors in Salesforce's style: the offending line, a caret under the token, its row and column, then the
 * message — e.g. "\nSELECT Id, Foo FROM Account\n           ^\nERROR at Row:1:Column:12\nNo such column 'Foo' ...".
 */
import { ApiError } from './errors.js';

export function locate(soql: string, token: string): { row: number; column: number; line: string } | null {
  if (!token) return null;
  const escaped = token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`(^|[^A-Za-z0-9_.])(${escaped})(?![A-Za-z0-9_])`, 'i').exec(soql);
  if (!m) return null;
  const at = m.index + m[1].length;
  const before = soql.slice(0, at);
  const row = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const lineEnd = soql.indexOf('\n', at);
  return { row, column: at - lineStart + 1, line: soql.slice(lineStart, lineEnd < 0 ? undefined : lineEnd) };
}

export function queryError(errorCode: string, soql: string, token: string, message: string): ApiError {
  const at = locate(soql, token);
  const text = at
    ? `\n${at.line}\n${' '.repeat(at.column - 1)}^\nERROR at Row:${at.row}:Column:${at.column}\n${message}`
    : message;
  return new ApiError(400, errorCode, text);
}

/** A construct the local org does not implement: say so plainly instead of answering wrongly. */
export function unsupported(soql: string, what: string): ApiError {
  return new ApiError(400, 'MALFORMED_QUERY', `${what} is not supported by the local org (query: ${soql})`);
}
