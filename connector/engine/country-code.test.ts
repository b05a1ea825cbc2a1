import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import countries from 'i18n-iso-countries';
import { registeredLocaleCount, toCountryCode } from './country-code.js';
import { toCurrencyCode } from './currency-code.js';

test('every locale i18n-iso-countries ships is searched', () => {
  const { registered, shipped } = registeredLocaleCount();
  assert.ok(shipped > 50);
  assert.equal(registered, shipped);
});

test('two-letter codes in any case and alpha-3 codes become alpha-2', () => {
  assert.equal(toCountryCode('DE'), 'DE');
  assert.equal(toCountryCode(' de '), 'DE');
  assert.equal(toCountryCode('De'), 'DE');
  assert.equal(toCountryCode('DEU'), 'DE');
  assert.equal(toCountryCode('usa'), 'US');
});

test('country names in many languages are recognised', () => {
  for (const [name, code] of [
    ['Germany', 'DE'],
    ['Deutschland', 'DE'],
    ['Allemagne', 'DE'],
    ['Alemania', 'DE'],
    ['germany', 'DE'],
    ['Österreich', 'AT'],
    ['Osterreich', 'AT'],
    ['United Kingdom', 'GB'],
    ['UK', 'GB'],
    ['Schweiz', 'CH'],
    ['Suisse', 'CH'],
    ['日本', 'JP'],
    ['Japon', 'JP'],
    ['United States of America', 'US'],
  ] as const) {
    assert.equal(toCountryCode(name), code, name);
  }
});

test('anything else is not a country', () => {
  for (const value of ['', '   ', 'Atlantis', 'XX', 'ZZZ', 'Germany!', 42, null, undefined]) {
    assert.equal(toCountryCode(value), undefined, String(value));
  }
});

test('property: every official English or German name maps back to its code', () => {
  const codes = Object.keys(countries.getAlpha2Codes());
  fc.assert(
    fc.property(fc.constantFrom(...codes), fc.constantFrom('en', 'de', 'fr'), (code, lang) => {
      const name = countries.getName(code, lang);
      if (!name) return;
      const found = toCountryCode(name);
      // Names shared by two codes (rare, e.g. across languages) may resolve to the other one; it must still be real.
      assert.ok(found !== undefined && countries.isValid(found));
      if (lang === 'en') assert.equal(found, code);
    }),
  );
});

test('currency codes are ISO 4217 as the platform knows them', () => {
  assert.equal(toCurrencyCode('EUR'), 'EUR');
  assert.equal(toCurrencyCode(' usd '), 'USD');
  assert.equal(toCurrencyCode('CHF'), 'CHF');
  for (const bad of ['EURO', 'XYZ', '', 'US', 12, null]) assert.equal(toCurrencyCode(bad), undefined, String(bad));
});
