/**
 * A local certificate authority and webhook signing certificate for the emulator, generated at startup and
 * kept in memory (never written to the repository). Keys come from node:crypto; node-forge only assembles and
 * signs the X.509 structures, which node:crypto cannot do.
 */
import { X509Certificate, createPrivateKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import forge from 'node-forge';

export interface IssuedCertificate {
  /** PEM of the certificate. */
  certificatePem: string;
  /** DER bytes, what a `.cer` download serves. */
  certificateDer: Buffer;
  privateKeyPem: string;
  privateKey: KeyObject;
  certificate: X509Certificate;
}

export interface CertificateOptions {
  /** Distinguished name attributes, e.g. { CN: 'pcnotifications-dispatch.emulator', O: 'Partner Center Emulator' }. */
  subject: Record<string, string>;
  notBefore?: Date;
  notAfter?: Date;
  isCertificateAuthority?: boolean;
  keyBits?: number;
  /** Authority Information Access → CA Issuers (RFC 5280 4.2.2.1): where the issuer's certificate can be fetched. */
  caIssuersUrl?: string;
}

const AIA_OID = '1.3.6.1.5.5.7.1.1';
const CA_ISSUERS_OID = '1.3.6.1.5.5.7.48.2';

/** AuthorityInfoAccessSyntax with one caIssuers AccessDescription whose location is a URI GeneralName ([6]). */
function authorityInfoAccess(url: string): forge.pki.CertificateField {
  const { asn1 } = forge;
  const value = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(CA_ISSUERS_OID).getBytes()),
      asn1.create(asn1.Class.CONTEXT_SPECIFIC, 6, false, url),
    ]),
  ]);
  return { id: AIA_OID, critical: false, value } as unknown as forge.pki.CertificateField;
}

const SHORT_NAMES: Record<string, string> = { CN: 'commonName', O: 'organizationName', OU: 'organizationalUnitName', C: 'countryName', L: 'localityName', ST: 'stateOrProvinceName' };

function attributes(subject: Record<string, string>): forge.pki.CertificateField[] {
  return Object.entries(subject).map(([key, value]) => {
    const name = SHORT_NAMES[key];
    if (!name) throw new RangeError(`Unsupported subject attribute "${key}"`);
    return { name, value };
  });
}

/** Issues a certificate signed by `issuer`, or self-signed when no issuer is given (a root CA). */
export function issueCertificate(options: CertificateOptions, issuer?: IssuedCertificate): IssuedCertificate {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: options.keyBits ?? 2048 });
  const privateKeyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();

  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKeyPem);
  // Positive serial: a leading 0x00..0x7f byte keeps the DER INTEGER positive.
  cert.serialNumber = '01' + randomBytes(15).toString('hex');
  const now = Date.now();
  cert.validity.notBefore = options.notBefore ?? new Date(now - 60_000);
  cert.validity.notAfter = options.notAfter ?? new Date(now + 365 * 24 * 3600_000);
  cert.setSubject(attributes(options.subject));
  cert.setIssuer(issuer ? forge.pki.certificateFromPem(issuer.certificatePem).subject.attributes : attributes(options.subject));
  cert.setExtensions(
    options.isCertificateAuthority
      ? [
          { name: 'basicConstraints', cA: true, critical: true },
          { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
          { name: 'subjectKeyIdentifier' },
        ]
      : [
          { name: 'basicConstraints', cA: false },
          { name: 'keyUsage', digitalSignature: true, critical: true },
          { name: 'subjectKeyIdentifier' },
        ],
  );
  if (options.caIssuersUrl) cert.setExtensions([...cert.extensions, authorityInfoAccess(options.caIssuersUrl)]);
  const signingKeyPem = issuer ? issuer.privateKeyPem : privateKeyPem;
  cert.sign(forge.pki.privateKeyFromPem(signingKeyPem), forge.md.sha256.create());

  const certificatePem = forge.pki.certificateToPem(cert);
  const certificate = new X509Certificate(certificatePem);
  return { certificatePem, certificateDer: certificate.raw, privateKeyPem, privateKey: createPrivateKey(privateKeyPem), certificate };
}

export interface WebhookSigningCertificates {
  /** The root the connector is configured to trust. */
  authority: IssuedCertificate;
  /** Issued by the root; the connector is not given it: it fetches it from the leaf's CA Issuers URL. */
  intermediate: IssuedCertificate;
  signer: IssuedCertificate;
}

/**
 * The emulator's chain, shaped like Partner Center's: "All Webhook events that you receive are digitally signed with
 * a certificate that chains to the Microsoft Root" ("Partner Center webhooks"), and the signing certificate is
 * issued by an intermediate CA, which the docs' .NET sample reaches through `certificate.Verify()` (Windows builds
 * the chain by fetching the issuer named in the certificate). The leaf names its issuer's download URL
 * (`intermediateUrl`) in its Authority Information Access extension.
 */
export function createWebhookSigningCertificates(intermediateUrl: string): WebhookSigningCertificates {
  const authority = issueCertificate({
    subject: { CN: 'Partner Center Emulator Root CA', O: 'Partner Center Emulator' },
    isCertificateAuthority: true,
  });
  const intermediate = issueCertificate(
    { subject: { CN: 'Partner Center Emulator Issuing CA 01', O: 'Partner Center Emulator' }, isCertificateAuthority: true },
    authority,
  );
  const signer = issueCertificate(
    { subject: { CN: 'pcnotifications-dispatch.emulator', O: 'Partner Center Emulator' }, caIssuersUrl: intermediateUrl },
    intermediate,
  );
  return { authority, intermediate, signer };
}
