/** The "How can Microsoft help?" choices: "no help" first, then the record type's picklist values. */
import type { PicklistValues } from 'lightning/uiObjectInfoApi';

export interface ComboboxOption {
  label: string;
  value: string;
}

/**
 * A saved value the record type no longer offers is still listed (with its display value), so the picker shows
 * what is saved instead of a blank.
 */
export function helpOptions(noneLabel: string, picklist: PicklistValues | undefined, saved: string, savedDisplay?: string | null): ComboboxOption[] {
  const values = picklist?.values ?? [];
  const options: ComboboxOption[] = [{ label: noneLabel, value: '' }, ...values.map((entry) => ({ label: entry.label, value: entry.value }))];
  if (saved && !values.some((entry) => entry.value === saved)) options.push({ label: savedDisplay ?? saved, value: saved });
  return options;
}
