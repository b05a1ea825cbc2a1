/**
 * Turns what sf prints with --json into sentences that say what to do next. sf's own messages name flags of
 * the sf command ("Use -v or --target-dev-hub"), not of our scripts, and its stack traces help nobody here.
 */
import type { CommandResult } from './sf-runner.js';

export interface SfJson {
  status?: number;
  name?: string;
  message?: string;
  result?: unknown;
  data?: unknown;
  warnings?: unknown[];
}

/** Who the failing command was talking to, so the advice can name the right login command. */
export interface FailureContext {
  /** What the step was doing, e.g. "create the scratch org". */
  doing: string;
  org?: string;
  devHub?: string;
  /** The org the command needed was the Dev Hub (package and scratch org commands). */
  needsDevHub?: boolean;
}

export const DEV_HUB_LOGIN = 'sf org login web --set-default-dev-hub --alias devhub';

export function parseSfJson(stdout: string): SfJson | null {
  const text = stdout.trim();
  const start = text.indexOf('{');
  if (start < 0) return null;
  try {
    const value = JSON.parse(text.slice(start)) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as SfJson) : null;
  } catch {
    return null;
  }
}

function orgLogin(alias: string): string {
  return `sf org login web --alias ${alias}`;
}

/** The alias sf says it has no authorisation for: "No authorization information found for my-org." */
function missingAlias(message: string): string | undefined {
  return /No authorization information found for ([^\s.]+(?:\.[^\s.]+)*)\./.exec(message)?.[1];
}

interface FileFailure {
  state?: string;
  type?: string;
  /** The Metadata API's name for `type` in componentFailures. */
  componentType?: string;
  fullName?: string;
  filePath?: string;
  error?: string;
  problem?: string;
  lineNumber?: number | string;
}

function asArray<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** Component-level deploy errors: the lines a developer needs to fix the source. */
export function deployFailures(json: SfJson): string[] {
  const result = (json.result ?? json.data) as { files?: FileFailure[]; details?: { componentFailures?: FileFailure | FileFailure[] } } | undefined;
  if (!result || typeof result !== 'object') return [];
  const files = asArray(result.files).filter((f) => f.state === 'Failed');
  const failures = files.length ? files : asArray(result.details?.componentFailures);
  return failures.map((f) => {
    const where = f.filePath ? ` (${f.filePath}${f.lineNumber ? `:${f.lineNumber}` : ''})` : '';
    return `${f.type ?? f.componentType ?? 'component'} ${f.fullName ?? '?'}: ${f.error ?? f.problem ?? 'failed'}${where}`;
  });
}

export function describeSfFailure(outcome: CommandResult, context: FailureContext, timeoutMs?: number): string {
  if (outcome.timedOut) {
    return `Could not ${context.doing}: sf did not finish within ${Math.round((timeoutMs ?? 0) / 1000)} s (is the network reachable?).`;
  }
  const json = parseSfJson(outcome.stdout);
  if (!json) {
    const tail = (outcome.stderr || outcome.stdout).trim().split('\n').slice(-5).join('\n');
    return `Could not ${context.doing}: sf exited with code ${outcome.code}${tail ? `:\n${tail}` : '.'}`;
  }
  const name = json.name ?? '';
  const message = (json.message ?? '').replace(/\nSee more help with --help$/, '').trim();
  const alias = missingAlias(message) ?? (context.needsDevHub ? context.devHub : context.org);

  if (name === 'NoDefaultDevHubError') {
    return `No Dev Hub is authorised: run \`${DEV_HUB_LOGIN}\` (or pass --target-dev-hub <alias>), then try again.`;
  }
  if (name === 'NamedOrgNotFoundError' && context.needsDevHub) {
    return `No Dev Hub is authorised as "${alias}": run \`sf org login web --set-default-dev-hub --alias ${alias}\`, then try again.`;
  }
  if (name === 'NamedOrgNotFoundError') {
    return (
      `No org is authorised as "${alias}": run \`${orgLogin(alias ?? 'my-org')}\` ` +
      `(add --instance-url https://test.salesforce.com for a sandbox), then try again.`
    );
  }
  if (name === 'NoDefaultEnvError') {
    return 'No org was named and no default org is set: pass --target-org <alias>, or log in with `sf org login web --alias my-org --set-default`.';
  }
  if (name === 'NotADevHubError') {
    return `"${context.devHub ?? alias}" is not a Dev Hub: enable Dev Hub in that org (Setup → Dev Hub), or log in to your Dev Hub with \`${DEV_HUB_LOGIN}\`.`;
  }
  if (name === 'RefreshTokenAuthError' || name === 'OrgDataNotAvailableError' || /expired access\/refresh token|invalid_grant|INVALID_SESSION_ID/i.test(message)) {
    const who = alias ?? 'the org';
    return (
      `The authorisation for "${who}" has expired, was revoked or the org no longer exists: ` +
      `run \`${context.needsDevHub ? `sf org login web --set-default-dev-hub --alias ${who}` : orgLogin(who)}\` again (a deleted scratch org must be created again).`
    );
  }
  const components = deployFailures(json);
  const detail = components.length ? `\n  ${components.join('\n  ')}` : '';
  return `Could not ${context.doing}: ${message || name || `sf exited with code ${outcome.code}`}${detail}`;
}
