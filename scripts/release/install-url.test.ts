import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../lib/paths.js';
import { EXIT_OK, EXIT_USAGE, UsageError } from '../org/args.js';
import { recordingIo } from '../org/test-support.js';
import { installUrls, main, validatePackageVersionId } from './install-url.js';

// "0AbCd" has capitals at positions 1 and 3 of its chunk: 2 + 8 = 10 → "K"; the other chunks are all lower case.
const ID15 = '04t5g000000AbCd';
const ID18 = '04t5g000000AbCdAAK';

describe('package version ids', () => {
  it('accepts an 18-character id as is', () => {
    assert.equal(validatePackageVersionId(ID18), ID18);
    assert.equal(validatePackageVersionId(` ${ID18}\n`), ID18);
  });

  it('turns a 15-character id into its 18-character form', () => {
    assert.equal(validatePackageVersionId(ID15), ID18);
  });

  it('restores the letter case of an 18-character id that lost it', () => {
    assert.equal(validatePackageVersionId(ID18.toLowerCase()), ID18);
    assert.equal(validatePackageVersionId(ID18.toUpperCase()), ID18);
  });

  const rejects: [string, string, RegExp][] = [
    ['a package id', '0Ho5g000000AbCdAAK', /must start with 04t \(0Ho… is the package id/],
    ['an opportunity id', '0065g000000AbCdAAK', /must start with 04t/],
    ['too short', '04t5g000000AbC', /has 14 characters; a package version id has 15 or 18/],
    ['16 characters', '04t5g000000AbCdA', /has 16 characters/],
    ['too long', `${ID18}X`, /has 19 characters/],
    ['a wrong checksum', '04t5g000000AbCdAAB', /last three characters \(AAB\) do not match the first 15 \(expected AAK\)/],
    ['a checksum that does not match a changed letter case', '04t5g000000ABCdAAK', /do not match the first 15 \(expected AAO\)/],
    ['punctuation', '04t5g000000-bCdAAK', /only letters and digits/],
    ['a URL', `https://login.salesforce.com/packaging/installPackage.apexp?p0=${ID18}`, /only letters and digits/],
  ];
  for (const [what, id, message] of rejects) {
    it(`rejects ${what}`, () => {
      assert.throws(() => validatePackageVersionId(id), (error: Error) => error instanceof UsageError && message.test(error.message));
    });
  }
});

describe('install-url', () => {
  it('prints the production and sandbox URLs', async () => {
    assert.deepEqual(installUrls(ID15), {
      id: ID18,
      production: `https://login.salesforce.com/packaging/installPackage.apexp?p0=${ID18}`,
      sandbox: `https://test.salesforce.com/packaging/installPackage.apexp?p0=${ID18}`,
    });
    const io = recordingIo();
    assert.equal(await main([ID18], io), EXIT_OK);
    assert.match(io.stdout(), /Production and Developer Edition orgs: https:\/\/login\.salesforce\.com\/packaging\/installPackage\.apexp\?p0=04t5g000000AbCdAAK\n/);
    assert.match(io.stdout(), /Sandboxes: +https:\/\/test\.salesforce\.com\/packaging\/installPackage\.apexp\?p0=04t5g000000AbCdAAK\n/);
  });

  it('--json prints the same as JSON', async () => {
    const io = recordingIo();
    assert.equal(await main(['--json', ID18], io), EXIT_OK);
    assert.deepEqual(JSON.parse(io.stdout()), installUrls(ID18));
  });

  for (const [argv, message] of [
    [[], /the package version id \(04t…\) is missing/],
    [[ID18, ID18], /unexpected argument/],
    [['--sandbox', ID18], /Unknown option '--sandbox'/],
    [['04t123'], /has 6 characters/],
  ] as const) {
    it(`exits 2 for ${argv.join(' ') || 'no arguments'}`, async () => {
      const io = recordingIo();
      assert.equal(await main([...argv], io), EXIT_USAGE);
      assert.match(io.stderr(), message);
      assert.match(io.stderr(), /^install-url: /);
      assert.equal(io.stdout(), '');
    });
  }

  it('as a process: exit 2 and the message on stderr for a bad id, 0 and the URLs for a good one', () => {
    const run = (id: string) =>
      spawnSync(process.execPath, ['--import', 'tsx', path.join('scripts', 'release', 'install-url.ts'), id], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    const bad = run('04t5g000000AbCdAAB');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /do not match the first 15/);
    const good = run(ID15);
    assert.equal(good.status, 0, good.stderr);
    assert.match(good.stdout, /test\.salesforce\.com\/packaging\/installPackage\.apexp\?p0=04t5g000000AbCdAAK/);
  });
});
