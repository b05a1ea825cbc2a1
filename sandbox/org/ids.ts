/**
 * Salesforce record ids as the local org mints them: 15 case-sensitive characters (3-char key prefix, 2-char pod,
 * a reserved '0', 9 base-62 digits) plus the 3-character case-safe suffix. Clients may send either form; the org
 * always answers with 18.
 *
 * The suffix follows Salesforce's own description of the 18-character id (Salesforce Help, "CASESAFEID" formula
 * function, and the Knowledge article "What are Salesforce IDs composed of?"): the 15 characters are read as
 * three groups of five; in each group, the character at position i (0-based, left to right) sets bit i when it is
 * an upper-case letter; each group's 5-bit number picks one character of "A".."Z" then "0".."5". Written here from
 * that description on purpose — the stand-in does not borrow the connector's reading.
 */
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** The 32 suffix characters, in the order the group's value picks them. */
const CASE_SAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const WELL_FORMED = /^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/;
/** A made-up pod; real ids carry the instance that minted them here. */
const POD = '8d';

/** The 3-character case-safe suffix of a 15-character id. */
export function checksumSuffix(id15: string): string {
  const groups = [id15.slice(0, 5), id15.slice(5, 10), id15.slice(10, 15)];
  return groups
    .map((group) => CASE_SAFE[[...group].reduce((value, char, i) => (/[A-Z]/.test(char) ? value + 2 ** i : value), 0)])
    .join('');
}

/**
 * The 18-character id for a 15- or 18-character input, or null when it is not an id. An 18-character id is
 * accepted in any letter case, as Salesforce accepts it: its suffix says which of the first 15 are upper case.
 */
export function normalizeId(input: unknown): string | null {
  if (typeof input !== 'string' || !WELL_FORMED.test(input)) return null;
  if (input.length === 15) return input + checksumSuffix(input);
  let id15 = '';
  for (let group = 0; group < 3; group++) {
    const value = CASE_SAFE.indexOf(input[15 + group].toUpperCase());
    if (value < 0) return null;
    for (let i = 0; i < 5; i++) {
      const char = input[group * 5 + i];
      id15 += value & (2 ** i) ? char.toUpperCase() : char.toLowerCase();
    }
  }
  // A suffix that marks a digit as upper case does not belong to any id.
  return checksumSuffix(id15) === input.slice(15).toUpperCase() ? id15 + checksumSuffix(id15) : null;
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
