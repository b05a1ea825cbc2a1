/**
 * ISO 4217 currency codes as the platform knows them (ICU data behind Intl.supportedValuesOf), so the list is
 * maintained with Node rather than by us. Partner Center rejects any other code in details.currency.
 */
const CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

/** The upper-case ISO 4217 code, or undefined when the value is not one. */
export function toCurrencyCode(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const code = value.trim().toUpperCase();
  return CURRENCIES.has(code) ? code : undefined;
}
