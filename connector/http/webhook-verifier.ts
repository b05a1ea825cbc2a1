/**
 * Adapts the Partner Center client's `verifyWebhookSignature` to the HTTP edge: which certificate hosts and
 * roots are trusted is decided once at start-up (live: Microsoft's host and the configured roots; sandbox: the
 * emulator's loopback host and its local CA), so the same verification code runs everywhere.
 */
import {
  CertificateCache,
  verifyWebhookSignature,
  type DistinguishedNameMatch,
  type VerificationFailure,
} from '../partner-center/webhook-signature.js';
import type { VerifyWebhook } from './types.js';

export interface WebhookTrust {
  allowedCertificateHosts: readonly string[];
  /** Plain-http loopback hosts (host:port) — only the sandbox emulator uses this. */
  insecureLoopbackHosts?: readonly string[];
  trustedRoots: readonly string[];
  intermediates?: readonly string[];
  expectedIssuer?: DistinguishedNameMatch;
  expectedSubject?: DistinguishedNameMatch;
}

/** The certificate could not be fetched: not the sender's fault, so Partner Center should deliver again. */
const RETRYABLE: ReadonlySet<VerificationFailure> = new Set(['certificate-unavailable']);

export function createWebhookVerifier(trust: WebhookTrust, options: { now?: () => Date; fetchCertificate?: (url: URL) => Promise<Uint8Array> } = {}): VerifyWebhook {
  // One cache per connector: a burst of deliveries costs one certificate download.
  const cache = new CertificateCache();
  return async ({ rawBody, headers }) => {
    const result = await verifyWebhookSignature(
      { rawBody, headers },
      {
        allowedCertificateHosts: trust.allowedCertificateHosts,
        insecureLoopbackHosts: trust.insecureLoopbackHosts,
        trustedRoots: trust.trustedRoots,
        intermediates: trust.intermediates,
        expectedIssuer: trust.expectedIssuer,
        expectedSubject: trust.expectedSubject,
        cache,
        now: options.now,
        fetchCertificate: options.fetchCertificate,
      },
    );
    if (result.valid) return { ok: true };
    return { ok: false, reason: result.reason, message: result.detail, retryable: RETRYABLE.has(result.reason) };
  };
}
