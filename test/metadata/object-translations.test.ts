/**
 * Object translations for the package's four non-English languages. Source format (decomposed):
 * objectTranslations/<Object>-<lang>/<Object>-<lang>.objectTranslation-meta.xml holds the object's own words
 * (name forms, gender, name field, validation messages) and <Field>.fieldTranslation-meta.xml one field each.
 *
 * What is checked: every field of ours has a label (and help, picklist values, relationship label wherever the
 * English has one) in every language; nothing is left in English except product names; each language carries the
 * grammatical forms the Metadata API expects for it; nothing translates a field, value or rule that does not exist.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isTrue, listMetadata, readMetadata, type Xml } from './force-app.js';

const LANGUAGES = ['it', 'pt_BR', 'ru', 'sv'] as const;
type Language = (typeof LANGUAGES)[number];

/** Opportunity is standard: only the fields (and validation rules) this package adds are translated. */
const OBJECTS = [
  'Opportunity',
  'Microsoft_Solution__c',
  'Microsoft_Solution_Detail__c',
  'Partner_Center_Settings__c',
  'Partner_Center_Sync_Log__c',
] as const;

/** Kept in English in every language, as Microsoft and Salesforce localise them. */
const PRODUCT_NAMES = ['Partner Center', 'Microsoft', 'Salesforce'];

/**
 * Grammatical forms each language takes (Metadata API appendix "CustomObjectTranslation Language Support: Fully
 * Supported Languages"): the combinations of article/caseType/plural every custom object must spell out, the
 * genders the language accepts, and whether it needs startsWith.
 */
const GRAMMAR: Record<Language, { forms: string[]; genders: string[]; startsWith?: string[] }> = {
  it: { forms: ['plural=false', 'plural=true'], genders: ['Masculine', 'Feminine'], startsWith: ['Consonant', 'Vowel', 'Special'] },
  pt_BR: { forms: ['plural=false', 'plural=true'], genders: ['Masculine', 'Feminine'] },
  ru: {
    forms: ['Nominative', 'Genitive', 'Dative', 'Accusative', 'Instrumental', 'Prepositional'].flatMap((c) => [
      `caseType=${c} plural=false`,
      `caseType=${c} plural=true`,
    ]),
    genders: ['Masculine', 'Feminine', 'Neuter', 'AnimateMasculine'],
  },
  sv: {
    forms: ['None', 'Indefinite', 'Definite'].flatMap((a) => [`article=${a} plural=false`, `article=${a} plural=true`]),
    genders: ['Feminine', 'Neuter'],
  },
};

/** Our custom fields as the data model fixes them, for when objects/<Object>/fields is not there to read. */
const FIXED_FIELDS: Record<(typeof OBJECTS)[number], string[]> = {
  Opportunity: [
    'Sync_With_Partner_Center__c', 'Referral_Id__c', 'Referral_Link__c', 'Microsoft_Help__c',
    'Visible_To_Microsoft_Sellers__c', 'Microsoft_CRM_Id__c', 'Partner_Center_Status__c',
    'Partner_Center_Sync_Status__c', 'Partner_Center_Last_Sync__c', 'Partner_Center_Audit__c',
  ],
  Microsoft_Solution__c: ['Opportunity__c', 'Solution_Id__c', 'Solution_Name__c', 'Publisher_Name__c', 'Solution_Detail__c'],
  Microsoft_Solution_Detail__c: ['Solution_Id__c', 'Publisher_Name__c', 'Solution_Type__c', 'Active__c', 'Description__c'],
  Partner_Center_Settings__c: [
    'Active__c', 'Display_Check_Mark__c', 'Active_Stage_Name__c', 'On_Hold_Stage_Name__c', 'Won_Stage_Name__c',
    'Lost_Stage_Name__c', 'Country_Code_Field__c', 'Deal_Value_Field__c', 'Currency_Field__c', 'Sync_Co_Sell_Only__c',
  ],
  Partner_Center_Sync_Log__c: [
    'Direction__c', 'Opportunity__c', 'Referral_Id__c', 'Outcome__c', 'Message__c', 'Request_Id__c', 'Reason_Code__c', 'Failure_Reason__c', 'Failure_Parameters__c', 'Occurred_At__c',
    'Operation__c',
  ],
};

type FieldSource = { name: string; english?: Xml };

/** Our fields of an object: the English field files when present (so English labels can be compared), else the fixed list. */
function fieldsOf(object: (typeof OBJECTS)[number]): FieldSource[] {
  const dir = `objects/${object}/fields`;
  const files = listMetadata(dir, '.field-meta.xml');
  if (files.length === 0) return FIXED_FIELDS[object].map((name) => ({ name }));
  return files.map((f) => ({ name: f.replace(/\.field-meta\.xml$/, ''), english: readMetadata(`${dir}/${f}`) }));
}

const folder = (object: string, lang: Language) => `objectTranslations/${object}-${lang}`;
const readObjectTranslation = (object: string, lang: Language) =>
  readMetadata(`${folder(object, lang)}/${object}-${lang}.objectTranslation-meta.xml`);
const readFieldTranslation = (object: string, lang: Language, field: string) =>
  readMetadata(`${folder(object, lang)}/${field}.fieldTranslation-meta.xml`);

/** Picklist values of an English field as fullName → label. */
function picklistValues(english: Xml): Map<string, string> {
  const values = english.valueSet?.valueSetDefinition?.value ?? [];
  return new Map(values.map((v: Xml) => [v.fullName, v.label ?? v.fullName]));
}

/** A translation must not simply repeat the English, unless the English is nothing but product names. */
function assertTranslated(translated: unknown, english: string | undefined, where: string): void {
  assert.ok(typeof translated === 'string' && translated.trim().length > 0, `${where}: missing`);
  if (english === undefined) return;
  const onlyProductNames = PRODUCT_NAMES.reduce((s, p) => s.replaceAll(p, ''), english).trim() === '';
  if (!onlyProductNames) assert.notEqual(translated.trim(), english.trim(), `${where}: still English ("${english}")`);
  for (const product of PRODUCT_NAMES) {
    if (english.includes(product)) assert.ok(translated.includes(product), `${where}: "${product}" must stay untranslated`);
  }
}

/** The shared parser treats every <value> element as repeating (picklist values); a case value holds exactly one. */
function text(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  assert.equal(value.length, 1, `expected one value, got ${value.length}`);
  return value[0];
}

/** Translations are held to the English limits: a longer one is rejected on deploy. */
const LIMITS = { label: 40, help: 510, relationshipLabel: 80, picklistValue: 255, objectName: 40, nameFieldLabel: 80, errorMessage: 255 };

function assertFits(value: unknown, max: number, where: string): void {
  if (typeof value === 'string') assert.ok(value.length <= max, `${where}: ${value.length} characters, limit ${max} ("${value}")`);
}

const formKey = (cv: Xml): string =>
  [cv.article && `article=${cv.article}`, cv.caseType && `caseType=${cv.caseType}`, `plural=${cv.plural}`]
    .filter(Boolean)
    .join(' ');

describe('object translations', () => {
  test('exactly one folder per object and language, nothing else', () => {
    const folders = listMetadata('objectTranslations').length; // files directly in the folder: none expected
    assert.equal(folders, 0, 'objectTranslations/ holds only <Object>-<lang>/ folders in source format');
    for (const object of OBJECTS) {
      for (const lang of LANGUAGES) {
        const files = listMetadata(folder(object, lang));
        assert.ok(files.includes(`${object}-${lang}.objectTranslation-meta.xml`), `${object}-${lang}: top-level file`);
      }
    }
  });

  for (const object of OBJECTS) {
    const fields = fieldsOf(object);
    const englishObject = object === 'Opportunity' ? undefined : readMetadataIfPresent(`objects/${object}/${object}.object-meta.xml`);

    for (const lang of LANGUAGES) {
      describe(`${object} in ${lang}`, () => {
        test('every field of ours has a translated label, help, picklist values and relationship label', () => {
          for (const { name, english } of fields) {
            const t = readFieldTranslation(object, lang, name);
            const where = `${object}.${name} (${lang})`;
            assert.equal(t.name, name, `${where}: <name> must match the file`);
            assertTranslated(t.label, english?.label, `${where} label`);
            assertFits(t.label, LIMITS.label, `${where} label`);
            assertFits(t.help, LIMITS.help, `${where} help`);
            assertFits(t.relationshipLabel, LIMITS.relationshipLabel, `${where} relationship label`);
            for (const p of t.picklistValues ?? []) assertFits(p.translation, LIMITS.picklistValue, `${where} value ${p.masterLabel}`);
            if (!english) continue;
            if (english.inlineHelpText) assertTranslated(t.help, english.inlineHelpText, `${where} help`);
            else assert.equal(t.help, undefined, `${where}: help translated but the field has none`);
            if (english.relationshipLabel) assertTranslated(t.relationshipLabel, english.relationshipLabel, `${where} relationship label`);

            const values = picklistValues(english);
            const translated = new Map<string, string>((t.picklistValues ?? []).map((p: Xml) => [p.masterLabel, p.translation]));
            // masterLabel names the value by its API name (fullName), which for Microsoft_Help__c differs from its label.
            assert.deepEqual([...translated.keys()].sort(), [...values.keys()].sort(), `${where}: picklist values`);
            for (const [api, label] of values) assertTranslated(translated.get(api), label, `${where} value ${api}`);
          }
        });

        test('translates no field that does not exist', () => {
          const ours = new Set(fields.map((f) => f.name));
          for (const file of listMetadata(folder(object, lang), '.fieldTranslation-meta.xml')) {
            const name = file.replace(/\.fieldTranslation-meta\.xml$/, '');
            assert.ok(ours.has(name), `${object}-${lang}: ${name} is not a field of ours`);
          }
        });

        const top = readObjectTranslation(object, lang);

        if (object === 'Opportunity') {
          test('leaves the standard object\'s own name alone', () => {
            for (const key of ['caseValues', 'gender', 'startsWith', 'nameFieldLabel']) {
              assert.equal(top[key], undefined, `Opportunity-${lang} must not rename Opportunity (${key})`);
            }
          });

          test('translates every validation rule message of ours, and only those', () => {
            const rules = listMetadata('objects/Opportunity/validationRules', '.validationRule-meta.xml').map((f) =>
              readMetadata(`objects/Opportunity/validationRules/${f}`),
            );
            const translated = new Map<string, string>((top.validationRules ?? []).map((v: Xml) => [v.name, v.errorMessage]));
            assert.deepEqual([...translated.keys()].sort(), rules.map((r) => r.fullName).sort());
            for (const rule of rules) {
              assertTranslated(translated.get(rule.fullName), rule.errorMessage, `${rule.fullName} (${lang})`);
              assertFits(translated.get(rule.fullName), LIMITS.errorMessage, `${rule.fullName} (${lang})`);
            }
          });
          return;
        }

        test('names the object in every grammatical form the language needs', () => {
          const grammar = GRAMMAR[lang];
          const forms = (top.caseValues ?? []).map(formKey);
          assert.deepEqual([...forms].sort(), [...grammar.forms].sort(), `${object}-${lang}: forms`);
          assert.ok(grammar.genders.includes(top.gender), `${object}-${lang}: gender ${top.gender}`);
          if (grammar.startsWith) assert.ok(grammar.startsWith.includes(top.startsWith), `${object}-${lang}: startsWith`);
          else assert.equal(top.startsWith, undefined, `${object}-${lang}: ${lang} takes no startsWith`);
          for (const cv of top.caseValues ?? []) {
            const english = isTrue(cv.plural) ? englishObject?.pluralLabel : englishObject?.label;
            assertTranslated(text(cv.value), english, `${object}-${lang} ${formKey(cv)}`);
            assertFits(text(cv.value), LIMITS.objectName, `${object}-${lang} ${formKey(cv)}`);
          }
        });

        test('translates the name field label', () => {
          assertTranslated(top.nameFieldLabel, englishObject?.nameField?.label, `${object}-${lang} name field`);
          assertFits(top.nameFieldLabel, LIMITS.nameFieldLabel, `${object}-${lang} name field`);
        });
      });
    }
  }
});

function readMetadataIfPresent(relativePath: string): Xml | undefined {
  try {
    return readMetadata(relativePath);
  } catch {
    return undefined;
  }
}
