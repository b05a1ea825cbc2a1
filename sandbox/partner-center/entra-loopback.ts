/**
 * Points the production Microsoft Entra ID code at the emulator's token issuer, offline. MSAL only accepts an https
 * authority, so the authority stays https://login.microsoftonline.com and every request to it is carried to the
 * loopback emulator instead: MSAL's through its network extension point (`system.networkClient`), the device code
 * sign-in's through the `fetch` it is given. Anything else reaches the network unchanged.
 */
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import type { PartnerCenterEmulator } from './emulator.js';

export const ENTRA_AUTHORITY_HOST = 'https://login.microsoftonline.com';

export interface EntraLoopback {
  authorityHost: string;
  /** fetch that sends Entra requests to the emulator. */
  fetch: typeof fetch;
  /** MSAL options that send its requests to the emulator and skip the discovery calls the emulator does not serve. */
  msal: { networkClient: INetworkModule; authorityMetadata: string; cloudDiscoveryMetadata: string };
  /** Entra paths requested so far, e.g. `POST /{tenant}/oauth2/v2.0/devicecode`. */
  requests: string[];
}

export function entraLoopback(emulator: PartnerCenterEmulator): EntraLoopback {
  const requests: string[] = [];
  const reroute = (url: string, method: string): string => {
    if (!url.startsWith(`${ENTRA_AUTHORITY_HOST}/`)) return url;
    const target = new URL(url);
    requests.push(`${method} ${target.pathname}`);
    return `${emulator.url}${target.pathname}${target.search}`;
  };
  const loopbackFetch: typeof fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    return fetch(reroute(url, init?.method ?? 'GET'), init);
  };
  const send = async <T>(method: string, url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> => {
    const response = await fetch(reroute(url, method), { method, headers: options?.headers, body: options?.body });
    return { headers: Object.fromEntries(response.headers), body: (await response.json()) as T, status: response.status };
  };
  const authority = `${ENTRA_AUTHORITY_HOST}/${emulator.tenantId}`;
  return {
    authorityHost: ENTRA_AUTHORITY_HOST,
    fetch: loopbackFetch,
    requests,
    msal: {
      networkClient: {
        sendGetRequestAsync: (url, options) => send('GET', url, options),
        sendPostRequestAsync: (url, options) => send('POST', url, options),
      },
      authorityMetadata: JSON.stringify({
        token_endpoint: `${authority}/oauth2/v2.0/token`,
        authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
        device_authorization_endpoint: `${authority}/oauth2/v2.0/devicecode`,
        end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
        issuer: `${authority}/v2.0`,
        jwks_uri: `${authority}/discovery/v2.0/keys`,
      }),
      cloudDiscoveryMetadata: JSON.stringify({
        tenant_discovery_endpoint: `${authority}/v2.0/.well-known/openid-configuration`,
        'api-version': '1.1',
        metadata: [{ preferred_network: 'login.microsoftonline.com', preferred_cache: 'login.windows.net', aliases: ['login.microsoftonline.com', 'login.windows.net'] }],
      }),
    },
  };
}
