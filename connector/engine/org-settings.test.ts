import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFixture } from './fixtures/load.js';
import { DEFAULT_SETTINGS, parseSettings, SettingsError, settingsFromRecord } from './org-settings.js';

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof SettingsError, `expected SettingsError, got ${String(error)}`);
    return error.problems;
  }
  assert.fail('expected the settings to be rejected');
}

test('missing keys take their defaults', () => {
  assert.deepEqual(parseSettings({}), DEFAULT_SETTINGS);
  const settings = parseSettings(readFixture('settings/configured.json'));
  assert.equal(settings.onHoldStageName, 'Partner Center - On Hold');
  assert.equal(settings.countryCodeField, 'Account.BillingCountry');
  assert.equal(settings.displayCheckMark, true);
  assert.equal(settings.syncCoSellOnly, true);
});

test('every setting can be configured', () => {
  assert.deepEqual(parseSettings(readFixture('settings/custom-fields.json')), {
    activeStageName: 'Qualification',
    onHoldStageName: 'Partner Center - On Hold',
    wonStageName: 'Closed Won',
    lostStageName: 'Closed Lost',
    displayCheckMark: false,
    countryCodeField: 'Account.Country_Code__c',
    dealValueField: 'Opportunity.Expected_Revenue__c',
    currencyField: 'Opportunity.Deal_Currency__c',
    syncCoSellOnly: false,
  });
});

test('an unknown key is named with the allowed keys', () => {
  const [message] = problems(() => parseSettings(readFixture('settings/unknown-key.json')));
  assert.match(message, /Unknown setting "onHoldStage"/);
  assert.match(message, /onHoldStageName/);
});

test('a wrong type names the key and the value', () => {
  assert.deepEqual(problems(() => parseSettings(readFixture('settings/wrong-type.json'))), [
    'Setting "displayCheckMark" must be true or false (got string "yes").',
  ]);
  assert.match(problems(() => parseSettings({ activeStageName: 5 }))[0], /"activeStageName" must be text \(got number 5\)/);
});

test('field paths must be Object.Field of the right object with API-name characters', () => {
  assert.match(problems(() => parseSettings(readFixture('settings/injected-field.json')))[0], /"dealValueField" must name an Opportunity field/);
  assert.match(problems(() => parseSettings(readFixture('settings/wrong-object-field.json')))[0], /"countryCodeField" must name an Account field/);
  for (const bad of ['Account.Billing Country', 'Account.BillingCountry,Id', "Account.X'", 'Account.__c', 'Account.Foo__r', 'Account.A.B']) {
    assert.throws(() => parseSettings({ countryCodeField: bad }), SettingsError, bad);
  }
  for (const good of ['Account.BillingCountry', 'Account.Country_Code__c', 'Account.ns__Country__c', 'Account.billingcountry']) {
    assert.equal(parseSettings({ countryCodeField: good }).countryCodeField, good);
  }
});

test('one stage cannot carry two meanings', () => {
  assert.match(problems(() => parseSettings(readFixture('settings/same-stage-twice.json')))[0], /"activeStageName" and "onHoldStageName" both name the stage "Qualification"/);
});

test('all problems are reported at once', () => {
  assert.equal(problems(() => parseSettings({ displayCheckMark: 1, syncCoSellOnly: 'no', extra: true })).length, 3);
});

test('a non-object is rejected', () => {
  assert.match(problems(() => parseSettings([]))[0], /must be a JSON object/);
  assert.match(problems(() => parseSettings(null))[0], /must be a JSON object/);
});

test('settingsFromRecord maps Partner_Center_Settings__c fields; blanks mean unset or default', () => {
  assert.deepEqual(settingsFromRecord(readFixture('settings/record.json')), {
    activeStageName: 'Qualification',
    onHoldStageName: 'Partner Center - On Hold',
    wonStageName: 'Closed Won',
    lostStageName: null,
    displayCheckMark: false,
    countryCodeField: 'Account.Country_Code__c',
    dealValueField: 'Opportunity.Amount',
    currencyField: 'Opportunity.CurrencyIsoCode',
    syncCoSellOnly: true,
  });
});

test('settingsFromRecord errors name the Salesforce field the admin edits', () => {
  assert.match(problems(() => settingsFromRecord({ Deal_Value_Field__c: 'Account.Amount' }))[0], /"Deal_Value_Field__c" must name an Opportunity field/);
  assert.match(problems(() => settingsFromRecord({ Active_Stage_Name__c: 'X', Won_Stage_Name__c: 'X' }))[0], /"Active_Stage_Name__c" and "Won_Stage_Name__c"/);
});
