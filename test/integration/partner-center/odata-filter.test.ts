import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseFilter } from '../../../sandbox/partner-center/odata-query.js';
import { overTheWire } from '../../../sandbox/partner-center/testing.js';
import { listQueryParams, referralFilter as f } from '../../../connector/partner-center/odata-filter.js';
import type { Referral } from '../../../connector/model/referral.js';

describe('referralFilter', () => {
  it('renders typed comparisons as OData', () => {
    assert.equal(f.status('New').toString(), "status eq 'New'");
    assert.equal(f.substatus('Pending', 'ne').toString(), "substatus ne 'Pending'");
    assert.equal(f.email('sue@contoso.example').toString(), "team/any(t:t/email eq 'sue@contoso.example')");
  });

  it('cannot express a filter the docs do not list (a date filter is refused by the emulator as by the docs)', () => {
    assert.equal('updatedDateTime' in f, false);
    assert.equal('createdDateTime' in f, false);
    assert.throws(() => parseFilter('updatedDateTime ge 2024-05-01T10:00:00Z'), /Filtering on 'updatedDateTime' is not supported/);
    assert.throws(() => parseFilter("externalReferenceId eq 'x'"), /Filtering on 'externalReferenceId' is not supported/);
  });

  it('escapes quotes in string literals', () => {
    assert.equal(f.engagementId("a'b").toString(), "engagementId eq 'a''b'");
    const referral: Referral = { engagementId: "a'b" };
    assert.equal(parseFilter(f.engagementId("a'b").toString())(overTheWire(referral)), true);
  });

  it('parenthesises combined expressions so precedence follows the code', () => {
    const filter = f.and(f.or(f.status('New'), f.status('Active')), f.not(f.substatus('Received')));
    assert.equal(filter.toString(), "(status eq 'New' or status eq 'Active') and not (substatus eq 'Received')");
    const matches = parseFilter(filter.toString());
    assert.equal(matches({ status: 'Active', substatus: 'Accepted' }), true);
    assert.equal(matches({ status: 'New', substatus: 'Received' }), false);
    assert.equal(matches({ status: 'Closed', substatus: 'Won' }), false);
    assert.throws(() => f.and(), /at least one filter/);
  });

  it('builds the list query parameters', () => {
    const params = listQueryParams({ filter: f.status('New'), orderBy: 'updatedDateTime desc', top: 50 });
    assert.deepEqual(Object.fromEntries(params), { $filter: "status eq 'New'", $orderby: 'updatedDateTime desc', $top: '50' });
    assert.throws(() => listQueryParams({ top: 1.5 }), /\$top must be a non-negative integer/);
  });
});
