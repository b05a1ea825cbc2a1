/**
 * docs/SELLER.md against the repository: every picture it shows exists under docs/ as a small PNG, the pictures
 * are exactly those `npm run docs:screenshots` takes (so none is stale or missing from the script), and its links
 * lead somewhere: other docs exist, and `#anchors` name one of its headings.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import GithubSlugger from 'github-slugger';
import MarkdownIt, { type Token } from 'markdown-it';
import { ROOT } from '../lib/paths.js';
import { MAX_IMAGE_BYTES, SELLER_IMAGES } from './seller-images.js';

const DOCS = path.join(ROOT, 'docs');
const tokens = MarkdownIt().parse(readFileSync(path.join(DOCS, 'SELLER.md'), 'utf8'), {});
const inline = tokens.flatMap((token) => token.children ?? []);
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const images = inline.filter((t) => t.type === 'image').map((t) => ({ src: String(t.attrGet('src') ?? ''), alt: t.content }));
const links = inline.filter((t) => t.type === 'link_open').map((t) => String(t.attrGet('href') ?? ''));

function headingSlugs(all: Token[]): Set<string> {
  const slugger = new GithubSlugger();
  const slugs = new Set<string>();
  all.forEach((token, i) => {
    if (token.type === 'heading_open') slugs.add(slugger.slug(all[i + 1]?.content ?? ''));
  });
  return slugs;
}

describe('docs/SELLER.md', () => {
  it('shows each picture the docs:screenshots script takes, once, with a description', () => {
    assert.deepEqual(images.map((i) => i.src).sort(), Object.values(SELLER_IMAGES).map((name) => `images/${name}`).sort());
    for (const image of images) assert.ok(image.alt.length >= 20, `${image.src} has alternative text that says what it shows`);
  });

  for (const name of Object.values(SELLER_IMAGES)) {
    it(`images/${name} exists, is a PNG and is under ${MAX_IMAGE_BYTES / 1024} KB`, () => {
      const file = path.join(DOCS, 'images', name);
      assert.ok(existsSync(file), `${path.relative(ROOT, file)} is missing: run npm run docs:screenshots`);
      assert.deepEqual(readFileSync(file).subarray(0, PNG_SIGNATURE.length), PNG_SIGNATURE, `${name} is a PNG`);
      assert.ok(statSync(file).size <= MAX_IMAGE_BYTES, `${name} is ${Math.round(statSync(file).size / 1024)} KB`);
    });
  }

  it('links only to headings of the page and to files that exist', () => {
    const slugs = headingSlugs(tokens);
    assert.ok(links.length > 0);
    for (const href of links) {
      if (/^https?:/.test(href)) continue;
      const [file, anchor] = href.split('#');
      if (file) assert.ok(existsSync(path.join(DOCS, file)), `${href}: docs/${file} exists`);
      else assert.ok(slugs.has(anchor), `${href} names a heading of SELLER.md (${[...slugs].join(', ')})`);
    }
  });
});
