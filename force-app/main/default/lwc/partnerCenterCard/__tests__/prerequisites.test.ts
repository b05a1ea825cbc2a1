import { accountCountryField, evaluatePrerequisites, missingPrerequisites } from '../prerequisites';
import { latestAuditLine, syncStateOf } from '../syncStatus';
import { LABELS } from '../labels';

describe('co-sell prerequisites', () => {
  const facts = { contactRoleCount: 1, solutionCount: 2, hasAccount: true, countryValue: 'DE', countryFieldLabel: 'Billing Country' };
  const states = (input: Parameters<typeof evaluatePrerequisites>[0]) =>
    Object.fromEntries(evaluatePrerequisites(input, LABELS).map((item) => [item.key, item.state]));

  it('all met', () => {
    expect(states(facts)).toEqual({ contactRole: 'met', solution: 'met', countryCode: 'met' });
    expect(missingPrerequisites(evaluatePrerequisites(facts, LABELS))).toEqual([]);
  });

  it('zero counts and a blank country are missing; unknown data is unknown', () => {
    expect(states({ ...facts, contactRoleCount: 0, solutionCount: 0, countryValue: '  ' })).toEqual({
      contactRole: 'missing',
      solution: 'missing',
      countryCode: 'missing',
    });
    expect(states({ ...facts, contactRoleCount: undefined, solutionCount: undefined, countryValue: undefined })).toEqual({
      contactRole: 'unknown',
      solution: 'unknown',
      countryCode: 'unknown',
    });
  });

  it('no account means the country is missing, whatever else is known', () => {
    expect(states({ ...facts, hasAccount: false, countryValue: undefined }).countryCode).toBe('missing');
  });

  it('names the configured country field in the checklist and its rule', () => {
    const country = evaluatePrerequisites({ ...facts, countryValue: null, countryFieldLabel: 'Country Code' }, LABELS)[2];
    expect(country.label).toContain('Country Code');
    expect(country.hint).toContain('Country Code');
  });

  it('reads the country setting as a path from the opportunity to an Account field', () => {
    expect(accountCountryField('Account.BillingCountry')).toBe('Account.BillingCountry');
    expect(accountCountryField('Opportunity.Account.Country_Code__c')).toBe('Account.Country_Code__c');
    expect(accountCountryField('BillingCountryCode')).toBe('Account.BillingCountryCode');
    expect(accountCountryField('Account.Country__r.Code__c')).toBe('Account.Country__r.Code__c');
    expect(accountCountryField('Opportunity.Country__c')).toBeUndefined();
    expect(accountCountryField('')).toBeUndefined();
  });
});

describe('sync state', () => {
  it('comes from the sync status, and from the switch while nothing was synced', () => {
    expect(syncStateOf({ syncOn: false, status: 'Not Synced' })).toBe('off');
    expect(syncStateOf({ syncOn: true, status: 'Not Synced' })).toBe('notSynced');
    expect(syncStateOf({ syncOn: true, status: null })).toBe('notSynced');
    expect(syncStateOf({ syncOn: true, status: 'Pending' })).toBe('pending');
    expect(syncStateOf({ syncOn: false, status: 'Synced' })).toBe('synced');
    expect(syncStateOf({ syncOn: true, status: 'Error' })).toBe('error');
  });

  it('the newest audit line is the first non-blank one', () => {
    expect(latestAuditLine('\n  2025-03-05 ✖ Country missing \n2025-03-04 ✔ ok')).toBe('2025-03-05 ✖ Country missing');
    expect(latestAuditLine(null)).toBeUndefined();
  });
});
