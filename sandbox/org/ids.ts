/**
 * Salesforce record ids: 15 case-sensitive characters (3-char key prefix, 2-char pod, a reserved '0', 9 base-62
 * digits) plus a 3-character suffix that encodes the case of the first 15, so the 18-character form can be compared
 * case-insensitively. Clients (and the connector) may send either form; the org always answers with 18.
 */

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const ID_CHARS = /^[a-zA-Z0-9]+$/;
/** A made-up pod; real ids carry the instance that minted them here. */
const POD = '8d';

/** The 3-character case-safe suffix of a 15-character id. */
export function checksumSuffix(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charCodeAt(chunk * 5 + i);
      if (c >= 65 && c <= 90) bits |= 1 << i;
    }
    suffix += SUFFIX_ALPHABET[bits];
  }
  return suffix;
}

/**
 * Returns the canonical 18-character id for a 15- or 18-character input, or null when it is not an id.
 * An 18-character id is accepted in any letter case: its suffix says which letters are upper case.
 */
export function normalizeId(input: unknown): string | null {
  if (typeof input !== 'string' || !ID_CHARS.test(input)) return null;
  if (input.length === 15) return input + checksumSuffix(input);
  if (input.length !== 18) return null;
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

/** The 15-character form, as Salesforce quotes ids in some error messages. */
export function to15(id: string): string {
  return id.slice(0, 15);
}

export function keyPrefixOf(id: string): string {
  return id.slice(0, 3);
}

/** Mints the id for the n-th record (n >= 1) with a key prefix. */
export function mintId(prefix: string, n: number): string {
  if (prefix.length !== 3) throw new Error(`key prefix must have 3 characters: ${prefix}`);
  let digits = '';
  let rest = n;
  for (let i = 0; i < 9; i++) {
    digits = BASE62[rest % 62] + digits;
    rest = Math.floor(rest / 62);
  }
  if (rest > 0) throw new Error(`id space exhausted for prefix ${prefix}`);
  const id15 = `${prefix}${POD}0${digits}`;
  return id15 + checksumSuffix(id15);
}
