/**
 * Salesforce record ids: 15 case-sensitive characters plus a 3-character suffix that encodes the case of the first
 * 15, so the 18-character form survives case-insensitive systems. The connector keys work by the 18-character form
 * so both spellings of one opportunity share one ordering lane. (The local org, sandbox/org/ids.ts, has its own
 * reading of the same documented checksum; each side's tests pin a published 15/18 pair.)
 */
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

export const OPPORTUNITY_KEY_PREFIX = '006';

/** The 3-character case-safe suffix of a 15-character id: one letter per 5 characters, a bit per upper-case letter. */
export function checksumSuffix(id15: string): string {
  let out = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charCodeAt(chunk * 5 + i);
      if (c >= 65 && c <= 90) bits |= 1 << i;
    }
    out += SUFFIX_ALPHABET[bits];
  }
  return out;
}

/** The 18-character id, or null when `value` is not a well-formed 15/18-character id (checksum included). */
export function toId18(value: string): string | null {
  if (!ID.test(value)) return null;
  const id15 = value.slice(0, 15);
  const id18 = id15 + checksumSuffix(id15);
  // Case-insensitive systems may upper-case the suffix; anything else is a typo or a forgery.
  if (value.length === 18 && value.slice(15).toUpperCase() !== id18.slice(15)) return null;
  return id18;
}

/**
 * The canonical 18-character id for a 15- or 18-character input, or null when it is not an id. Unlike `toId18`,
 * an 18-character id is accepted in any letter case, as Salesforce accepts it: its suffix says which letters of the
 * first 15 are upper case, so the original case is restored.
 */
export function normalizeId(input: unknown): string | null {
  if (typeof input !== 'string' || !ID.test(input)) return null;
  if (input.length === 15) return input + checksumSuffix(input);
  const chars = input.slice(0, 15).split('');
  for (let chunk = 0; chunk < 3; chunk++) {
    const bits = SUFFIX_ALPHABET.indexOf(input[15 + chunk].toUpperCase());
    if (bits < 0) return null;
    for (let i = 0; i < 5; i++) {
      const at = chunk * 5 + i;
      chars[at] = bits & (1 << i) ? chars[at].toUpperCase() : chars[at].toLowerCase();
    }
  }
  const id15 = chars.join('');
  // Digits cannot carry case: a suffix that claims an upper-case digit is not a valid id.
  if (checksumSuffix(id15) !== input.slice(15).toUpperCase()) return null;
  return id15 + checksumSuffix(id15);
}

export function isOpportunityId(value: string): boolean {
  return toId18(value) !== null && value.startsWith(OPPORTUNITY_KEY_PREFIX);
}
