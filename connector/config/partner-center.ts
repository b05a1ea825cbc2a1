/**
 * Builds the Partner Center side of the connector from configuration: the client with its token provider and
 * the webhook trust settings — MSAL App+User with a persisted token cache and Microsoft's certificate host. (The
 * sandbox points the same client and signature check at its emulator: sandbox/stack/partner-center.ts.)
 */
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import type { WebhookTrust } from '../partner-center/webhook-verifier.js';
import { PartnerCenterClient } from '../partner-center/client.js';
import { MsalTokenProvider } from '../partner-center/msal-token-provider.js';
import type { AccessTokenOptions, CredentialPersistence, TokenProvider } from '../partner-center/token-provider.js';
import { PARTNER_CENTER_WEBHOOK_DEFAULTS } from '../partner-center/webhook-signature.js';
import { FileCredentialPersistence } from './token-cache-file.js';
import type { PartnerCenterConfig } from './types.js';

/**
 * MSAL only renews from its cache; a refresh token given in the environment seeds that cache on first use (and
 * again after a failed attempt), so a Microsoft Entra outage at start-up delays sync instead of stopping it.
 */
class SeededTokenProvider implements TokenProvider {
  #seeded = false;

  constructor(
    private readonly msal: MsalTokenProvider,
    private readonly persistence: CredentialPersistence,
    private readonly refreshToken: string | undefined,
  ) {}

  async getAccessToken(options?: AccessTokenOptions): Promise<string> {
    if (!this.#seeded) {
      if (this.refreshToken && !(await this.persistence.load())) await this.msal.importRefreshToken(this.refreshToken);
      this.#seeded = true;
    }
    return this.msal.getAccessToken(options);
  }
}

export function livePartnerCenterClient(config: PartnerCenterConfig): PartnerCenterClient {
  const persistence = new FileCredentialPersistence(config.tokenCacheFile!);
  const msal = new MsalTokenProvider({
    clientId: config.clientId!,
    clientSecret: config.clientSecret,
    tenantId: config.tenantId!,
    authorityHost: config.authorityHost,
    persistence,
  });
  return new PartnerCenterClient({
    tokenProvider: new SeededTokenProvider(msal, persistence, config.refreshToken),
    referralsBaseUrl: config.apiBaseUrl,
    webhooksBaseUrl: config.webhooksBaseUrl,
  });
}

/** PEM blocks of a bundle file. */
function pemCertificates(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

/**
 * Microsoft's signing certificate must come from the configured host, be issued to Microsoft Corporation, and
 * chain to a trusted root (Node's root store plus the configured bundle). The downloaded .cer holds only the leaf:
 * its issuer is fetched from the leaf's CA Issuers URL on Microsoft's PKI hosts and cached; the bundle may carry
 * intermediates in advance, but need not.
 */
export function liveWebhookTrust(config: PartnerCenterConfig): WebhookTrust {
  const bundle = config.webhookTrustedRootsFile ? pemCertificates(config.webhookTrustedRootsFile) : [];
  return {
    allowedCertificateHosts: config.webhookCertificateHosts,
    trustedRoots: [...rootCertificates, ...bundle],
    intermediates: bundle,
    issuerCertificateHosts: PARTNER_CENTER_WEBHOOK_DEFAULTS.issuerCertificateHosts,
    expectedIssuer: PARTNER_CENTER_WEBHOOK_DEFAULTS.expectedIssuer,
  };
}
