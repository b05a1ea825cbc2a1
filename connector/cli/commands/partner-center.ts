/** `cosell partner-center login`: the App+User sign-in a Referrals admin performs once (see partner-center-login.ts). */
import path from 'node:path';
import { ConfigError, loadPartnerCenterConfig } from '../../config/load.js';
import type { PartnerCenterConfig } from '../../config/types.js';
import { SIGN_IN_COMMAND } from '../../partner-center/errors.js';
import { EXIT_OK, EXIT_USAGE, UsageError, type CliIo, type Command } from '../command.js';
import { CONFIG_HELP, CONFIG_OPTIONS, parse } from './shared.js';

const LOGIN_HELP = `Usage: ${SIGN_IN_COMMAND} [--config <file>]

Signs the connector in to Partner Center as a Referrals admin (App+User), once. It prints a code; open the
page it names in any browser, enter the code and sign in as a user with the Referrals admin role. The sign-in
(MSAL's token cache with the refresh token) is stored in partnerCenter.tokenCacheFile, readable only by the
user running the command, and the connector renews it from then on. Run it again when the connector reports
that the Partner Center sign-in is no longer valid, or to sign in as someone else (it replaces the old sign-in
only once the new one works).

Needs partnerCenter.tenantId, partnerCenter.clientId, the client secret and partnerCenter.tokenCacheFile
(see docs/connector-configuration.md). The Entra app registration is a confidential client: a client secret,
"Allow public client flows" off, and the delegated Partner Center permission with admin consent.

Options:
${CONFIG_HELP}`;

const HELP = `Usage: cosell partner-center <command> [options]

Commands:
  login   sign the connector in to Partner Center as a Referrals admin (device code), once

Run "cosell partner-center login --help" for its options.`;

async function run(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    (sub === undefined ? io.stderr : io.stdout)(HELP + '\n');
    return sub === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (sub !== 'login') throw new UsageError(`unknown command "partner-center ${sub}"; the only one is "login".`);
  const { values, positionals } = parse(rest, CONFIG_OPTIONS);
  if (values.help) {
    io.stdout(LOGIN_HELP + '\n');
    return EXIT_OK;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}".`);
  let config: PartnerCenterConfig;
  try {
    config = loadPartnerCenterConfig({ configFile: values.config === undefined ? undefined : path.resolve(io.cwd, values.config) });
  } catch (error) {
    if (error instanceof ConfigError) {
      throw new UsageError(`the Partner Center settings are not usable:\n${error.message}`);
    }
    throw error;
  }
  // MSAL loads only when signing in, so `cosell --help` stays quick.
  const { partnerCenterLogin } = await import('./partner-center-login.js');
  return partnerCenterLogin(config, io);
}

export const partnerCenterCommand: Command = {
  name: 'partner-center',
  summary: 'partner-center login: sign the connector in to Partner Center as a Referrals admin, once',
  help: HELP,
  run,
};
