import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checksumSuffix, isOpportunityId, normalizeId, toId18 } from './salesforce-id.js';

describe('Salesforce ids', () => {
  it('computes the case-safe suffix Salesforce uses (a published 15/18 pair)', () => {
    assert.equal(checksumSuffix('0015000000Gv7qJ'), 'AAR');
    assert.equal(toId18('0015000000Gv7qJ'), '0015000000Gv7qJAAR');
  });

  it('toId18 accepts an upper-cased suffix but not a changed case in the first 15', () => {
    assert.equal(toId18('0015000000Gv7qJaar'), '0015000000Gv7qJAAR');
    assert.equal(toId18('0015000000GV7QJAAR'), null);
    assert.equal(toId18('0015000000Gv7qJAAS'), null);
    for (const bad of ['', '0015000000Gv7q', '0015000000Gv7q-AAR', '0015000000Gv7qJAA']) assert.equal(toId18(bad), null);
  });

  it('normalizeId restores the case of an 18-character id written in any case', () => {
    assert.equal(normalizeId('0015000000GV7QJAAR'), '0015000000Gv7qJAAR');
    assert.equal(normalizeId('0015000000gv7qjaar'), '0015000000Gv7qJAAR');
    assert.equal(normalizeId('001500000000000ZZZ'), null, 'a suffix that claims an upper-case digit');
    assert.equal(normalizeId('00150000000000099A'), null, 'a suffix character outside the alphabet');
    assert.equal(normalizeId(42), null);
  });

  it('tells opportunity ids by their key prefix', () => {
    assert.equal(isOpportunityId('0068d00000000001AAA'.slice(0, 15)), true);
    assert.equal(isOpportunityId('0015000000Gv7qJAAR'), false);
  });
});
