import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checksumSuffix, mintId, normalizeId, to15 } from './ids.js';

describe('record ids', () => {
  it('computes the case-safe suffix Salesforce uses', () => {
    // A published 15/18-character pair.
    assert.equal(checksumSuffix('0015000000Gv7qJ'), 'AAR');
    assert.equal(normalizeId('0015000000Gv7qJ'), '0015000000Gv7qJAAR');
  });

  it('accepts an 18-character id in any letter case and restores the original case', () => {
    assert.equal(normalizeId('0015000000GV7QJAAR'), '0015000000Gv7qJAAR');
    assert.equal(normalizeId('0015000000gv7qjaar'), '0015000000Gv7qJAAR');
  });

  it('rejects what is not an id', () => {
    for (const bad of ['', 'abc', '0015000000Gv7qJAA', '0015000000Gv7q-AAR', 42, null]) assert.equal(normalizeId(bad), null);
    // The suffix claims an upper-case letter at a position that holds a digit.
    assert.equal(normalizeId('001500000000000ZZZ'), null);
  });

  it('mints 18-character ids with the key prefix, in increasing order', () => {
    const a = mintId('006', 1);
    const b = mintId('006', 2);
    const c = mintId('006', 62);
    assert.match(a, /^006[A-Za-z0-9]{15}$/);
    assert.equal(normalizeId(a), a);
    assert.ok(a < b && b < c);
    assert.equal(to15(a), a.slice(0, 15));
    assert.throws(() => mintId('06', 1));
  });
});
