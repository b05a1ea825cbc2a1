/** `cosell register-webhooks`: points Partner Center's four referral events at this connector. */
import { WEBHOOK_PATH } from '../../http/webhooks.js';
import { AuthorizationError, PartnerCenterError } from '../../partner-center/errors.js';
import { REFERRAL_WEBHOOK_EVENTS } from '../../partner-center/types.js';
import { EXIT_FAILURE, EXIT_OK, UsageError, type CliIo, type Command } from '../command.js';
import { CONFIG_HELP, CONFIG_OPTIONS, JSON_HELP, JSON_OPTION, configFrom, parse, printJson } from './shared.js';

const HELP = `Usage: cosell register-webhooks [--config <file>] [--url <https://connector.example.com>] [--json]

Registers the connector for ${REFERRAL_WEBHOOK_EVENTS.join(', ')}, replacing any earlier
registration (Partner Center keeps one callback URL per event per tenant). The callback is
<url>${WEBHOOK_PATH}; <url> defaults to http.publicUrl (COSELL_PUBLIC_URL).
A sandbox connector registers itself with the emulator when it starts.

Options:
      --url <url>        the connector's public https base URL
${JSON_HELP}
${CONFIG_HELP}`;

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
    const result = await livePartnerCenterClient(config.partnerCenter).registerOrOverwrite(callback);
    const registered = { registered: result.data.WebhookUrl ?? callback, events: result.data.WebhookEvents ?? REFERRAL_WEBHOOK_EVENTS, requestId: result.requestId };
    if (values.json) printJson(io, registered);
    else io.stdout(`Registered ${registered.registered} for ${registered.events.join(', ')} [request-id ${registered.requestId ?? '-'}]\n`);
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
  summary: 'register the connector for the four Partner Center referral events (overwrites)',
  help: HELP,
  run,
};
