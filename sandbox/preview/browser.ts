/**
 * Debian's Chromium, driven by playwright-core (no browser download: `scripts/preview/install-browser.sh` installs
 * the `chromium` package). Each launch gets a fresh profile.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const INSTALL_HINT = `Chromium was not found at ${CHROMIUM_PATH}. Install Debian's chromium package with \`bash scripts/preview/install-browser.sh\` (as root), then run the test again.`;

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(INSTALL_HINT);
  // playwright-core creates a new temporary user-data-dir for every launch and removes it on close.
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}
