/**
 * Salesforce record ids arrive as 15-character (case-sensitive) or 18-character (case-safe) strings; the queue
 * keys work by the 18-character form so both spellings of one opportunity share one ordering lane.
 */
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

export const OPPORTUNITY_KEY_PREFIX = '006';

function suffix(id15: string): string {
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
  const id18 = id15 + suffix(id15);
  // Case-insensitive systems may upper-case the suffix; anything else is a typo or a forgery.
  if (value.length === 18 && value.slice(15).toUpperCase() !== id18.slice(15)) return null;
  return id18;
}

export function isOpportunityId(value: string): boolean {
  return toId18(value) !== null && value.startsWith(OPPORTUNITY_KEY_PREFIX);
}
