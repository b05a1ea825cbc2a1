/**
 * `npm run docs:screenshots`: takes the pictures of docs/SELLER.md from the real product on loopback — the local
 * org with its demo data, the Partner Center emulator and the connector as `cosell start` runs it, and the card in
 * Chromium through the component preview. The seller works in the card; the connector really syncs with the
 * emulator, and a Microsoft seller shares and accepts deals on the emulator's side. Each picture is taken once the
 * card shows the state it illustrates (the script fails, naming the state, if it never does), cropped to the
 * component, and written to docs/images/ (PNG, at most 200 KB each).
 *
 * Needs Chromium (`npm run install:browser`). Takes about a minute once the components are bundled.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { loadConfig } from '../../connector/config/load.js';
import { createLogger } from '../../connector/observability/logger.js';
import type { RunningConnector } from '../../connector/service.js';
import { ACTIVE_STAGE, WON_STAGE, startLocalOrg, type LocalOrg } from '../../sandbox/org/index.js';
import { startPartnerCenterEmulator, type PartnerCenterEmulator } from '../../sandbox/partner-center/emulator.js';
import { startSandboxConnector } from '../../sandbox/stack/connector.js';
import { launchChromium } from '../../sandbox/preview/browser.js';
import { startPreview, type Preview } from '../../sandbox/preview/index.js';
import { labelsFor } from '../../sandbox/preview/labels.js';
import { ROOT } from '../lib/paths.js';
import { MAX_IMAGE_BYTES, SELLER_IMAGES, type SellerImage } from './seller-images.js';

const IMAGES_DIR = path.join(ROOT, 'docs', 'images');
const L = labelsFor('en_US');
const WAIT_MS = 30_000;

interface Product {
  org: LocalOrg;
  pc: PartnerCenterEmulator;
  connector: RunningConnector;
  preview: Preview;
  browser: Browser;
}

/** Everything this run started, stopped in reverse order. */
const cleanups: Array<() => Promise<void> | void> = [];
/** Uncaught errors and console errors of every page opened. */
const problems: string[] = [];
const written: Array<{ file: string; bytes: number }> = [];

async function startProduct(): Promise<Product> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'cosell-docs-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const org = await startLocalOrg({ seed: true });
  cleanups.push(() => org.close());
  const pc = await startPartnerCenterEmulator();
  cleanups.push(() => pc.close());
  const config = loadConfig({
    env: { COSELL_MODE: 'sandbox' },
    overrides: {
      http: { host: '127.0.0.1', port: 0 },
      store: { path: path.join(dataDir, 'cosell.sqlite') },
      // Short polls so each change shows on the card within a second, as in the end-to-end tests.
      worker: { pollIntervalMs: 25, retryBaseMs: 100, retryCapMs: 400, maxAttempts: 4, leaseMs: 5000, concurrency: 4 },
      sweeps: { enabled: false },
      log: { level: 'silent' },
    },
  });
  const connector = await startSandboxConnector(config, { logger: createLogger({ level: 'silent' }), sandbox: { org, partnerCenter: pc } });
  cleanups.push(() => connector.close());
  const preview = await startPreview({ org });
  cleanups.push(() => preview.close());
  const browser = await launchChromium();
  cleanups.push(() => browser.close());
  return { org, pc, connector, preview, browser };
}

async function openCard(product: Product, recordId: string): Promise<Page> {
  // The card keeps the record page's sidebar width (the preview's default); the page is wide enough for toasts to
  // show clear of it, and tall enough for the whole card.
  const context = await product.browser.newContext({ viewport: { width: 1400, height: 2000 }, deviceScaleFactor: 1 });
  cleanups.push(() => context.close().catch(() => undefined));
  const page = await context.newPage();
  page.on('pageerror', (error) => problems.push(`${recordId}: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`${recordId}: console.error: ${message.text()}`);
  });
  const response = await page.goto(product.preview.pageUrl('partnerCenterCard', { recordId, user: 'seller' }), { timeout: 180_000 });
  if (response?.status() !== 200) throw new Error(`the card's page for ${recordId} answered ${response?.status()}: ${await response?.text()}`);
  await page.locator('html[data-preview-mounted="true"]').waitFor({ timeout: 180_000 });
  await page.locator('c-partner-center-card .status-text').waitFor({ timeout: WAIT_MS });
  return page;
}

/** Waits until the card shows `what`; on failure says what it shows instead. */
async function shows(page: Page, locator: Locator, what: string): Promise<void> {
  try {
    await locator.first().waitFor({ timeout: WAIT_MS });
  } catch {
    const visible = await page.locator('#preview-root').innerText().catch(() => '(page closed)');
    throw new Error(`the card never showed ${what}. It shows:\n${visible.replace(/\s+\n/g, '\n').slice(0, 1500)}`);
  }
}

async function until<T>(read: () => T, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const value = read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last value ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Icons render once their template library has loaded; until then they are empty. */
async function iconsDrawn(page: Page): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const empty = await page.locator('#preview-root svg > use').evaluateAll((uses) => uses.filter((use) => !use.getAttribute('href')).length);
    if (empty === 0) return;
    if (Date.now() > deadline) throw new Error(`${empty} icon(s) never rendered`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Photographs `target` (an element, or the box from the top of one element to the bottom of another). */
async function picture(target: Locator | { from: Locator; to: Locator }, name: SellerImage, options: { keepFocus?: boolean } = {}): Promise<void> {
  const page = 'from' in target ? target.from.page() : target.page();
  // A click on the empty page beside the card takes the focus ring off the control used last.
  if (!options.keepFocus) await page.mouse.click(1300, 1900);
  await iconsDrawn(page);
  const file = path.join(IMAGES_DIR, name);
  if ('from' in target) {
    const [top, bottom] = [await target.from.boundingBox(), await target.to.boundingBox()];
    if (!top || !bottom) throw new Error(`${name}: what to photograph is not on the page`);
    const clip = { x: top.x, y: top.y, width: Math.max(top.width, bottom.width), height: bottom.y + bottom.height - top.y };
    await page.screenshot({ path: file, clip, animations: 'disabled', caret: 'hide' });
  } else {
    await target.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
  }
  const bytes = statSync(file).size;
  if (bytes > MAX_IMAGE_BYTES) throw new Error(`${name} is ${Math.round(bytes / 1024)} KB; pictures in docs/ must stay under ${MAX_IMAGE_BYTES / 1024} KB`);
  written.push({ file, bytes });
}

const card = (page: Page) => page.locator('#preview-root');
const statusIs = (page: Page, icon: 'success' | 'error') => page.locator(`c-partner-center-card .status-icon[icon-name="utility:${icon}"]`);

async function openAuditTrail(page: Page): Promise<void> {
  await page.getByRole('button', { name: L.PC_Card_Audit_Heading }).click();
  await shows(page, page.locator('c-partner-center-card .audit-line'), 'the audit trail');
}

async function chooseHelp(page: Page, option: string): Promise<void> {
  await page.getByRole('combobox', { name: L.PC_Card_Help_Label }).click();
  await page.getByRole('option', { name: option }).click();
}

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** A deal the seller shares: switched on, synced, then a co-sell request Microsoft accepts. */
async function sharedDeal(product: Product): Promise<void> {
  const { org, pc } = product;
  const seeded = org.seeded!;
  const as = { as: 'seller' };
  const id = org.control.records.create(
    'Opportunity',
    { Name: 'Contoso - Copilot rollout', AccountId: seeded.accounts.contoso, StageName: 'Prospecting', CloseDate: inDays(75), Amount: 180_000, CurrencyIsoCode: 'USD' },
    as
  );
  org.control.records.create('OpportunityContactRole', { OpportunityId: id, ContactId: seeded.contacts.dana, Role: 'Decision Maker', IsPrimary: true }, as);
  org.control.records.create(
    'Microsoft_Solution__c',
    { Opportunity__c: id, Solution_Id__c: 'SOL-10482-LZA', Solution_Name__c: 'Litware Azure Landing Zone Accelerator', Publisher_Name__c: 'Litware Inc.', Solution_Detail__c: seeded.solutionDetails['SOL-10482-LZA'] },
    as
  );
  const page = await openCard(product, id);
  await shows(page, page.getByText(L.PC_Card_Status_Off), 'the not-synced status');
  await picture(card(page), SELLER_IMAGES.notSynced);

  // Partner Center answering slowly keeps the card on "pending" long enough to be photographed.
  pc.control.faults.set({ latencyMs: 3000 });
  await page.locator('c-partner-center-card .sync-toggle label').first().click();
  await shows(page, page.locator('c-partner-center-card .pending-spinner'), 'the pending status');
  await picture(card(page), SELLER_IMAGES.pending);
  pc.control.faults.set({ latencyMs: 0 });

  await shows(page, statusIs(page, 'success'), 'the ✔ after the connector created the referral');
  await until(() => org.control.records.get(id)?.Referral_Id__c, Boolean, 'the referral id on the opportunity');
  await shows(page, page.locator('c-partner-center-card .referral-link a'), 'the referral link');
  await openAuditTrail(page);
  await picture(card(page), SELLER_IMAGES.synced);

  await chooseHelp(page, 'Customer technical architecture');
  const dialog = page.locator('section.slds-modal[role="alertdialog"]');
  await shows(page, dialog, 'the question before sharing the deal');
  await picture({ from: dialog.locator('.slds-modal__header'), to: dialog.locator('.slds-modal__footer') }, SELLER_IMAGES.askHelp, { keepFocus: true });
  await dialog.getByRole('button', { name: 'OK' }).click();
  await until(
    () => org.control.records.get(id),
    (r) => r?.Microsoft_Help__c === 'CustomerTechnicalArchitecture' && r.Visible_To_Microsoft_Sellers__c === true && r.Partner_Center_Sync_Status__c === 'Synced',
    'the co-sell request to be saved and synced'
  );
  // Microsoft's seller accepts the co-sell request and records the deal in Microsoft's CRM.
  const referralId = String(org.control.records.get(id)?.Referral_Id__c);
  pc.control.seller.accept(referralId, { microsoftMsxId: '7-3KQ9ZX1AB' });
  await shows(page, page.locator('c-partner-center-card .crm-id').getByText('7-3KQ9ZX1AB'), "Microsoft's CRM id");
  await shows(page, page.locator('c-partner-center-card .visible-locked'), 'the locked visibility switch');
  await shows(page, statusIs(page, 'success'), 'the ✔');
  await picture(card(page), SELLER_IMAGES.coSell);
}

/** A deal not ready for co-sell (no contact role, no solution, no country), then the catalog search. */
async function dealMissingPrerequisites(product: Product): Promise<void> {
  const { org } = product;
  const id = org.control.records.create(
    'Opportunity',
    { Name: 'Tailspin - Surface devices', AccountId: org.seeded!.accounts.tailspin, StageName: 'Prospecting', CloseDate: inDays(45), Amount: 60_000, CurrencyIsoCode: 'USD' },
    { as: 'seller' }
  );
  const page = await openCard(product, id);
  await chooseHelp(page, 'Proof of concept or demo');
  await shows(page, page.locator('c-partner-center-card .blocked-message'), 'the co-sell checklist');
  await picture(card(page), SELLER_IMAGES.checklist);

  await page.getByRole('searchbox', { name: L.PC_Sol_Search_Label }).fill('Litware');
  const entries = page.locator('c-partner-center-solutions .catalog-entry');
  const deadline = Date.now() + WAIT_MS;
  while ((await entries.count()) !== 3 || !(await entries.first().innerText()).includes('Litware')) {
    if (Date.now() > deadline) throw new Error('the catalog search for "Litware" never narrowed the list to the three Litware solutions');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await picture(page.locator('c-partner-center-solutions'), SELLER_IMAGES.solutions);
}

/** A deal whose customer has no country: the connector's error, then Retry once the seller fixed it. */
async function failedSync(product: Product): Promise<void> {
  const { org } = product;
  const id = org.seeded!.opportunities.tailspinTeams;
  const page = await openCard(product, id);
  await page.locator('c-partner-center-card .sync-toggle label').first().click();
  await shows(page, statusIs(page, 'error'), 'the ✖ after the connector refused the deal');
  await shows(page, page.locator('c-partner-center-card .error-message').getByText(/country/i), "the connector's message about the country");
  await openAuditTrail(page);
  await picture(card(page), SELLER_IMAGES.error);

  org.control.records.update('Account', org.seeded!.accounts.tailspin, { BillingCountry: 'US' }, { as: 'seller' });
  await page.getByRole('button', { name: L.PC_Card_Retry }).click();
  await shows(page, statusIs(page, 'success'), 'the ✔ after Retry sync');
}

/** A referral a Microsoft seller shares: on hold in Salesforce, accepted by the seller, then won. */
async function referralFromMicrosoft(product: Product): Promise<void> {
  const { org, pc } = product;
  const referral = pc.control.seller.share({
    name: 'Woodgrove - analytics platform',
    customer: {
      name: 'Woodgrove Bank',
      country: 'GB',
      city: 'London',
      postalCode: 'EC2A 1AA',
      addressLine1: '20 Finsbury Circus',
      contacts: [{ firstName: 'Ana', lastName: 'Silva', email: 'ana.silva@woodgrove.example', title: 'Head of Data' }],
    },
    dealValue: 90_000,
    currency: 'GBP',
    solutions: [{ id: 'SOL-20931-DPM', name: 'Litware Data Platform Modernization', publisherName: 'Litware Inc.' }],
    assistanceRequestCode: 'CustomerTechnicalArchitecture',
  });
  const opportunity = await until(
    () => org.control.records.query(`SELECT Id, Partner_Center_Status__c FROM Opportunity WHERE Referral_Id__c = '${referral.id}'`)[0],
    (row) => row?.Partner_Center_Status__c === 'New - Pending',
    'the opportunity for the referral Microsoft shared'
  );
  const id = String(opportunity.Id);
  await until(() => org.control.records.query(`SELECT Id FROM Microsoft_Solution__c WHERE Opportunity__c = '${id}'`).length, (n) => n === 1, 'the solution of the shared referral');
  const page = await openCard(product, id);
  await shows(page, page.locator('c-partner-center-card .pc-status').getByText('New - Pending'), 'the pending referral');
  await openAuditTrail(page);
  await picture(card(page), SELLER_IMAGES.referral);

  // Accept (the stage leaves on hold), then win: both are stage changes on the record page.
  org.control.records.update('Opportunity', id, { StageName: ACTIVE_STAGE }, { as: 'seller' });
  await shows(page, page.locator('c-partner-center-card .pc-status').getByText('Active - Accepted'), 'the accepted referral');
  org.control.records.update('Opportunity', id, { StageName: WON_STAGE }, { as: 'seller' });
  await shows(page, page.locator('c-partner-center-card .pc-status').getByText('Closed - Won'), 'the won referral');
  await shows(page, statusIs(page, 'success'), 'the ✔');
  await picture(card(page), SELLER_IMAGES.won);
}

async function main(): Promise<void> {
  mkdirSync(IMAGES_DIR, { recursive: true });
  const started = Date.now();
  const product = await startProduct();
  await sharedDeal(product);
  await dealMissingPrerequisites(product);
  await failedSync(product);
  await referralFromMicrosoft(product);
  if (problems.length > 0) throw new Error(`the pages reported errors:\n${problems.join('\n')}`);
  const missing = Object.values(SELLER_IMAGES).filter((name) => !written.some((w) => path.basename(w.file) === name));
  if (missing.length > 0) throw new Error(`not taken: ${missing.join(', ')}`);
  console.log(`docs:screenshots: ${written.length} pictures in ${Math.round((Date.now() - started) / 1000)} s`);
  for (const { file, bytes } of written) console.log(`  ${path.relative(ROOT, file)}  ${Math.round(bytes / 1024)} KB`);
}

try {
  await main();
} catch (error) {
  console.error(`docs:screenshots failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  for (const step of cleanups.splice(0).reverse()) await step();
}
