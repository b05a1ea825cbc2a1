/** The token cache file: written whole, only for its owner, and never through a planted file or link. */
import assert from 'node:assert/strict';
import { lstatSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { FileCredentialPersistence } from './token-cache-file.js';

const dir = mkdtempSync(path.join(tmpdir(), 'cosell-token-cache-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('FileCredentialPersistence', () => {
  it('writes the cache for its owner only and leaves no temporary file', async () => {
    const file = path.join(dir, 'a', 'pc-token.json');
    await new FileCredentialPersistence(file).save('{"RefreshToken":{}}');
    assert.equal(readFileSync(file, 'utf8'), '{"RefreshToken":{}}');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(path.dirname(file)), ['pc-token.json']);
  });

  it('does not write through a link planted at the old predictable temporary name, nor through the cache path', async () => {
    const file = path.join(dir, 'pc-token.json');
    const victim = path.join(dir, 'victim.txt');
    writeFileSync(victim, 'untouched');
    symlinkSync(victim, `${file}.${process.pid}.tmp`);
    symlinkSync(victim, file);
    await new FileCredentialPersistence(file).save('{"secret":"refresh"}');
    assert.equal(readFileSync(victim, 'utf8'), 'untouched');
    assert.ok(!lstatSync(file).isSymbolicLink(), 'the link was replaced by the cache file');
    assert.equal(readFileSync(file, 'utf8'), '{"secret":"refresh"}');
  });
});
