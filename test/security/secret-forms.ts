/**
 * The shapes a secret can take in a log line: as is, URL- or form-encoded, JSON-escaped, hex, base64 and
 * base64url at every byte alignment (so `Basic base64(id:secret)` is caught too), and any 16-character piece
 * (a truncated token is still a leak).
 */
const WINDOW = 16;

export interface SecretForm {
  label: string;
  text: string;
}

/** base64 of the secret as it reads inside a longer encoded value starting `offset` bytes before it. */
function base64Inside(secret: Buffer, offset: number, encoding: 'base64' | 'base64url'): string {
  const encoded = Buffer.concat([Buffer.alloc(offset), secret]).toString(encoding);
  // The first group mixes in the bytes before the secret and the last one the bytes after it.
  return encoded.slice(offset === 0 ? 0 : 4, -4);
}

export function secretForms(secret: string): SecretForm[] {
  const bytes = Buffer.from(secret, 'utf8');
  const forms: SecretForm[] = [
    { label: 'raw', text: secret },
    { label: 'url-encoded', text: encodeURIComponent(secret) },
    { label: 'form-encoded', text: new URLSearchParams({ x: secret }).toString().slice(2) },
    { label: 'json-escaped', text: JSON.stringify(secret).slice(1, -1) },
    { label: 'hex', text: bytes.toString('hex') },
  ];
  for (const encoding of ['base64', 'base64url'] as const) {
    for (const offset of [0, 1, 2]) forms.push({ label: `${encoding}@${offset}`, text: base64Inside(bytes, offset, encoding) });
  }
  for (let i = 0; i + WINDOW <= secret.length; i++) forms.push({ label: `fragment@${i}`, text: secret.slice(i, i + WINDOW) });
  return forms;
}

export interface Leak {
  secret: string;
  form: string;
  line: string;
}

/** Each line of `output` that carries one of `secrets` (named by their keys) in any form: one leak per secret and line. */
export function findLeaks(output: string, secrets: Record<string, string>): Leak[] {
  const lines = output.split('\n');
  return Object.entries(secrets).flatMap(([name, secret]) => {
    const forms = secretForms(secret);
    return lines.flatMap((line) => {
      const form = forms.find((f) => line.includes(f.text));
      return form ? [{ secret: name, form: form.label, line: line.slice(0, 400) }] : [];
    });
  });
}
