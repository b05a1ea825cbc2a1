/** The logger's two redaction layers: by key (objects) and by value (known secrets and credential shapes). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger } from './logger.js';
import { LogSecrets, REDACTED } from './redact.js';

const SECRET = 'q8N+2f/Zk~p.R7sLw0Yv=a3';

function capture(secrets?: LogSecrets) {
  const lines: string[] = [];
  const logger = createLogger({ level: 'trace', secrets, destination: { write: (line: string) => void lines.push(line) } });
  return { logger, text: () => lines.join('') };
}

describe('logger redaction', () => {
  it('redacts credential keys in logged objects', () => {
    const { logger, text } = capture();
    logger.info({ config: { salesforce: { clientSecret: SECRET } }, headers: { authorization: `Bearer ${SECRET}` }, access_token: SECRET }, 'config');
    assert.doesNotMatch(text(), /q8N/);
    assert.match(text(), /"clientSecret":"\[redacted\]"/);
  });

  it('scrubs known secrets wherever they appear, in the encodings HTTP libraries give them', () => {
    const { logger, text } = capture(new LogSecrets([SECRET]));
    logger.error({ err: new Error(`token request failed: ${SECRET}`) }, 'login failed');
    logger.warn({ deep: { a: { b: { c: { d: { clientSecret: SECRET } } } } } }, 'nested beyond the key paths');
    logger.info(`body was grant_type=x&secret_value=${encodeURIComponent(SECRET)}`);
    logger.info({ header: Buffer.from(SECRET).toString('base64') }, 'encoded');
    logger.child({ reqId: 'req-1' }).info({ detail: `quoted "${SECRET}"` }, 'from a child logger');
    const out = text();
    assert.doesNotMatch(out, /q8N/);
    assert.equal(out.split(REDACTED).length - 1 >= 5, true, out);
    assert.match(out, /token request failed: \[redacted\]/);
  });

  it('scrubs credentials by shape, whose values are only known at run time', () => {
    const { logger, text } = capture();
    const session = '00D8d000000AbCdE!AQ4AQFh7tKkqF2p3VdXYZ.abcdEFGH_ijkl';
    logger.error(`Salesforce said INVALID_SESSION_ID for ${session}`);
    logger.warn({ detail: 'sent Authorization: Bearer eyJ0eXAiOiJKV1QiLCJhbGciOi.abc' }, 'upstream 401');
    logger.warn({ detail: 'body: client_secret=abcDEF123456&refresh_token=0.AXoAabc-def_ghi&scope=x' }, 'token call');
    logger.warn({ detail: '{"access_token":"eyJhbGciOiJSUzI1NiJ9.payload","expires_in":3600}' }, 'token response');
    const out = text();
    for (const value of ['AQ4AQFh7', 'eyJ0eXAi', 'abcDEF123456', '0.AXoAabc', 'eyJhbGciOiJSUzI1NiJ9']) assert.ok(!out.includes(value), value);
    assert.match(out, /00D8d000000AbCdE!\[redacted\]/);
    assert.match(out, /Bearer \[redacted\]/);
    assert.match(out, /client_secret=\[redacted\]&refresh_token=\[redacted\]&scope=x/);
    assert.match(out, /expires_in/);
  });

  it('leaves ordinary lines alone and ignores values too short to be secrets', () => {
    const secrets = new LogSecrets(['abc', undefined, '']);
    assert.equal(secrets.size, 0);
    const { logger, text } = capture(secrets);
    logger.info({ opportunityId: '0068d0000000001AAA', reason: 'Updated' }, 'sync request queued');
    assert.match(text(), /"opportunityId":"0068d0000000001AAA","reason":"Updated","msg":"sync request queued"/);
  });
});
