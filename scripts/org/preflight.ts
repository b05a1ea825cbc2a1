/**
 * Checks, before any real work, that sf holds an authorisation for the org or Dev Hub a script needs, so a
 * missing login is one clear sentence instead of a failure halfway through (after a build, say).
 */
import { DEV_HUB_LOGIN, describeSfFailure, parseSfJson } from './sf-errors.js';
import type { Runner } from './sf-runner.js';

export type Preflight = { ok: true; username: string } | { ok: false; message: string };

/** `org display` refreshes the access token, which needs the network; this bounds a hung connection. */
export const PREFLIGHT_TIMEOUT_MS = 120_000;

interface OrgEntry {
  alias?: string;
  username?: string;
  isDefaultDevHubUsername?: boolean;
}

function displayArgs(org: string | undefined): string[] {
  return ['org', 'display', ...(org ? ['--target-org', org] : []), '--json'];
}

/** The org a deploy or check targets: the named alias, or sf's default org. */
export async function checkOrg(runner: Runner, org: string | undefined): Promise<Preflight> {
  const outcome = await runner.sf(displayArgs(org), { timeoutMs: PREFLIGHT_TIMEOUT_MS });
  const json = parseSfJson(outcome.stdout);
  const username = (json?.result as { username?: string } | undefined)?.username;
  if (outcome.code === 0 && username) return { ok: true, username };
  return { ok: false, message: describeSfFailure(outcome, { doing: 'reach the org', org }, PREFLIGHT_TIMEOUT_MS) };
}

/**
 * The Dev Hub for scratch orgs and package versions. A named one must be authorised (sf says later if it is
 * not a Dev Hub); without a name, sf's default Dev Hub must be set, and the message lists the candidates.
 */
export async function checkDevHub(runner: Runner, devHub: string | undefined): Promise<Preflight> {
  if (devHub) {
    const outcome = await runner.sf(displayArgs(devHub), { timeoutMs: PREFLIGHT_TIMEOUT_MS });
    const username = (parseSfJson(outcome.stdout)?.result as { username?: string } | undefined)?.username;
    if (outcome.code === 0 && username) return { ok: true, username };
    return { ok: false, message: describeSfFailure(outcome, { doing: 'reach the Dev Hub', devHub, needsDevHub: true }, PREFLIGHT_TIMEOUT_MS) };
  }
  const outcome = await runner.sf(['org', 'list', '--skip-connection-status', '--json'], { timeoutMs: PREFLIGHT_TIMEOUT_MS });
  const json = parseSfJson(outcome.stdout);
  if (outcome.code !== 0 || !json) {
    return { ok: false, message: describeSfFailure(outcome, { doing: 'list the authorised orgs', needsDevHub: true }, PREFLIGHT_TIMEOUT_MS) };
  }
  const hubs = ((json.result as { devHubs?: OrgEntry[] } | undefined)?.devHubs ?? []).filter((h) => h.username);
  const chosen = hubs.find((h) => h.isDefaultDevHubUsername);
  if (chosen?.username) return { ok: true, username: chosen.username };
  if (hubs.length === 0) return { ok: false, message: `No Dev Hub is authorised: run \`${DEV_HUB_LOGIN}\`, then try again.` };
  const names = hubs.map((h) => h.alias ?? h.username).join(', ');
  return {
    ok: false,
    message: `No default Dev Hub is set (authorised Dev Hubs: ${names}): pass --target-dev-hub <alias>, or run \`sf config set target-dev-hub=<alias>\`.`,
  };
}
