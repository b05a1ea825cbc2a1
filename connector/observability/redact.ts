/**
 * Value scrubbing for log lines, the second line of defence behind pino's key-based redaction: a secret that
 * reaches a log inside a string (an error message quoting a request body, a header in a nested `cause`) is
 * replaced wherever it appears. Two kinds of value are caught: the connector's known secrets (configuration and
 * stand-in credentials, as they are and in the encodings an HTTP library gives them), and credentials by shape
 * (`Bearer …`, `Basic …`, OAuth form fields, Salesforce session ids), whose values are issued at run time.
 */

export const REDACTED = '[redacted]';

/** Shorter values are not scrubbed: they would blank out ordinary words, and no real credential is that short. */
const MIN_SECRET_LENGTH = 8;

/** Credentials recognisable by their shape; group 1 (the label) is kept, the value after it is replaced. */
const SHAPES: readonly RegExp[] = [
  // Authorization schemes, as header values or quoted inside messages.
  /\b((?:Bearer|Basic)\s+)[A-Za-z0-9._~+/=!-]{8,}/gi,
  // OAuth form fields and query parameters (token requests, redirect URLs).
  /\b((?:client_secret|client_assertion|refresh_token|access_token|id_token|assertion|password)=)[^&\s"\\]+/gi,
  // The same fields as JSON members inside a message string (escaped quotes included).
  /((?:\\?")(?:client_secret|client_assertion|refresh_token|access_token|id_token|assertion|password)\\?"\s*:\s*\\?")[^"\\]+/gi,
  // Salesforce session ids: the org id, "!", then the session part.
  /\b(00D[A-Za-z0-9]{12,15}!)[A-Za-z0-9._-]{20,}/g,
];

/** How a known secret may be written in a JSON log line. */
function spellings(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  return [
    JSON.stringify(secret).slice(1, -1),
    encodeURIComponent(secret),
    new URLSearchParams({ v: secret }).toString().slice(2),
    bytes.toString('base64').replace(/=+$/, ''),
    bytes.toString('base64url'),
  ];
}

/** The secrets to scrub; more can be added once known (e.g. the sandbox stand-ins' credentials). */
export class LogSecrets {
  #spellings: string[] = [];

  constructor(secrets: Iterable<string | undefined> = []) {
    this.add(...secrets);
  }

  add(...secrets: (string | undefined)[]): void {
    const next = new Set(this.#spellings);
    for (const secret of secrets) {
      if (typeof secret !== 'string' || secret.trim().length < MIN_SECRET_LENGTH) continue;
      // A PEM key is also scrubbed line by line: a message may quote part of it.
      const parts = secret.includes('-----BEGIN') ? secret.split(/\r?\n/).filter((line) => line.length >= MIN_SECRET_LENGTH && !line.startsWith('-----')) : [];
      for (const value of [secret, ...parts]) for (const spelling of spellings(value)) next.add(spelling);
    }
    // Longest first, so a secret that contains another is replaced whole.
    this.#spellings = [...next].sort((a, b) => b.length - a.length);
  }

  get size(): number {
    return this.#spellings.length;
  }

  /** The line with every known secret and every credential-shaped value replaced by [redacted]. */
  scrub(line: string): string {
    let out = line;
    for (const spelling of this.#spellings) if (out.includes(spelling)) out = out.split(spelling).join(REDACTED);
    for (const shape of SHAPES) out = out.replace(shape, (_match, label: string) => `${label}${REDACTED}`);
    return out;
  }
}
