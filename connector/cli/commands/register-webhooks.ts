/** `cosell register-webhooks`: points Partner Center's four referral events at this connector. */
import { WEBHOOK_PATH } from '../../http/webhooks.js';
import { AuthorizationError, PartnerCenterError } from '../../partner-center/errors.js';
import type { WebhookRegistrationChange } from '../../partner-center/client.js';
import { REFERRAL_WEBHOOK_EVENTS } from '../../model/referral.js';
import { EXIT_FAILURE, EXIT_OK, UsageError, type CliIo, type Command } from '../command.js';
import { CONFIG_HELP, CONFIG_OPTIONS, JSON_HELP, JSON_OPTION, configFrom, parse, printJson } from './shared.js';

const HELP = `Usage: cosell register-webhooks [--config <file>] [--url <https://connector.example.com>] [--json]

Registers the connector for ${REFERRAL_WEBHOOK_EVENTS.join(', ')}.
Partner Center keeps one registration per tenant (one callback URL for all its events), so the
current registration is read, the referral events are added, every other event (another tool's)
is kept, and it is written back; the output says what changed. The callback is
<url>${WEBHOOK_PATH}; <url> defaults to http.publicUrl (COSELL_PUBLIC_URL).
A sandbox connector registers itself with the emulator when it starts.

Options:
      --url <url>        the connector's public https base URL
${JSON_HELP}
${CONFIG_HELP}`;

/** One sentence an admin can act on: what was written, what was kept, and where other tools' events now go. */
export function describeChange(change: WebhookRegistrationChange): string {
  const kept = change.kept.length > 0 ? ` Kept the events another tool registered: ${change.kept.join(', ')}.` : '';
  if (change.action === 'unchanged') return `Nothing to change: ${change.url} already receives ${change.events.join(', ')}.${kept}`;
  const added = change.added.length > 0 ? `added ${change.added.join(', ')}` : 'no events added';
  if (change.action === 'registered') return `Registered ${change.url} for ${change.events.join(', ')}.`;
  const moved = change.previousUrl
    ? ` The callback URL changed from ${change.previousUrl} to ${change.url}` +
      (change.kept.length > 0 ? `; Partner Center now delivers ${change.kept.join(', ')} there too — the connector answers them 200 and ignores them, so point that tool at its events again if it still needs them.` : '.')
    : '';
  return `Updated the registration: ${added}.${kept}${moved}`;
}

async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { ...CONFIG_OPTIONS, ...JSON_OPTION, url: { type: 'string' } });
  if (values.help) {
    io.stdout(HELP + '\n');
    return EXIT_OK;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}".`);
  const config = configFrom(values, io);
  if (config.mode === 'sandbox') throw new UsageError('a sandbox connector registers its webhooks with the emulator itself; nothing to do.');
  const base = values.url ?? config.http.publicUrl;
  if (!base) throw new UsageError('the public URL is unknown: pass --url https://... or set COSELL_PUBLIC_URL.');
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new UsageError(`"${base}" is not a URL.`);
  }
  if (url.protocol !== 'https:') throw new UsageError(`Partner Center only calls https URLs; "${base}" is not one.`);
  const callback = url.pathname.endsWith(WEBHOOK_PATH) ? url.href : `${url.origin}${url.pathname.replace(/\/+$/, '')}${WEBHOOK_PATH}`;
  const { livePartnerCenterClient } = await import('../../config/partner-center.js');
  try {
    const result = await livePartnerCenterClient(config.partnerCenter).registerWebhooks(callback);
    const message = describeChange(result.change);
    if (values.json) printJson(io, { ...result.change, message, requestId: result.requestId });
    else io.stdout(`${message} [request-id ${result.requestId ?? '-'}]\n`);
    return EXIT_OK;
  } catch (error) {
    if (error instanceof AuthorizationError) io.stderr(`cosell register-webhooks: ${error.message}\n`);
    else if (error instanceof PartnerCenterError) io.stderr(`cosell register-webhooks: Partner Center refused the registration: ${error.message}${error.requestId ? ` [request-id ${error.requestId}]` : ''}\n`);
    else throw error;
    return EXIT_FAILURE;
  }
}

export const registerWebhooksCommand: Command = {
  name: 'register-webhooks',
  summary: 'register the connector for the four Partner Center referral events, keeping other registered events',
  help: HELP,
  run,
};
