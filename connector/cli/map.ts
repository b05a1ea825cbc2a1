/**
 * `cosell map`: the sync engine as a dry run. Admins use it to see what a sync would send or write; tests use it
 * as a stable contract. It reads JSON files and prints JSON; nothing is sent anywhere.
 */
import { parseArgs } from 'node:util';
import type { Referral } from '../model/referral.js';
import { InputError } from '../engine/field-errors.js';
import type { SyncBaseline } from '../engine/fingerprint.js';
import { mapInbound, type InboundExisting } from '../engine/inbound.js';
import { mapOutbound } from '../engine/outbound.js';
import type { OpportunityRecord, OrgContext } from '../engine/salesforce-records.js';
import { DEFAULT_SETTINGS, parseSettings, SettingsError, type Settings } from '../engine/org-settings.js';
import { EXIT_OK, EXIT_USAGE, UsageError, type CliIo, type Command } from './command.js';
import { readJsonFile, singleRecord } from './read-json.js';

const HELP = `Usage:
  cosell map outbound --opportunity <opportunity.json> [--current <referral.json>] [options]
  cosell map inbound  --referral <referral.json> [--existing <existing.json>] [options]

Shows what a sync would do, without contacting Salesforce or Partner Center.

outbound  Opportunity → Partner Center. Prints {"operation":"create","referral":{...}},
          {"operation":"update","referralId":"...","ifMatch":"...","patch":[...]} or {"operation":"none","reason":"..."}.
          On validation failure prints {"errors":[{"field":"...","message":"..."}]} and exits 2.
  --opportunity <file>   the opportunity as the connector's SOQL returns it (a record, or {"records":[record]})
  --current <file>       the referral it is linked to, as GET /referrals/{id} returns it
  --last-synced <file>   {"salesforce":{...},"partnerCenter":{...}} fingerprints stored after the last sync

inbound   Partner Center → Salesforce. Prints {"action":"create"|"update"|"skip","reason":"...",
          "opportunity":{...},"account":{...},"contacts":[...],"solutions":[...],"lead":{...}}.
  --referral <file>      the referral, as GET /referrals/{id} returns it
  --existing <file>      the linked opportunity record (IsDeleted true if it was deleted), or an object with any of
                         "opportunity", "accountMatches", "contactsByEmail", "lastSynced", "leadId"

Options:
  --settings <file>      settings JSON (camelCase keys; missing keys take their defaults)
  --org-currency <code>  the org's corporate currency, used when an opportunity has none
  --single-currency      the org has no multi-currency: CurrencyIsoCode is neither read nor written
  -h, --help             show this help

Exit codes: 0 done, 2 usage error, unreadable input or validation errors, 1 unexpected failure.`;

const OPTIONS = {
  opportunity: { type: 'string' },
  current: { type: 'string' },
  'last-synced': { type: 'string' },
  referral: { type: 'string' },
  existing: { type: 'string' },
  settings: { type: 'string' },
  'org-currency': { type: 'string' },
  'single-currency': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const EXISTING_KEYS = ['opportunity', 'accountMatches', 'contactsByEmail', 'lastSynced', 'leadId'];

function parse(args: string[]) {
  try {
    return parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

async function loadSettings(file: string | undefined, io: CliIo): Promise<Settings> {
  if (file === undefined) return { ...DEFAULT_SETTINGS };
  const json = await readJsonFile('settings', file, io.cwd);
  try {
    return parseSettings(json);
  } catch (error) {
    if (error instanceof SettingsError) throw new UsageError(`--settings file "${file}": ${error.problems.join(' ')}`);
    throw error;
  }
}

function requireOption(value: string | undefined, option: string, direction: string): string {
  if (value === undefined) throw new UsageError(`map ${direction} needs --${option} <file>.`);
  return value;
}

function print(io: CliIo, value: unknown): void {
  io.stdout(JSON.stringify(value, null, 2) + '\n');
}

async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args);
  if (values.help) {
    io.stdout(HELP + '\n');
    return EXIT_OK;
  }
  const [direction, ...extra] = positionals;
  if (direction !== 'outbound' && direction !== 'inbound') {
    throw new UsageError(direction === undefined ? 'map needs a direction: outbound or inbound.' : `unknown direction "${direction}"; use outbound or inbound.`);
  }
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}".`);
  const settings = await loadSettings(values.settings, io);
  const org: OrgContext = {
    ...(values['single-currency'] ? { multiCurrency: false } : {}),
    ...(values['org-currency'] ? { orgCurrency: values['org-currency'] } : {}),
  };

  try {
    if (direction === 'outbound') {
      const file = requireOption(values.opportunity, 'opportunity', direction);
      const opportunity = singleRecord('opportunity', file, await readJsonFile('opportunity', file, io.cwd)) as OpportunityRecord;
      const current = values.current === undefined ? undefined : (singleRecord('current', values.current, await readJsonFile('current', values.current, io.cwd)) as Referral);
      const lastSynced = values['last-synced'] === undefined ? undefined : ((await readJsonFile('last-synced', values['last-synced'], io.cwd)) as SyncBaseline);
      const result = mapOutbound(opportunity, settings, current, { lastSynced, org });
      print(io, result);
      return 'errors' in result ? EXIT_USAGE : EXIT_OK;
    }
    const file = requireOption(values.referral, 'referral', direction);
    const referral = singleRecord('referral', file, await readJsonFile('referral', file, io.cwd)) as Referral;
    let existing: InboundExisting = {};
    if (values.existing !== undefined) {
      const json = singleRecord('existing', values.existing, await readJsonFile('existing', values.existing, io.cwd));
      const wrapper = !('attributes' in json) && !('Id' in json) && Object.keys(json).some((k) => EXISTING_KEYS.includes(k));
      existing = wrapper ? (json as InboundExisting) : { opportunity: json as OpportunityRecord };
    }
    const result = mapInbound(referral, settings, existing, { org });
    print(io, result);
    return 'errors' in result ? EXIT_USAGE : EXIT_OK;
  } catch (error) {
    if (error instanceof InputError) throw new UsageError(error.message);
    throw error;
  }
}

export const mapCommand: Command = {
  name: 'map',
  summary: 'show what a sync would send to Partner Center (outbound) or write to Salesforce (inbound)',
  help: HELP,
  run,
};
