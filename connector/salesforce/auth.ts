/**
 * Logs the integration user in with jsforce. One function for every kind of org: a real org through an External
 * Client App (OAuth client credentials, or JWT bearer), a developer's Salesforce CLI alias, or the sandbox's
 * local org (client credentials against its token endpoint — the same code path as a real org). Each login
 * also becomes jsforce's refresh function, so an expired session is renewed transparently on the next call.
 */
import { execFile } from 'node:child_process';
import { createSign } from 'node:crypto';
import { promisify } from 'node:util';
import { Connection } from 'jsforce';
import type { SalesforceConfig } from '../config/types.js';

const run = promisify(execFile);

export class SalesforceAuthError extends Error {
  override name = 'SalesforceAuthError';
}

interface TokenResult {
  accessToken: string;
  instanceUrl: string;
}

type Login = () => Promise<TokenResult>;

const b64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/** RS256 JWT for the OAuth 2.0 JWT bearer flow; the audience is the login host, as Salesforce requires. */
export function jwtAssertion(config: Pick<SalesforceConfig, 'clientId' | 'username' | 'privateKey' | 'loginUrl'>, nowMs = Date.now()): string {
  const header = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }));
  const audience = new URL(config.loginUrl).origin;
  const claims = b64url(JSON.stringify({ iss: config.clientId, sub: config.username, aud: audience, exp: Math.floor(nowMs / 1000) + 180 }));
  const signature = createSign('RSA-SHA256').update(`${header}.${claims}`).sign(config.privateKey!, 'base64url');
  return `${header}.${claims}.${signature}`;
}

function describeOAuthFailure(config: SalesforceConfig, error: unknown): SalesforceAuthError {
  const code = (error as Error).name;
  const detail = (error as Error).message;
  const fix: Record<string, string> = {
    invalid_client_id: 'check COSELL_SF_CLIENT_ID: it must be the consumer key of the External Client App',
    invalid_client: 'check COSELL_SF_CLIENT_ID and COSELL_SF_CLIENT_SECRET against the External Client App',
    invalid_grant:
      config.auth === 'jwt'
        ? 'check that COSELL_SF_USERNAME is pre-authorised for the app and the app holds the certificate of COSELL_SF_PRIVATE_KEY'
        : 'check that the External Client App enables the client credentials flow with the integration user as its "Run As" user',
    unsupported_grant_type: 'enable the flow on the External Client App (OAuth settings)',
  };
  return new SalesforceAuthError(
    `Salesforce login (${config.auth}) at ${config.loginUrl} failed: ${code}${detail ? ` — ${detail}` : ''}; ${fix[code] ?? 'check the Salesforce connection settings'}.`,
  );
}

function oauthLogin(config: SalesforceConfig, grant: () => { grant_type: string; [name: string]: string }): Login {
  return async () => {
    // A throw-away connection per login: the token request must not go through the session being refreshed.
    const conn = new Connection({
      loginUrl: config.loginUrl,
      version: config.apiVersion,
      oauth2: { loginUrl: config.loginUrl, clientId: config.clientId, clientSecret: config.auth === 'client-credentials' ? config.clientSecret : undefined },
    });
    try {
      await conn.authorize(grant());
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code || /fetch failed|ECONN|ETIMEDOUT/i.test((error as Error).message)) throw error;
      throw describeOAuthFailure(config, error);
    }
    return { accessToken: conn.accessToken!, instanceUrl: conn.instanceUrl };
  };
}

/** `sf org display --json`: the CLI keeps the developer's own login; optional, only when the CLI is installed. */
function cliLogin(config: SalesforceConfig): Login {
  return async () => {
    let stdout: string;
    try {
      ({ stdout } = await run('sf', ['org', 'display', '--json', '--target-org', config.orgAlias!], { timeout: 60_000, maxBuffer: 4 * 1024 * 1024 }));
    } catch (error) {
      const output = (error as { stdout?: string }).stdout;
      const message = output ? ((JSON.parse(output) as { message?: string }).message ?? '') : (error as Error).message;
      throw new SalesforceAuthError(
        `Salesforce CLI could not display org "${config.orgAlias}" (${message}); install the CLI and run \`sf org login web --alias ${config.orgAlias}\`.`,
      );
    }
    const result = (JSON.parse(stdout) as { result?: { accessToken?: string; instanceUrl?: string } }).result;
    if (!result?.accessToken || !result.instanceUrl) {
      throw new SalesforceAuthError(`Salesforce CLI returned no session for "${config.orgAlias}"; run \`sf org login web --alias ${config.orgAlias}\` again.`);
    }
    return { accessToken: result.accessToken, instanceUrl: result.instanceUrl };
  };
}

function loginFor(config: SalesforceConfig): Login {
  switch (config.auth) {
    case 'client-credentials':
      return oauthLogin(config, () => ({ grant_type: 'client_credentials' }));
    case 'jwt':
      return oauthLogin(config, () => ({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: jwtAssertion(config) }));
    case 'sf-cli':
      return cliLogin(config);
  }
}

/** A logged-in jsforce connection that logs in again by itself when its session expires. */
export async function connectSalesforce(config: SalesforceConfig): Promise<Connection> {
  const login = loginFor(config);
  const first = await login();
  return new Connection({
    instanceUrl: first.instanceUrl,
    accessToken: first.accessToken,
    version: config.apiVersion,
    refreshFn: (_conn, callback) => {
      login().then(
        (next) => callback(undefined, next.accessToken),
        (error: Error) => callback(error),
      );
    },
  });
}
