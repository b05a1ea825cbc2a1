/**
 * Authenticates a Partner Center webhook POST, following "Partner Center webhooks — How to authenticate the
 * callback" (learn.microsoft.com/partner-center/developer/partner-center-webhooks): require the
 * `Authorization: Signature <base64>`, `X-MS-Certificate-Url` and `X-MS-Signature-Algorithm` headers, fetch the
 * certificate, validate its chain and organization, and verify the RSA-SHA256 signature over the raw body.
 * (With `SignatureTokenToMsSignatureHeader` set on the registration the signature arrives in `x-ms-signature`
 * instead; both are accepted.)
 *
 * Never throws for a bad request: a forged or broken delivery yields `{ valid: false, reason }`.
 */
import { X509Certificate, createVerify } from 'node:crypto';

/**
 * Where Partner Center publishes its webhook signing certificate: the documented sample delivery carries
 * `X-MS-Certificate-Url: https://3psostorageacct.blob.core.windows.net/cert/pcnotifications-dispatch.microsoft.com.cer`
 * (learn.microsoft.com/partner-center/developer/partner-center-webhooks, "sample event").
 */
export const MICROSOFT_WEBHOOK_CERTIFICATE_HOST = '3psostorageacct.blob.core.windows.net';

/** The doc's signature-validation sample requires the certificate to be issued by "O=Microsoft Corporation". */
export const MICROSOFT_CERTIFICATE_ORGANIZATION = 'Microsoft Corporation';

/**
 * Hosts Microsoft publishes its issuing CA certificates on, as the signing certificate's Authority Information
 * Access "CA Issuers" URLs name them (Microsoft PKI repository, e.g.
 * http://www.microsoft.com/pkiops/certs/Microsoft%20Azure%20RSA%20TLS%20Issuing%20CA%2004%20-%20xsign.crt, and
 * caissuers.microsoft.com). The webhooks page does not list them: inferred from Microsoft's PKI documentation
 * (docs/partner-center-behaviours.md). An issuer is trusted only if it chains to a trusted root, so the fetch itself
 * need not be https — CA Issuers URLs are plain http by convention (RFC 5280 4.2.2.1).
 */
export const MICROSOFT_ISSUER_CERTIFICATE_HOSTS: readonly string[] = ['www.microsoft.com', 'caissuers.microsoft.com'];

/** How many issuers one verification may fetch: Microsoft's chain has one intermediate; this bounds a hostile leaf. */
const MAX_ISSUER_FETCHES = 3;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);
const MAX_CERTIFICATE_BYTES = 64 * 1024;

export type VerificationFailure =
  | 'missing-signature'
  | 'malformed-signature'
  | 'missing-certificate-url'
  | 'missing-algorithm'
  | 'unsupported-algorithm'
  | 'certificate-url-not-allowed'
  | 'certificate-unavailable'
  | 'certificate-invalid'
  | 'certificate-expired'
  | 'certificate-not-yet-valid'
  | 'untrusted-chain'
  | 'subject-mismatch'
  | 'signature-mismatch';

export type VerificationResult =
  | { valid: true; certificateUrl: string; certificate: { subject: string; issuer: string; fingerprint256: string; validTo: string } }
  | { valid: false; reason: VerificationFailure; detail: string };

export interface DistinguishedNameMatch {
  commonName?: string;
  organization?: string;
}

export interface WebhookVerificationOptions {
  /** Hosts the certificate may be fetched from over https. Default: Partner Center's certificate host. */
  allowedCertificateHosts?: readonly string[];
  /** Loopback hosts allowed over plain http: only for the sandbox emulator; non-loopback names are refused. */
  insecureLoopbackHosts?: readonly string[];
  /** PEM CA certificates the chain must end at. */
  trustedRoots: readonly string[];
  /** PEM intermediates known in advance (optional): the chain is otherwise built through each certificate's issuer. */
  intermediates?: readonly string[];
  /**
   * Hosts an issuer certificate (the leaf's Authority Information Access "CA Issuers" URL) may be fetched from.
   * Default: Microsoft's PKI hosts. Loopback hosts in `insecureLoopbackHosts` are allowed too (the sandbox).
   */
  issuerCertificateHosts?: readonly string[];
  /** Required attributes of the leaf's subject. */
  expectedSubject?: DistinguishedNameMatch;
  /** Required attributes of the leaf's issuer. */
  expectedIssuer?: DistinguishedNameMatch;
  fetchCertificate?: (url: URL) => Promise<Uint8Array>;
  cache?: CertificateCache;
  now?: () => Date;
}

/** Production settings from the documentation; the caller adds the Microsoft roots/intermediates it trusts. */
export const PARTNER_CENTER_WEBHOOK_DEFAULTS = Object.freeze({
  allowedCertificateHosts: [MICROSOFT_WEBHOOK_CERTIFICATE_HOST] as readonly string[],
  issuerCertificateHosts: MICROSOFT_ISSUER_CERTIFICATE_HOSTS,
  expectedIssuer: { organization: MICROSOFT_CERTIFICATE_ORGANIZATION } as DistinguishedNameMatch,
});

export interface WebhookRequest {
  /** The body exactly as received: the signature covers these bytes. */
  rawBody: Uint8Array | string;
  headers: Headers | Record<string, string | string[] | undefined>;
}

/** Certificates by URL, so a burst of webhooks costs one download. Bounded in size and age. */
export class CertificateCache {
  readonly #entries = new Map<string, { certificate: X509Certificate; fetchedAt: number }>();

  constructor(
    readonly maxEntries = 8,
    readonly maxAgeMs = 3600_000,
  ) {}

  get(url: string, now: number): X509Certificate | undefined {
    const entry = this.#entries.get(url);
    if (!entry) return undefined;
    if (now - entry.fetchedAt > this.maxAgeMs) {
      this.#entries.delete(url);
      return undefined;
    }
    return entry.certificate;
  }

  set(url: string, certificate: X509Certificate, now: number): void {
    this.#entries.delete(url);
    this.#entries.set(url, { certificate, fetchedAt: now });
    while (this.#entries.size > this.maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
  }
}

const defaultCache = new CertificateCache();

/** Downloads a certificate: no redirects (they could leave the allow-listed host), 5 s timeout, 64 KiB cap. */
export async function downloadCertificate(url: URL): Promise<Uint8Array> {
  const response = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(5000) });
  if (!response.ok) throw new Error(`certificate download answered ${response.status}`);
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > MAX_CERTIFICATE_BYTES) throw new Error(`certificate is ${declared} bytes, over the ${MAX_CERTIFICATE_BYTES} limit`);
  const reader = response.body?.getReader();
  if (!reader) throw new Error('certificate download had no body');
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_CERTIFICATE_BYTES) {
      await reader.cancel();
      throw new Error(`certificate is over the ${MAX_CERTIFICATE_BYTES} byte limit`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

function header(headers: WebhookRequest['headers'], name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  for (const [key, value] of Object.entries(headers as Record<string, string | string[] | undefined>)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

/** Parses "CN=a\nO=b" (node:crypto's rendering) into attribute → values. */
function distinguishedName(rendered: string): Map<string, string[]> {
  const attributes = new Map<string, string[]>();
  for (const line of rendered.split('\n')) {
    const index = line.indexOf('=');
    if (index <= 0) continue;
    const key = line.slice(0, index).trim().toUpperCase();
    attributes.set(key, [...(attributes.get(key) ?? []), line.slice(index + 1).trim()]);
  }
  return attributes;
}

function matches(rendered: string, expected: DistinguishedNameMatch | undefined): boolean {
  if (!expected) return true;
  const dn = distinguishedName(rendered);
  if (expected.commonName !== undefined && !(dn.get('CN') ?? []).includes(expected.commonName)) return false;
  if (expected.organization !== undefined && !(dn.get('O') ?? []).includes(expected.organization)) return false;
  return true;
}

function validity(certificate: X509Certificate, now: Date): VerificationFailure | undefined {
  if (now.getTime() < Date.parse(certificate.validFrom)) return 'certificate-not-yet-valid';
  if (now.getTime() > Date.parse(certificate.validTo)) return 'certificate-expired';
  return undefined;
}

/** The certificate's Authority Information Access "CA Issuers" URLs (node:crypto renders `CA Issuers - URI:<url>`). */
export function caIssuersUrls(certificate: X509Certificate): string[] {
  return [...(certificate.infoAccess ?? '').matchAll(/CA Issuers - URI:(\S+)/g)].map((m) => m[1]);
}

/** DER (the usual .crt/.cer) or PEM. */
function parseCertificate(bytes: Uint8Array): X509Certificate {
  return new X509Certificate(Buffer.from(bytes));
}

interface ChainContext {
  roots: X509Certificate[];
  intermediates: X509Certificate[];
  now: Date;
  /** Fetches the issuer named at `url`, or explains why it may not or could not. */
  fetchIssuer: (url: string) => Promise<X509Certificate | string>;
}

const describe = (certificate: X509Certificate) => certificate.subject.replace(/\n/g, ', ');

/**
 * Walks leaf → issuer → … → trusted root, checking issuer names, signatures, CA flags and validity. An issuer not
 * known in advance is fetched from the certificate's CA Issuers URL (allow-listed hosts only, cached), the way the
 * docs' sample's `certificate.Verify()` builds the chain on Windows; it counts only if it really issued the
 * certificate and itself chains to a trusted root.
 */
async function chainsToTrustedRoot(leaf: X509Certificate, context: ChainContext): Promise<string | undefined> {
  const { roots, intermediates, now } = context;
  let current = leaf;
  let fetched = 0;
  for (let depth = 0; depth < 6; depth += 1) {
    const root = roots.find((r) => r.fingerprint256 === current.fingerprint256 || (current.checkIssued(r) && current.verify(r.publicKey)));
    if (root) return validity(root, now) ? `trusted root ${describe(root)} is not currently valid` : undefined;
    let issuer = intermediates.find((i) => i.ca && current.checkIssued(i) && current.verify(i.publicKey));
    if (!issuer) {
      const urls = caIssuersUrls(current);
      if (urls.length === 0) return `no trusted issuer for ${describe(current)} (and it names no CA Issuers URL)`;
      const problems: string[] = [];
      for (const url of urls) {
        if (fetched >= MAX_ISSUER_FETCHES) return `no trusted issuer for ${describe(current)} within ${MAX_ISSUER_FETCHES} issuer downloads`;
        fetched += 1;
        const candidate = await context.fetchIssuer(url);
        if (typeof candidate === 'string') problems.push(candidate);
        else if (!candidate.ca || !current.checkIssued(candidate) || !current.verify(candidate.publicKey)) problems.push(`${url} is not the issuer of ${describe(current)}`);
        else {
          issuer = candidate;
          break;
        }
      }
      if (!issuer) return `no trusted issuer for ${describe(current)}: ${problems.join('; ')}`;
    }
    if (validity(issuer, now)) return `intermediate ${describe(issuer)} is not currently valid`;
    current = issuer;
  }
  return 'certificate chain is too long';
}

class IssuerUnavailable extends Error {}

function issuerUrlAllowed(raw: string, options: WebhookVerificationOptions): URL | string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `CA Issuers URL '${raw}' is not an absolute URL`;
  }
  if (url.username || url.password) return 'a CA Issuers URL must not carry credentials';
  const allowed = (options.issuerCertificateHosts ?? MICROSOFT_ISSUER_CERTIFICATE_HOSTS).map((h) => h.toLowerCase());
  const hostMatches = (list: readonly string[]) => list.includes(url.host.toLowerCase()) || list.includes(url.hostname.toLowerCase());
  if ((url.protocol === 'https:' || url.protocol === 'http:') && hostMatches(allowed)) return url;
  const insecure = (options.insecureLoopbackHosts ?? []).map((h) => h.toLowerCase());
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname.toLowerCase()) && hostMatches(insecure)) return url;
  return `CA Issuers URL ${url.origin} is not on the allow-list (${allowed.join(', ')})`;
}

function checkCertificateUrl(raw: string, options: WebhookVerificationOptions): URL | string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `'${raw}' is not an absolute URL`;
  }
  if (url.username || url.password) return 'the certificate URL must not carry credentials';
  const allowed = (options.allowedCertificateHosts ?? [MICROSOFT_WEBHOOK_CERTIFICATE_HOST]).map((h) => h.toLowerCase());
  const hostMatches = (list: readonly string[]) => list.includes(url.host.toLowerCase()) || list.includes(url.hostname.toLowerCase());
  if (url.protocol === 'https:' && hostMatches(allowed)) return url;
  const insecure = (options.insecureLoopbackHosts ?? []).map((h) => h.toLowerCase());
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname.toLowerCase()) && hostMatches(insecure)) return url;
  return `certificate URL ${url.origin} is not on the allow-list (${allowed.join(', ')})`;
}

function fail(reason: VerificationFailure, detail: string): VerificationResult {
  return { valid: false, reason, detail };
}

export async function verifyWebhookSignature(request: WebhookRequest, options: WebhookVerificationOptions): Promise<VerificationResult> {
  for (const host of options.insecureLoopbackHosts ?? []) {
    const name = host.replace(/:\d+$/, '').toLowerCase();
    if (!LOOPBACK_HOSTS.has(name)) throw new TypeError(`insecureLoopbackHosts may only name loopback hosts, got "${host}"`);
  }
  const now = (options.now ?? (() => new Date()))();

  const authorization = header(request.headers, 'authorization') ?? header(request.headers, 'x-ms-signature');
  if (!authorization) return fail('missing-signature', 'The Authorization: Signature header is missing.');
  const signatureMatch = /^Signature\s+([A-Za-z0-9+/]+={0,2})$/i.exec(authorization.trim());
  if (!signatureMatch) return fail('malformed-signature', "The signature header must be 'Signature <base64>'.");
  const certificateUrlHeader = header(request.headers, 'x-ms-certificate-url');
  if (!certificateUrlHeader) return fail('missing-certificate-url', 'The X-MS-Certificate-Url header is missing.');
  const algorithm = header(request.headers, 'x-ms-signature-algorithm');
  if (!algorithm) return fail('missing-algorithm', 'The X-MS-Signature-Algorithm header is missing.');
  if (algorithm.trim().toLowerCase() !== 'rsa-sha256') return fail('unsupported-algorithm', `Signature algorithm '${algorithm}' is not rsa-sha256.`);

  const url = checkCertificateUrl(certificateUrlHeader.trim(), options);
  if (typeof url === 'string') return fail('certificate-url-not-allowed', url);

  const cache = options.cache ?? defaultCache;
  let certificate = cache.get(url.href, now.getTime());
  if (!certificate) {
    let bytes: Uint8Array;
    try {
      bytes = await (options.fetchCertificate ?? downloadCertificate)(url);
    } catch (error) {
      return fail('certificate-unavailable', `Could not fetch ${url.href}: ${(error as Error).message}`);
    }
    try {
      certificate = new X509Certificate(Buffer.from(bytes));
    } catch (error) {
      return fail('certificate-invalid', `The certificate at ${url.href} could not be parsed: ${(error as Error).message}`);
    }
    cache.set(url.href, certificate, now.getTime());
  }

  const period = validity(certificate, now);
  if (period) return fail(period, `The signing certificate is valid from ${certificate.validFrom} to ${certificate.validTo}.`);
  let roots: X509Certificate[];
  let intermediates: X509Certificate[];
  try {
    roots = options.trustedRoots.map((pem) => new X509Certificate(pem));
    intermediates = (options.intermediates ?? []).map((pem) => new X509Certificate(pem));
  } catch (error) {
    throw new TypeError(`A configured trusted root or intermediate is not a valid certificate: ${(error as Error).message}`);
  }
  const issuerCache = options.cache ?? defaultCache;
  const chainProblem = await chainsToTrustedRoot(certificate, {
    roots,
    intermediates,
    now,
    fetchIssuer: async (raw) => {
      const url = issuerUrlAllowed(raw, options);
      if (typeof url === 'string') return url;
      const cached = issuerCache.get(url.href, now.getTime());
      if (cached) return cached;
      try {
        const issuer = parseCertificate(await (options.fetchCertificate ?? downloadCertificate)(url));
        issuerCache.set(url.href, issuer, now.getTime());
        return issuer;
      } catch (error) {
        // Not the sender's fault: answered as certificate-unavailable, so Partner Center delivers again.
        throw new IssuerUnavailable(`Could not fetch the issuer certificate at ${url.href}: ${(error as Error).message}`);
      }
    },
  }).catch((error: unknown) => {
    if (error instanceof IssuerUnavailable) return error;
    throw error;
  });
  if (chainProblem instanceof IssuerUnavailable) return fail('certificate-unavailable', chainProblem.message);
  if (chainProblem) return fail('untrusted-chain', `The signing certificate is not trusted: ${chainProblem}.`);
  if (!matches(certificate.subject, options.expectedSubject) || !matches(certificate.issuer, options.expectedIssuer)) {
    return fail('subject-mismatch', `Unexpected certificate subject '${certificate.subject.replace(/\n/g, ', ')}' / issuer '${certificate.issuer.replace(/\n/g, ', ')}'.`);
  }
  if (certificate.publicKey.asymmetricKeyType !== 'rsa') return fail('certificate-invalid', 'The signing certificate does not hold an RSA key.');

  const body = typeof request.rawBody === 'string' ? Buffer.from(request.rawBody, 'utf8') : request.rawBody;
  const ok = createVerify('RSA-SHA256').update(body).verify(certificate.publicKey, Buffer.from(signatureMatch[1], 'base64'));
  if (!ok) return fail('signature-mismatch', 'The signature does not match the body.');
  return {
    valid: true,
    certificateUrl: url.href,
    certificate: { subject: certificate.subject, issuer: certificate.issuer, fingerprint256: certificate.fingerprint256, validTo: certificate.validTo },
  };
}
