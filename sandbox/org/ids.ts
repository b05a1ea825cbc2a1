/**
 * Salesforce record ids as the local org mints them: 15 case-sensitive characters (3-char key prefix, 2-char pod,
 * a reserved '0', 9 base-62 digits) plus the 3-character case-safe suffix. Clients (and the connector) may send
 * either form; the org always answers with 18. The checksum itself is the connector's (connector/salesforce/ids.ts).
 */
import { checksumSuffix } from '../../connector/salesforce/ids.js';

export { checksumSuffix, normalizeId } from '../../connector/salesforce/ids.js';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** A made-up pod; real ids carry the instance that minted them here. */
const POD = '8d';

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
