/**
 * docs/ADMIN.md's troubleshooting table must cover every error the product can show, and the guide may name only
 * npm scripts and cosell commands that exist. The errors are taken from the code itself: exported tables where the
 * modules have them (Partner Center error classes and sign-in fixes, Salesforce error codes and fixes), the real
 * sync failure codes those errors turn into, custom labels and validation rules from the package metadata, and,
 * for messages written inline, the syntax tree of the modules that produce them (test/docs/message-templates.ts).
 * A new error kind, code or message without a row in the table fails this test.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { registeredCommands } from '../../connector/cli/index.js';
import { InputError } from '../../connector/engine/field-errors.js';
import { FAILURE_REASON_CODES } from '../../connector/engine/failure-reasons.js';
import { SettingsError } from '../../connector/engine/org-settings.js';
import * as partnerCenterErrors from '../../connector/partner-center/errors.js';
import { SalesforceAuthError } from '../../connector/salesforce/auth.js';
import { CONFIGURATION, FIXES as SALESFORCE_FIXES, TRANSIENT } from '../../connector/salesforce/errors.js';
import { fieldErrorsFailure, toSyncFailure } from '../../connector/sync/failures.js';
import { FORCE_APP, ROOT } from '../../scripts/lib/paths.js';
import { listMetadata, readMetadata } from '../metadata/force-app.js';
import { constObject, messageTemplates, quotableChunks, unionMembers, type MessageTemplate, type Part, type Picker } from './message-templates.js';

const { AuthorizationError, PartnerCenterError, RetryableError, FIXES: SIGN_IN_FIXES } = partnerCenterErrors;

const guide = readFileSync(path.join(ROOT, 'docs/ADMIN.md'), 'utf8');
const troubleshootingStart = guide.search(/^## \d+\. Troubleshooting$/m);
const troubleshooting = troubleshootingStart >= 0 ? guide.slice(troubleshootingStart) : '';
/** The table rows of the troubleshooting section, with Markdown's `\|` turned back into `|`. */
const rows = troubleshooting
  .split('\n')
  .filter((line) => line.startsWith('|'))
  .map((line) => line.replaceAll('\\|', '|'));

/** The row that quotes all of `chunks`, in order, if any. */
function rowQuoting(chunks: readonly string[]): string | undefined {
  return rows.find((row) => {
    let at = 0;
    for (const chunk of chunks) {
      const found = row.indexOf(chunk, at);
      if (found < 0) return false;
      at = found + chunk.length;
    }
    return true;
  });
}

const documentsCode = (code: string) => troubleshooting.includes(`\`${code}\``);
const show = (parts: readonly Part[]) => parts.map((p) => (p === null ? '<…>' : p)).join('');

const tsFiles = (dir: string) =>
  readdirSync(path.join(ROOT, dir))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => `${dir}/${f}`);

type ErrorClass = new (message: string, options?: { status?: number }) => Error;
const partnerCenterClasses = Object.entries(partnerCenterErrors as Record<string, unknown>).filter(
  (entry): entry is [string, ErrorClass] => typeof entry[1] === 'function' && (entry[1] as ErrorClass).prototype instanceof PartnerCenterError,
);

interface MessageSource {
  what: string;
  files: string[];
  pickers: Picker[];
  /** Shortest fixed text worth quoting; shorter pieces (": ", " (") identify nothing. */
  min?: number;
}

const SOURCES: MessageSource[] = [
  {
    what: "the engine's checks on a deal",
    files: tsFiles('connector/engine'),
    pickers: [
      { kind: 'object', requires: ['field', 'message'], property: 'message' },
      { kind: 'call', callee: 'stageError', arg: 1 },
    ],
  },
  { what: 'referrals the engine skips', files: ['connector/engine/inbound.ts'], pickers: [{ kind: 'call', callee: 'skip', arg: 0 }] },
  {
    what: 'sync failures, retries and dead letters',
    files: tsFiles('connector/sync'),
    pickers: [
      { kind: 'new', classes: ['SyncFailure'], arg: 1 },
      { kind: 'object', requires: ['message', 'code'], property: 'message' },
      { kind: 'returns', fn: 'PARK_HINT' },
      { kind: 'call', callee: 'release', arg: 2 },
    ],
  },
  {
    what: 'Partner Center and Entra ID errors',
    // (The emulator's token provider lives in sandbox/stack: it never runs against a real tenant.)
    files: tsFiles('connector/partner-center'),
    pickers: [{ kind: 'new', classes: [...partnerCenterClasses.map(([name]) => name), 'SignInError'], arg: 0 }],
  },
  {
    what: 'Salesforce errors',
    files: tsFiles('connector/salesforce'),
    pickers: [
      { kind: 'new', classes: ['SalesforceAuthError'], arg: 0 },
      { kind: 'new', classes: ['SalesforceWriteError'], arg: 1 },
    ],
  },
  {
    what: 'answers to sync requests and webhooks',
    files: tsFiles('connector/http'),
    pickers: [
      { kind: 'new', classes: ['HttpError'], arg: 2 },
      { kind: 'call', callee: 'errorBody', arg: 1 },
    ],
  },
  {
    what: 'connector start-up',
    files: ['connector/config/load.ts', 'connector/service.ts'],
    pickers: [
      { kind: 'new', classes: ['ConfigError', 'StartupError'], arg: 0 },
      { kind: 'call', callee: 'problems.push', arg: 0 },
      { kind: 'object', requires: ['path', 'message'], property: 'message' },
      { kind: 'returns', fn: 'describeAjvError' },
    ],
  },
  {
    what: 'settings problems',
    files: ['connector/engine/org-settings.ts'],
    pickers: [
      { kind: 'new', classes: ['SettingsError'], arg: 0 },
      { kind: 'call', callee: 'problems.push', arg: 0 },
      { kind: 'returns', fn: 'problemText' },
    ],
  },
  {
    what: 'connector log warnings and errors',
    files: [...tsFiles('connector/http'), ...tsFiles('connector/sync'), 'connector/service.ts'],
    pickers: ['fatal', 'error', 'warn'].map((level): Picker => ({ kind: 'call', callee: level, arg: 1 })),
    min: 8,
  },
  {
    what: 'the cosell command line',
    files: [...tsFiles('connector/cli'), ...tsFiles('connector/cli/commands')],
    pickers: [
      { kind: 'new', classes: ['UsageError'], arg: 0 },
      { kind: 'call', callee: 'stderr', arg: 0 },
    ],
  },
  {
    what: 'npm scripts an admin runs',
    files: ['scripts/release/install-url.ts', 'scripts/org/args.ts', 'scripts/org/deploy.ts', 'scripts/org/check.ts'],
    pickers: [{ kind: 'new', classes: ['UsageError'], arg: 0 }],
  },
  {
    what: 'sf failures in the org scripts',
    files: ['scripts/org/sf-errors.ts', 'scripts/org/preflight.ts'],
    pickers: [
      { kind: 'returns', fn: 'describeSfFailure' },
      { kind: 'object', requires: ['ok', 'message'], property: 'message' },
    ],
  },
];

/** Output that is not an error: help text and progress lines the commands print. */
const NOT_ERRORS = [/^Usage: cosell /, /^Sandbox connector on /, /^queued /];

function templatesOf(source: MessageSource): MessageTemplate[] {
  return source.files.flatMap((file) => source.pickers.flatMap((picker) => messageTemplates(file, picker)));
}

describe('the admin guide', () => {
  it('has a troubleshooting section with well-formed tables', () => {
    assert.ok(troubleshootingStart >= 0, 'docs/ADMIN.md has a "## <n>. Troubleshooting" section');
    assert.ok(rows.length >= 100, `the troubleshooting tables have rows (found ${rows.length})`);
    // An unescaped | inside a quoted message would split its row into extra cells.
    let width = 0;
    let previous = '';
    for (const [index, line] of guide.split('\n').entries()) {
      if (!line.startsWith('|')) {
        previous = line;
        continue;
      }
      const cells = line.replaceAll('\\|', '').split('|').length;
      if (!previous.startsWith('|')) width = cells;
      assert.equal(cells, width, `docs/ADMIN.md line ${index + 1} has as many cells as its table's header: ${line.slice(0, 120)}`);
      previous = line;
    }
  });

  for (const source of SOURCES) {
    it(`quotes every message of ${source.what}`, () => {
      const templates = templatesOf(source);
      assert.ok(templates.length > 0, `the extraction finds messages of ${source.what} in ${source.files.join(', ')}`);
      const missing = templates
        .filter((t) => !NOT_ERRORS.some((re) => re.test(show(t.parts))))
        .filter((t) => {
          const chunks = quotableChunks(t.parts, source.min);
          return chunks.length > 0 && !rowQuoting(chunks);
        })
        .map((t) => `${t.where}: ${show(t.parts)}`);
      assert.deepEqual(missing, [], `docs/ADMIN.md's troubleshooting table quotes each message, with its cause and fix`);
    });
  }

  it('names every Partner Center error kind and the code each becomes', () => {
    assert.ok(partnerCenterClasses.length >= 5, 'the Partner Center error classes are found');
    const missingClasses = partnerCenterClasses.map(([name]) => name).filter((name) => !documentsCode(name));
    assert.deepEqual(missingClasses, [], 'each Partner Center error class is named in the table');

    const reasons = Object.keys(SIGN_IN_FIXES) as (keyof typeof SIGN_IN_FIXES)[];
    const samples: Error[] = [
      // AuthorizationError needs a reason: one sample per reason below.
      ...partnerCenterClasses.filter(([, cls]) => (cls as unknown) !== AuthorizationError).map(([, cls]) => new cls('sample')),
      new RetryableError('sample', { status: 429 }),
      new RetryableError('sample', { status: 503 }),
      ...reasons.map((reason) => new AuthorizationError('sample', reason)),
    ];
    const codes = samples.map((error) => toSyncFailure(error, 'test').code ?? `<none for ${error.name}>`);
    assert.deepEqual(codes.filter((code) => !documentsCode(code)), [], 'each sync failure code of a Partner Center error is in the table');
    const fixes = Object.entries(SIGN_IN_FIXES).filter(([, fix]) => !rowQuoting([fix]));
    assert.deepEqual(fixes, [], 'each sign-in fix is quoted');
  });

  it('names every failure reason code the card explains', () => {
    const missing = FAILURE_REASON_CODES.filter((code) => !documentsCode(code));
    assert.deepEqual(missing, [], 'each reason code is in the troubleshooting section');
  });

  it('names every sync failure code', () => {
    const samples = [
      toSyncFailure(new SalesforceAuthError('sample'), 'test'),
      toSyncFailure(new SettingsError(['sample']), 'test'),
      toSyncFailure(new InputError('sample'), 'test'),
      toSyncFailure(new Error('sample'), 'test'),
      fieldErrorsFailure([{ field: 'Opportunity.Name', message: 'sample', reason: { code: 'NAME_MISSING', field: 'Opportunity.Name' } }]),
    ].map((failure) => failure.code ?? '<none>');
    // Codes written inline where a failure is built (e.g. OPPORTUNITY_DELETED).
    const literal = tsFiles('connector/sync')
      .flatMap((file) => messageTemplates(file, { kind: 'object', requires: ['code'], property: 'code' }))
      .flatMap((t) => (t.parts.length === 1 && typeof t.parts[0] === 'string' && /^[A-Z][A-Z0-9_]+$/.test(t.parts[0]) ? [t.parts[0]] : []));
    assert.ok(literal.includes('OPPORTUNITY_DELETED'), 'inline codes are found');
    const missing = [...new Set([...samples, ...literal])].filter((code) => !documentsCode(code));
    assert.deepEqual(missing, [], 'each sync failure code is in the table');
  });

  it('names every Salesforce error code the connector classifies, with its fix', () => {
    const codes = [...TRANSIENT, ...CONFIGURATION, ...Object.keys(SALESFORCE_FIXES)];
    const inline = messageTemplates('connector/salesforce/errors.ts', { kind: 'object', requires: ['statusCode'], property: 'statusCode' })
      .flatMap((t) => (t.parts.length === 1 && typeof t.parts[0] === 'string' ? [t.parts[0]] : []));
    assert.ok(inline.length > 0, 'the codes the connector assigns itself are found');
    assert.deepEqual([...new Set([...codes, ...inline])].filter((code) => !documentsCode(code)), [], 'each Salesforce code is in the table');
    assert.deepEqual(Object.entries(SALESFORCE_FIXES).filter(([code, fix]) => !rowQuoting([`[${code}]`, fix])), [], 'each code is quoted with its fix');
  });

  it('names every Salesforce login failure with its fix', () => {
    const entries = constObject('connector/salesforce/auth.ts', 'fix');
    assert.ok(entries.length >= 3, 'the login fixes are found');
    for (const { key, values } of entries) {
      assert.ok(documentsCode(key), `the login failure ${key} is in the table`);
      for (const value of values) {
        const chunks = quotableChunks(value);
        assert.ok(rowQuoting([key, ...chunks]), `the fix for ${key} is quoted: ${show(value)}`);
      }
    }
  });

  it('names every HTTP error the connector answers with, and every webhook signature failure', () => {
    const files = tsFiles('connector/http');
    const fromCode = files.flatMap((file) => [
      ...messageTemplates(file, { kind: 'new', classes: ['HttpError'], arg: 1 }),
      ...messageTemplates(file, { kind: 'call', callee: 'errorBody', arg: 0 }),
    ]);
    const table = constObject('connector/http/errors.ts', 'FASTIFY_ERRORS').flatMap((entry) => entry.values.map((parts) => ({ where: entry.key, parts })));
    const texts = [...fromCode, ...table].flatMap((t) => (t.parts.length === 1 && typeof t.parts[0] === 'string' ? [t.parts[0]] : []));
    const codes = [...new Set(texts.filter((text) => /^[a-z]+(?:_[a-z]+)+$/.test(text)))];
    assert.ok(codes.includes('invalid_request') && codes.includes('payload_too_large'), 'the HTTP error codes are found');
    assert.deepEqual(codes.filter((code) => !documentsCode(code)), [], 'each HTTP error code is in the table');
    const messages = texts.filter((text) => text.includes(' '));
    assert.deepEqual(messages.filter((message) => !rowQuoting([message])), [], 'each fixed HTTP error message is quoted');

    const reasons = unionMembers('connector/partner-center/webhook-signature.ts', 'VerificationFailure');
    assert.ok(reasons.length >= 10, 'the webhook verification failures are found');
    assert.deepEqual(reasons.filter((reason) => !documentsCode(reason)), [], 'each webhook verification failure is in the table');
  });

  it('quotes every error message of the components (custom labels named as errors)', () => {
    // `value` repeats in other metadata types, so the shared reader always gives an array.
    const labels = readMetadata('labels/CustomLabels.labels-meta.xml').labels as { fullName: string; value: string | string[] }[];
    const ERROR_NAME = /(?:^|_)(?:Err|Error|Errors|Failed|Invalid|Required|Duplicate|Unavailable|Unknown|Blocked|Stale|Never|No_Account|Read_Only)(?:_|$)/;
    // Named like errors but not messages: icon alternative texts, headings, a format string and the all-clear.
    const NOT_MESSAGES = new Set([
      'PC_Card_Icon_Error',
      'PC_Common_Error_Icon',
      'PC_Card_Read_Only_Icon',
      'PC_Card_Last_Error',
      'PC_Setup_Section_Errors',
      'PC_Setup_Error_Item',
      'PC_Setup_Errors_Empty',
    ]);
    // `PC_Failed_` names the failed-syncs list (a feature, not an error): only the rest of such a name counts.
    const errors = labels.filter((l) => ERROR_NAME.test(l.fullName.replace(/^PC_Failed_/, 'PC_')) && !NOT_MESSAGES.has(l.fullName));
    assert.ok(errors.length >= 20, `error labels are found (${errors.length})`);
    const missing = errors
      .filter((label) => {
        const parts: Part[] = String([label.value].flat()[0]).split(/(\{\d+\})/).map((piece) => (/^\{\d+\}$/.test(piece) ? null : piece));
        return !rowQuoting(quotableChunks(parts, 1));
      })
      .map((label) => `${label.fullName}: ${label.value}`);
    assert.deepEqual(missing, [], 'each error label is quoted in the table');
  });

  it("quotes every validation rule's message", () => {
    const objects = readdirSync(path.join(FORCE_APP, 'objects'));
    const messages = objects.flatMap((object) =>
      listMetadata(`objects/${object}/validationRules`, '.validationRule-meta.xml').map((file) => {
        const rule = readMetadata(`objects/${object}/validationRules/${file}`);
        return { name: `${object}.${String(rule.fullName ?? file)}`, message: String(rule.errorMessage) };
      }),
    );
    assert.ok(messages.length >= 3, 'the validation rules are found');
    assert.deepEqual(messages.filter((m) => !rowQuoting([m.message])), [], 'each validation rule message is quoted');
  });

  it("covers every problem in Microsoft's co-sell connector FAQ", () => {
    const faq = [
      'Customer account country code is missing',
      'Solution ID is required',
      'customer contact information is required',
      'provide revenue and closing date',
      'referral currency field is configured',
      'username or password has expired',
      'access denied errors',
      'make a minor update',
      'Wait 10 minutes',
      "aren't synchronized to CRM",
    ];
    assert.deepEqual(faq.filter((words) => !rowQuoting([words])), [], "each FAQ problem has a row, in Microsoft's words");
  });

  it('names only npm scripts and cosell commands that exist', () => {
    const scripts = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    const commands = new Map(registeredCommands().map((c) => [c.name, c]));
    // Commands appear in code: fenced blocks and `inline code`.
    // `docker exec -it cosell …` names the container, not the command.
    const code = [...guide.matchAll(/```[a-z]*\n([\s\S]*?)```/g), ...guide.matchAll(/(``?)(?!`)(.+?)\1(?!`)/g)].map((m) =>
      m[m.length - 1].replace(/\bdocker \w+(?: -[\w-]+)* cosell\b/g, 'docker'),
    );
    const npmScripts = code.flatMap((text) => [...text.matchAll(/\bnpm run ([a-z][\w:-]*)/g), ...text.matchAll(/\bnpm (start|test)\b/g)].map((m) => m[1]));
    const cosell = code.flatMap((text) =>
      [...text.matchAll(/(?:^|[\s(])(?:cosell|cli\/index\.js) ([a-z][a-z-]*)(?: ([a-z][a-z-]*))?/gm)].map((m) => ({ name: m[1], sub: m[2] })),
    );
    assert.ok(npmScripts.length >= 5 && cosell.length >= 10, 'the guide shows npm scripts and cosell commands');
    for (const name of new Set(npmScripts)) assert.ok(name in scripts, `npm script "${name}" exists in package.json`);
    for (const { name, sub } of cosell) {
      const command = commands.get(name);
      assert.ok(command, `cosell ${name} is a command`);
      if (sub) assert.match(command.help, new RegExp(`\\b${sub}\\b`), `cosell ${name} ${sub}: "${sub}" is part of the command`);
    }
  });
});
