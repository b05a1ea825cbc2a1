/**
 * The package's custom labels as the platform serves them: the English values from
 * force-app/main/default/labels/CustomLabels.labels-meta.xml, overlaid with a translation
 * (translations/<lang>.translation-meta.xml) when the preview runs in another language. As on the platform, a label
 * without a translation falls back to its English value.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { FORCE_APP } from './paths.js';

export type LabelSet = Record<string, string>;

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: false,
  isArray: (name) => name === 'labels' || name === 'customLabels',
});

const asText = (value: unknown): string => (typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value));

export function readLabels(forceApp = FORCE_APP): LabelSet {
  const xml = readFileSync(path.join(forceApp, 'labels', 'CustomLabels.labels-meta.xml'), 'utf8');
  const doc = parser.parse(xml) as { CustomLabels?: { labels?: Array<{ fullName?: unknown; value?: unknown }> } };
  const labels: LabelSet = {};
  for (const entry of doc.CustomLabels?.labels ?? []) {
    const name = asText(entry.fullName).trim();
    if (name) labels[name] = asText(entry.value);
  }
  return labels;
}

/** Languages with a translation file (`it`, `pt_BR`, ...). */
export function translationLanguages(forceApp = FORCE_APP): string[] {
  try {
    return readdirSync(path.join(forceApp, 'translations'))
      .filter((file) => file.endsWith('.translation-meta.xml'))
      .map((file) => file.replace(/\.translation-meta\.xml$/, ''))
      .sort();
  } catch {
    return [];
  }
}

export function readTranslation(lang: string, forceApp = FORCE_APP): LabelSet {
  if (!translationLanguages(forceApp).includes(lang)) throw new Error(`no translation for language "${lang}"`);
  const xml = readFileSync(path.join(forceApp, 'translations', `${lang}.translation-meta.xml`), 'utf8');
  const doc = parser.parse(xml) as { Translations?: { customLabels?: Array<{ name?: unknown; label?: unknown }> } };
  const labels: LabelSet = {};
  for (const entry of doc.Translations?.customLabels ?? []) {
    const name = asText(entry.name).trim();
    const label = asText(entry.label);
    if (name && label !== '') labels[name] = label;
  }
  return labels;
}

/** The labels a user with this language sees: English, overlaid with the translation when there is one. */
export function labelsFor(lang: string | undefined, forceApp = FORCE_APP): LabelSet {
  const english = readLabels(forceApp);
  if (!lang || lang === 'en' || lang === 'en_US') return english;
  return { ...english, ...readTranslation(lang, forceApp) };
}
