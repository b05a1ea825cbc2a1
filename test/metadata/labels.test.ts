/**
 * User-visible text: every string the Lightning Web Components show comes from a custom label, every label is
 * translated into each supported language, and the setup app, tab and page that carry the setup component are wired
 * together and translated too.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { FORCE_APP, listMetadata, readMetadata, type Xml } from './force-app.js';

const LANGUAGES = ['it', 'pt_BR', 'ru', 'sv'] as const;
/** Product names that stay in English in every language. */
const UNTRANSLATED = ['Partner Center', 'Microsoft'];
const LWC_DIR = path.join(FORCE_APP, 'lwc');

interface Label {
  fullName: string;
  categories?: string;
  language?: string;
  protected?: string;
  shortDescription?: string;
  value?: string;
}

/** `value` is parsed as a repeating element (picklist values share the name), so take its single entry. */
const single = (value: unknown): string | undefined => (Array.isArray(value) ? value[0] : value) as string | undefined;
const labels: Label[] = (readMetadata('labels/CustomLabels.labels-meta.xml').labels ?? []).map((label: Xml) => ({
  ...label,
  value: single(label.value),
}));
const labelNames = new Set(labels.map((label) => label.fullName));
const placeholders = (text: string): string[] => [...new Set(text.match(/\{\d+\}/g) ?? [])].sort();

/** Component files (not tests, not build output) of every bundle, by extension. */
function componentFiles(extension: string): string[] {
  const files: string[] = [];
  for (const bundle of readdirSync(LWC_DIR, { withFileTypes: true })) {
    if (!bundle.isDirectory()) continue;
    const dir = path.join(LWC_DIR, bundle.name);
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isFile() && entry.name.endsWith(extension) && !entry.name.endsWith('.d.ts')) files.push(path.join(dir, entry.name));
    }
  }
  return files.sort();
}

const relative = (file: string): string => path.relative(FORCE_APP, file);

/** `@salesforce/label/c.X` imports in the TypeScript sources, as [file, label name]. */
function labelImports(): Array<[string, string]> {
  return componentFiles('.ts').flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/['"]@salesforce\/label\/c\.([A-Za-z0-9_]+)['"]/g)].map(
      (match): [string, string] => [relative(file), match[1]]
    )
  );
}

/**
 * Text a template shows literally. Bindings (`{...}`) are dropped, as are comments and tags; what remains must be
 * punctuation or the check/cross marks, never words.
 */
function literalTemplateText(html: string): string[] {
  const withoutComments = html.replace(/<!--[\s\S]*?-->/g, ' ');
  const textOnly = withoutComments.replace(/<[^>]*>/g, '\n');
  return textOnly
    .split('\n')
    .map((chunk) => chunk.replace(/\{[^}]*\}/g, ' ').trim())
    .filter((chunk) => chunk !== '' && !/^[\s\p{P}✔✖]*$/u.test(chunk));
}

/** Attributes whose value a person sees or hears; in a template they must be bound to labels, not quoted text. */
const VISIBLE_ATTRIBUTES = /\s((?:label|alternative-text|title|placeholder|aria-label|field-level-help|message-[a-z-]+|friendly-message))="([^"]*)"/g;

function literalVisibleAttributes(html: string): string[] {
  const withoutComments = html.replace(/<!--[\s\S]*?-->/g, ' ');
  return [...withoutComments.matchAll(VISIBLE_ATTRIBUTES)]
    .filter((match) => match[2].trim() !== '')
    .map((match) => `${match[1]}="${match[2]}"`);
}

describe('custom labels', () => {
  test('the package defines labels', () => {
    assert.ok(labels.length > 0, 'labels/CustomLabels.labels-meta.xml has no labels');
  });

  test('every label is complete: category, short description (at most 80 characters), English value', () => {
    for (const label of labels) {
      assert.match(label.fullName, /^PC_[A-Za-z0-9_]+$/, `label name ${label.fullName}`);
      assert.ok(label.categories?.trim(), `${label.fullName} has no category`);
      assert.ok(label.shortDescription?.trim(), `${label.fullName} has no short description`);
      assert.ok(label.shortDescription!.length <= 80, `${label.fullName}: short description longer than 80 characters`);
      assert.ok(label.value?.trim(), `${label.fullName} has no value`);
      assert.ok(label.value!.length <= 1000, `${label.fullName}: value longer than 1000 characters`);
      assert.equal(label.language, 'en_US', `${label.fullName} language`);
      assert.equal(label.protected, 'false', `${label.fullName} must not be protected (subscribers translate it)`);
    }
  });

  test('label names are unique', () => {
    assert.equal(labelNames.size, labels.length);
  });

  test('every label imported by a component exists', () => {
    const imports = labelImports();
    assert.ok(imports.length > 0, 'no @salesforce/label imports found in the components');
    const unknown = imports.filter(([, name]) => !labelNames.has(name)).map(([file, name]) => `${file}: c.${name}`);
    assert.deepEqual(unknown, [], 'components import labels that CustomLabels does not define');
  });

  test('every label is used by a component', () => {
    const used = new Set(labelImports().map(([, name]) => name));
    assert.deepEqual(
      labels.map((label) => label.fullName).filter((name) => !used.has(name)),
      [],
      'labels no component imports'
    );
  });
});

describe('translations', () => {
  test('exactly the supported languages have translation files', () => {
    assert.deepEqual(
      listMetadata('translations', '.translation-meta.xml'),
      LANGUAGES.map((language) => `${language}.translation-meta.xml`).sort()
    );
  });

  for (const language of LANGUAGES) {
    describe(language, () => {
      const file: Xml = readMetadata(`translations/${language}.translation-meta.xml`);
      const translations = new Map<string, string>(
        (file.customLabels ?? []).map((entry: { name: string; label?: string }) => [entry.name, entry.label ?? ''])
      );

      test('translates every label, and only existing labels', () => {
        assert.deepEqual([...translations.keys()].sort(), [...labelNames].sort());
      });

      test('no translation is empty', () => {
        const empty = [...translations].filter(([, text]) => text.trim() === '').map(([name]) => name);
        assert.deepEqual(empty, []);
      });

      test('translations keep the placeholders of the English value', () => {
        for (const label of labels) {
          const translated = translations.get(label.fullName) ?? '';
          assert.deepEqual(placeholders(translated), placeholders(label.value ?? ''), `${language} ${label.fullName}`);
        }
      });

      test('"Partner Center" and "Microsoft" stay untranslated', () => {
        for (const label of labels) {
          const translated = translations.get(label.fullName) ?? '';
          for (const name of UNTRANSLATED) {
            if (label.value?.includes(name)) {
              assert.ok(translated.includes(name), `${language} ${label.fullName} lost "${name}": ${translated}`);
            }
          }
        }
      });

      test('sentences are translated, not copied from English', () => {
        const copied = labels
          .filter((label) => (label.value ?? '').split(/\s+/).length >= 4)
          .filter((label) => translations.get(label.fullName) === label.value)
          .map((label) => label.fullName);
        assert.deepEqual(copied, []);
      });

      test('translates the app and the setup tab', () => {
        const app = (file.customApplications ?? []).find((entry: Xml) => entry.name === 'Partner_Center_CoSell');
        const tab = (file.customTabs ?? []).find((entry: Xml) => entry.name === 'Partner_Center_Setup');
        assert.ok(app?.label?.trim(), `${language}: no label for the Partner_Center_CoSell app`);
        assert.ok(tab?.label?.trim(), `${language}: no label for the Partner_Center_Setup tab`);
      });
    });
  }
});

describe('templates show no hard-coded text', () => {
  const templates = componentFiles('.html');

  test('there are templates to check', () => {
    assert.ok(templates.length > 0);
  });

  test('the checks catch literal text', () => {
    assert.deepEqual(literalTemplateText('<template><p>Sync failed</p><p>{labels.x}</p><p>✔ · :</p></template>'), [
      'Sync failed',
    ]);
    assert.deepEqual(literalVisibleAttributes('<lightning-icon alternative-text="Error" title={t}></lightning-icon>'), [
      'alternative-text="Error"',
    ]);
  });

  for (const file of templates) {
    test(relative(file), () => {
      const html = readFileSync(file, 'utf8');
      assert.deepEqual(literalTemplateText(html), [], 'text outside {bindings}: use a custom label');
      assert.deepEqual(literalVisibleAttributes(html), [], 'visible attributes with literal text: bind a custom label');
    });
  }
});

describe('Partner Center Co-Sell app', () => {
  test('the app is a Lightning app with the setup page, the sync log and the solution catalog', () => {
    const app = readMetadata('applications/Partner_Center_CoSell.app-meta.xml');
    assert.equal(app.label, 'Partner Center Co-Sell');
    assert.equal(app.uiType, 'Lightning');
    assert.equal(app.navType, 'Standard');
    assert.deepEqual(app.tabs, ['Partner_Center_Setup', 'Partner_Center_Sync_Log__c', 'Microsoft_Solution_Detail__c']);
  });

  test('every tab the app lists exists', () => {
    const app = readMetadata('applications/Partner_Center_CoSell.app-meta.xml');
    const tabs = new Set(listMetadata('tabs', '.tab-meta.xml').map((name) => name.replace('.tab-meta.xml', '')));
    for (const tab of app.tabs as string[]) assert.ok(tabs.has(tab), `tabs/${tab}.tab-meta.xml is missing`);
  });

  test('the setup tab opens the setup app page, which shows the setup component', () => {
    const tab = readMetadata('tabs/Partner_Center_Setup.tab-meta.xml');
    assert.equal(tab.flexiPage, 'Partner_Center_Setup');
    const page = readMetadata('flexipages/Partner_Center_Setup.flexipage-meta.xml');
    assert.equal(page.type, 'AppPage');
    const components = (page.flexiPageRegions as Xml[]).flatMap((region) =>
      (region.itemInstances ?? []).map((item: Xml) => item.componentInstance?.componentName)
    );
    assert.deepEqual(components, ['partnerCenterSetup']);
    const meta = readFileSync(path.join(LWC_DIR, 'partnerCenterSetup', 'partnerCenterSetup.js-meta.xml'), 'utf8');
    assert.match(meta, /<target>lightning__AppPage<\/target>/);
    assert.match(meta, /<isExposed>true<\/isExposed>/);
  });
});
