/**
 * The admin's one-time Partner Center sign-in: Microsoft Entra ID's device authorization grant
 * (learn.microsoft.com/entra/identity-platform/v2-oauth2-device-code, RFC 8628). The admin opens a page on any
 * device, enters a short code and signs in; meanwhile this polls the token endpoint for the result.
 *
 * Why not MSAL's `acquireTokenByDeviceCode`: MSAL Node offers it only on a public client, which sends no client
 * secret, and Entra binds the refresh token to the kind of client that obtained it ("AADSTS700025: Client is
 * public so neither 'client_assertion' nor 'client_secret' should be presented"). The connector renews as a
 * confidential client with its secret (MsalTokenProvider), so the sign-in authenticates with the same secret
 * (RFC 8628 §3.4) and hands the refresh token to MSAL, which keeps and rotates it from then on.
 */
import { PARTNER_CENTER_SCOPE } from './token-provider.js';

export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

export interface DeviceCodePrompt {
  userCode: string;
  verificationUri: string;
  expiresInSeconds: number;
  /** Entra's own instructions for the user ("To sign in, use a web browser to open the page ..."). */
  message: string;
}

export interface DeviceCodeSignInOptions {
  /** https://login.microsoftonline.com unless a sovereign cloud. */
  authorityHost: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** Default: the Partner Center API, with a refresh token and the user's identity. */
  scopes?: string[];
  /** Shows the code to the admin. */
  onPrompt: (prompt: DeviceCodePrompt) => void;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export interface DeviceCodeTokens {
  refreshToken: string;
  accessToken: string;
  expiresInSeconds: number;
}

/** The sign-in did not complete; the message says why and what to do. */
export class SignInError extends Error {
  override name = 'SignInError';

  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

interface OAuthBody {
  error?: string;
  error_description?: string;
  device_code?: string;
  user_code?: string;
  verification_uri?: string;
  expires_in?: number;
  interval?: number;
  message?: string;
  access_token?: string;
  refresh_token?: string;
}

/** RFC 8628 §3.5: on `slow_down` the client adds 5 seconds to its polling interval. */
const SLOW_DOWN_MS = 5000;

export async function signInWithDeviceCode(options: DeviceCodeSignInOptions): Promise<DeviceCodeTokens> {
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  const base = `${options.authorityHost.replace(/\/+$/, '')}/${encodeURIComponent(options.tenantId)}/oauth2/v2.0`;
  const scope = (options.scopes ?? [PARTNER_CENTER_SCOPE, 'offline_access', 'openid', 'profile']).join(' ');

  const post = async (url: string, form: Record<string, string>): Promise<{ status: number; body: OAuthBody }> => {
    let response: Response;
    try {
      response = await doFetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams(form),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (error) {
      throw new SignInError(`Could not reach Microsoft Entra ID at ${url} (${(error as Error).message}); check the network and partnerCenter.authorityHost.`);
    }
    const text = await response.text();
    try {
      return { status: response.status, body: JSON.parse(text) as OAuthBody };
    } catch {
      throw new SignInError(`Microsoft Entra ID answered ${url} with HTTP ${response.status} and no JSON body; check partnerCenter.authorityHost.`);
    }
  };

  const started = await post(`${base}/devicecode`, { client_id: options.clientId, scope });
  if (started.status !== 200 || !started.body.device_code || !started.body.user_code) throw failure(started.body, options);
  const prompt: DeviceCodePrompt = {
    userCode: started.body.user_code,
    verificationUri: started.body.verification_uri ?? '',
    expiresInSeconds: started.body.expires_in ?? 900,
    message:
      started.body.message ?? `To sign in, use a web browser to open the page ${started.body.verification_uri} and enter the code ${started.body.user_code} to authenticate.`,
  };
  options.onPrompt(prompt);

  const deadline = now() + prompt.expiresInSeconds * 1000;
  let intervalMs = (started.body.interval ?? 5) * 1000;
  const form = {
    grant_type: DEVICE_CODE_GRANT,
    client_id: options.clientId,
    client_secret: options.clientSecret,
    device_code: started.body.device_code,
    scope,
  };
  for (;;) {
    const polled = await post(`${base}/token`, form);
    if (polled.status === 200 && polled.body.refresh_token && polled.body.access_token) {
      return { refreshToken: polled.body.refresh_token, accessToken: polled.body.access_token, expiresInSeconds: polled.body.expires_in ?? 3600 };
    }
    if (polled.status === 200) {
      throw new SignInError('Microsoft Entra ID signed the user in but returned no refresh token; the "offline_access" permission must not be blocked for the app.');
    }
    if (polled.body.error === 'slow_down') intervalMs += SLOW_DOWN_MS;
    else if (polled.body.error !== 'authorization_pending') throw failure(polled.body, options);
    if (now() + intervalMs > deadline) {
      throw new SignInError(`The code ${prompt.userCode} expired before anyone signed in with it; run the command again for a new code.`, 'expired_token');
    }
    await sleep(intervalMs);
  }
}

/** Entra's answer as an admin-actionable message: which setting or step to fix. */
function failure(body: OAuthBody, options: DeviceCodeSignInOptions): SignInError {
  const detail = body.error_description?.split(/\r?\n/)[0] ?? body.error ?? 'no error description';
  const aadsts = /^AADSTS(\d+)/.exec(detail)?.[1];
  switch (body.error) {
    case 'authorization_declined':
      return new SignInError(`The sign-in was declined at the sign-in page (${detail}). Run the command again and approve it as a Referrals admin.`, body.error);
    case 'expired_token':
      return new SignInError(`The code expired before the sign-in finished (${detail}); run the command again for a new code.`, body.error);
    case 'unauthorized_client':
    case 'invalid_client':
      if (aadsts === '700025') {
        return new SignInError(
          `Microsoft Entra ID treats the app ${options.clientId} as a public client (${detail}). The connector signs in as a confidential ` +
            `client with its secret: in the app registration, under Authentication, set "Allow public client flows" to No.`,
          body.error,
        );
      }
      return new SignInError(
        `Microsoft Entra ID rejected the connector app (${detail}). Check partnerCenter.clientId (COSELL_PC_CLIENT_ID), ` +
          `partnerCenter.tenantId (COSELL_PC_TENANT_ID) and the client secret (COSELL_PC_CLIENT_SECRET or COSELL_PC_CLIENT_SECRET_FILE).`,
        body.error,
      );
    case 'invalid_scope':
    case 'consent_required':
      return new SignInError(
        `The app ${options.clientId} may not ask for Partner Center access (${detail}): add the delegated Partner Center ` +
          `permission (user_impersonation) to the app registration and grant admin consent.`,
        body.error,
      );
    default:
      return new SignInError(`Microsoft Entra ID refused the sign-in (${detail}).`, body.error);
  }
}
