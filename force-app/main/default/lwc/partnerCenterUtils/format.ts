/** Small, locale-neutral helpers for building what the components show. */

/**
 * Fills `{0}`, `{1}`, ... in a custom label with the given values, the placeholder style Salesforce labels use.
 * Placeholders without a value are left as they are so a missing argument is visible rather than silent.
 */
export function formatLabel(template: string, ...values: Array<string | number | null | undefined>): string {
  return template.replace(/\{(\d+)\}/g, (placeholder, index: string) => {
    const value = values[Number(index)];
    return value === undefined || value === null ? placeholder : String(value);
  });
}

/** True when two Salesforce ids name the same record, whether given in 15- or 18-character form. */
export function sameRecordId(a: string | null | undefined, b: string | null | undefined): boolean {
  if (!a || !b) return false;
  return a.slice(0, 15) === b.slice(0, 15);
}

/** Trims a text value; blank, null and non-string values become ''. */
export function cleanText(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

/** Splits multi-line text (such as the audit trail) into its non-empty lines, keeping their order. */
export function nonEmptyLines(value: unknown): string[] {
  return cleanText(value)
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}
