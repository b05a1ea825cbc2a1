/**
 * Builds the RFC 6902 patch Partner Center accepts: only `replace` (the path exists) and `add` (it does not; the
 * op creates the nearest missing parent with the rest nested inside, since `add` cannot create grandparents).
 * Each op is applied to a working copy with fast-json-patch so later ops see earlier ones, which keeps a
 * sequence such as "add /details, then add /details/currency" valid against the real referral.
 */
import jsonpatch from 'fast-json-patch';
import type { Referral, ReferralPatchOperation } from '../model/referral.js';

function segments(pointer: string): string[] {
  return pointer.split('/').slice(1).map(jsonpatch.unescapePathComponent);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export class PatchBuilder {
  private readonly working: Referral;
  readonly ops: ReferralPatchOperation[] = [];

  constructor(current: Referral) {
    this.working = jsonpatch.deepClone(current) as Referral;
  }

  /** Sets the value at a JSON pointer (object members only), with `replace` or `add` as the document requires. */
  set(pointer: string, value: unknown): this {
    const path = segments(pointer);
    let node: unknown = this.working;
    let depth = 0;
    for (; depth < path.length - 1; depth++) {
      const next = isObject(node) ? node[path[depth]] : undefined;
      if (!isObject(next)) break;
      node = next;
    }
    let op: ReferralPatchOperation;
    if (depth === path.length - 1 && isObject(node) && path[depth] in node) {
      op = { op: 'replace', path: pointer, value };
    } else {
      // Wrap the value in the objects that are missing below the deepest existing parent.
      const nested = path.slice(depth + 1).reduceRight<unknown>((inner, key) => ({ [key]: inner }), value);
      const at = '/' + path.slice(0, depth + 1).map(jsonpatch.escapePathComponent).join('/');
      op = { op: isObject(node) && path[depth] in node ? 'replace' : 'add', path: at, value: nested };
    }
    jsonpatch.applyOperation(this.working, jsonpatch.deepClone(op), true, true);
    this.ops.push(op);
    return this;
  }
}
