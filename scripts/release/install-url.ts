/**
 * `npm run install-url -- <04t id>`: the links an admin opens to install a package version — production and
 * Developer Edition orgs sign in at login.salesforce.com, sandboxes at test.salesforce.com. The id is checked
 * first, so a mistyped or truncated id is caught here rather than as a vague "package not found" page.
 */
import { pathToFileURL } from 'node:url';
import { checksumSuffix, normalizeId } from '../../sandbox/org/ids.js';
import { EXIT_OK, UsageError, booleanFlag, parseFlags, processIo, runMain, type Io } from '../org/args.js';

export const INSTALL_URL_HELP = `Usage: npm run install-url -- <04t package version id> [--json]

Prints the install URLs of a package version: production (login.salesforce.com) and sandbox
(test.salesforce.com). \`npm run package:version\` prints the id; so does \`npx sf package version list\`.`;

const INSTALL_PATH = '/packaging/installPackage.apexp?p0=';

export interface InstallUrls {
  id: string;
  production: string;
  sandbox: string;
}

/** The canonical 18-character id of a package version, or a UsageError saying what is wrong with it. */
export function validatePackageVersionId(input: string): string {
  const id = input.trim();
  if (!/^[A-Za-z0-9]+$/.test(id)) throw new UsageError(`"${input}" is not a package version id: ids have only letters and digits.`);
  if (id.slice(0, 3).toLowerCase() !== '04t') {
    const hint = id.startsWith('0Ho') ? ' (0Ho… is the package id; the version id starts with 04t)' : '';
    throw new UsageError(`"${id}" is not a package version id: it must start with 04t${hint}.`);
  }
  if (id.length !== 15 && id.length !== 18) {
    throw new UsageError(`"${id}" has ${id.length} characters; a package version id has 15 or 18. Copy it again in full.`);
  }
  if (id.length === 15) {
    if (!id.startsWith('04t')) throw new UsageError(`"${id}" must start with 04t (a 15-character id is case-sensitive).`);
    return id + checksumSuffix(id);
  }
  const id15 = id.slice(0, 15);
  if (id15.startsWith('04t') && checksumSuffix(id15) === id.slice(15)) return id;
  // An id whose letter case was lost (all lower or upper case) is what the 18-character form exists for:
  // its last three characters restore the case. Mixed case that does not match is a corrupted id.
  const caseLost = id === id.toLowerCase() || id === id.toUpperCase();
  const restored = caseLost ? normalizeId(id) : null;
  if (restored?.startsWith('04t')) return restored;
  throw new UsageError(
    `"${id}" is not a valid 18-character id: its last three characters (${id.slice(15)}) do not match the first 15 ` +
      `(expected ${checksumSuffix(id15)}). Copy it again in full, in its original letter case.`,
  );
}

export function installUrls(id: string): InstallUrls {
  const valid = validatePackageVersionId(id);
  return {
    id: valid,
    production: `https://login.salesforce.com${INSTALL_PATH}${valid}`,
    sandbox: `https://test.salesforce.com${INSTALL_PATH}${valid}`,
  };
}

export function formatInstallUrls(urls: InstallUrls): string {
  return `Package version ${urls.id}\n  Production and Developer Edition orgs: ${urls.production}\n  Sandboxes:                              ${urls.sandbox}\n`;
}

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  return runMain(io, 'install-url', INSTALL_URL_HELP, async () => {
    const parsed = parseFlags(argv, { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, 1);
    if (booleanFlag(parsed, 'help')) {
      io.out(INSTALL_URL_HELP + '\n');
      return EXIT_OK;
    }
    const [id] = parsed.positionals;
    if (id === undefined) throw new UsageError('the package version id (04t…) is missing.');
    const urls = installUrls(id);
    io.out(booleanFlag(parsed, 'json') ? JSON.stringify(urls, null, 2) + '\n' : formatInstallUrls(urls));
    return EXIT_OK;
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
