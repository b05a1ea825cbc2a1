/**
 * Customer country → ISO 3166-1 alpha-2, which Partner Center requires on every new referral. Sellers type
 * countries in their own language ("Deutschland", "Allemagne", "Germany"), so names are looked up in every
 * locale i18n-iso-countries ships (its Node entry registers all of them) before the value is rejected.
 */
import countries from 'i18n-iso-countries';

// Case- and accent-insensitive: "Österreich", "osterreich" and "ÖSTERREICH" are the same country.
function fold(value: string): string {
  return value.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

let namesToCodes: Map<string, string> | undefined;

/** Every official name and alias in every locale, English first so its names win the rare cross-language clash. */
function nameIndex(): Map<string, string> {
  if (namesToCodes) return namesToCodes;
  const index = new Map<string, string>();
  const langs = ['en', ...countries.langs().filter((l) => l !== 'en')];
  for (const lang of langs) {
    for (const [code, names] of Object.entries(countries.getNames(lang, { select: 'all' }))) {
      for (const name of [names].flat()) {
        const key = fold(name);
        if (key !== '' && !index.has(key)) index.set(key, code);
      }
    }
  }
  namesToCodes = index;
  return index;
}

/** The alpha-2 code for a code (alpha-2 or alpha-3, any case) or a country name in any known language. */
export function toCountryCode(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  if (/^[A-Za-z]{2}$/.test(trimmed)) {
    const code = trimmed.toUpperCase();
    return countries.isValid(code) ? code : nameIndex().get(fold(trimmed));
  }
  if (/^[A-Za-z]{3}$/.test(trimmed) && countries.isValid(trimmed.toUpperCase())) {
    return countries.toAlpha2(trimmed.toUpperCase());
  }
  return trimmed === '' ? undefined : nameIndex().get(fold(trimmed));
}

/** Number of locales registered, for the test that every shipped locale is searched. */
export function registeredLocaleCount(): { registered: number; shipped: number } {
  return { registered: countries.langs().length, shipped: countries.getSupportedLanguages().length };
}
