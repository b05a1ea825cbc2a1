/**
 * Field values on the wire and in storage. Salesforce returns datetimes as `2024-05-01T12:34:56.000+0000`, dates
 * as `2024-05-01`, numbers as JSON numbers, and treats an empty string as null. Input is checked per field type
 * with the platform's error codes.
 */
import { DmlError } from './errors.js';
import { normalizeId } from './ids.js';
import type { FieldDef } from './schema-types.js';

export type StoredValue = string | number | boolean | null;
export type StoredRecord = Record<string, StoredValue>;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:?\d{2})?$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** The platform's datetime wire format, always in GMT. */
export function formatDatetime(d: Date | number): string {
  const t = typeof d === 'number' ? new Date(d) : d;
  return (
    `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}` +
    `T${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}.${pad(t.getUTCMilliseconds(), 3)}+0000`
  );
}

export function formatDate(d: Date | number): string {
  const t = typeof d === 'number' ? new Date(d) : d;
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

function validCalendarDate(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/** A `YYYY-MM-DD` string that names a real calendar day, or null. */
export function parseDate(s: string): string | null {
  const m = DATE.exec(s);
  if (!m) return null;
  return validCalendarDate(+m[1], +m[2], +m[3]) ? s : null;
}

/** Epoch milliseconds for an ISO-8601 datetime (offset optional: GMT), or null. */
export function parseDatetime(s: string): number | null {
  const m = DATETIME.exec(s);
  if (!m) return null;
  const [, y, mo, d, h, mi, sec = '0', ms = '0', zone = 'Z'] = m;
  if (!validCalendarDate(+y, +mo, +d) || +h > 23 || +mi > 59 || +sec > 59) return null;
  let offsetMin = 0;
  if (zone !== 'Z') {
    const digits = zone.replace(':', '');
    offsetMin = (digits[0] === '-' ? -1 : 1) * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
  }
  return Date.UTC(+y, +mo - 1, +d, +h, +mi, +sec, Number(ms.padEnd(3, '0'))) - offsetMin * 60_000;
}

function jsonTypeOf(raw: unknown): string {
  if (typeof raw === 'string') return 'VALUE_STRING';
  if (typeof raw === 'boolean') return raw ? 'VALUE_TRUE' : 'VALUE_FALSE';
  if (typeof raw === 'number') return Number.isInteger(raw) ? 'VALUE_NUMBER_INT' : 'VALUE_NUMBER_FLOAT';
  return Array.isArray(raw) ? 'START_ARRAY' : 'START_OBJECT';
}

function cannotDeserialize(type: string, raw: unknown): DmlError {
  const shown = typeof raw === 'object' ? '' : ` value ${String(raw)}`;
  return new DmlError(
    'JSON_PARSER_ERROR',
    `Cannot deserialize instance of ${type} from ${jsonTypeOf(raw)}${shown} or request may be missing a required field`,
  );
}

function toNumber(f: FieldDef, raw: unknown): number {
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  if (!Number.isFinite(n)) throw cannotDeserialize(f.type === 'int' ? 'int' : 'double', raw);
  if (f.type === 'int' && !Number.isInteger(n)) throw cannotDeserialize('int', raw);
  const factor = 10 ** f.scale;
  const rounded = Math.round(n * factor) / factor;
  const integerDigits = f.precision - f.scale;
  if (f.precision > 0 && Math.abs(Math.trunc(rounded)) >= 10 ** integerDigits) {
    throw new DmlError('NUMBER_OUTSIDE_VALID_RANGE', `${f.label}: value outside of valid range on numeric field: ${n}`, [f.name]);
  }
  return rounded;
}

/**
 * Converts a JSON value sent by a client into the stored form for a field, or throws the platform's error.
 * Length, picklist and reference existence are checked later, with the whole record in view.
 */
export function coerceInput(f: FieldDef, raw: unknown): StoredValue {
  if (raw === null || raw === undefined) return f.type === 'boolean' ? false : null;
  switch (f.type) {
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      if (raw === 'true' || raw === 'false') return raw === 'true';
      throw cannotDeserialize('boolean', raw);
    case 'currency':
    case 'double':
    case 'percent':
    case 'int':
      return toNumber(f, raw);
    case 'date': {
      if (typeof raw !== 'string') throw cannotDeserialize('date', raw);
      if (raw === '') return null;
      const date = parseDate(raw) ?? (parseDatetime(raw) !== null ? formatDate(parseDatetime(raw) as number) : null);
      if (!date) throw cannotDeserialize('date', raw);
      return date;
    }
    case 'datetime': {
      if (typeof raw !== 'string') throw cannotDeserialize('datetime', raw);
      if (raw === '') return null;
      const t = parseDatetime(raw) ?? (parseDate(raw) ? parseDatetime(`${raw}T00:00:00Z`) : null);
      if (t === null) throw cannotDeserialize('datetime', raw);
      return formatDatetime(t);
    }
    case 'reference':
    case 'id': {
      if (typeof raw !== 'string') throw cannotDeserialize('id', raw);
      if (raw === '') return null;
      const id = normalizeId(raw);
      if (!id) throw new DmlError('MALFORMED_ID', `${f.label}: id value of incorrect type: ${raw}`, [f.name]);
      return id;
    }
    default: {
      if (typeof raw === 'object') throw cannotDeserialize('string', raw);
      const s = String(raw);
      if (s === '') return null;
      if (f.type === 'email' && !EMAIL.test(s)) {
        throw new DmlError('INVALID_EMAIL_ADDRESS', `${f.label}: invalid email address: ${s}`, [f.name]);
      }
      return s;
    }
  }
}

/** Equality as the platform sees a change: text compared exactly, everything else by value. */
export function sameValue(a: StoredValue | undefined, b: StoredValue | undefined): boolean {
  return (a ?? null) === (b ?? null);
}
