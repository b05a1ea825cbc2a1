/**
 * The package's Lightning Web Components in a real browser: Debian's Chromium (playwright-core) opens the local
 * preview (sandbox/preview: the LWC engine, the Lightning base components, SLDS, and stand-ins only for what the
 * platform provides) wired to a seeded local org. Every state is checked on the rendered DOM and in the org, scanned
 * with axe-core (serious and critical violations fail), and photographed to reports/screenshots/.
 *
 * Nothing is skipped: without Chromium the suite fails and says how to install it
 * (`bash scripts/preview/install-browser.sh`).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { ROOT } from '../../scripts/lib/paths.js';
import { startLocalOrg, type LocalOrg } from '../../sandbox/org/index.js';
import { CHROMIUM_PATH, INSTALL_HINT, launchChromium } from '../../sandbox/preview/browser.js';
import { startPreview, type Preview } from '../../sandbox/preview/index.js';
import { labelsFor } from '../../sandbox/preview/labels.js';

const SCREENSHOTS = path.join(ROOT, 'reports', 'screenshots');
const L = labelsFor('en_US');
const format = (template: string, ...values: string[]) => template.replace(/\{(\d+)\}/g, (_, i: string) => values[Number(i)] ?? '');

let org: LocalOrg;
let preview: Preview;
/** Where the org's delivery flow posts sync requests: accepts them (202) the way the connector does. */
let connectorInbox: Server;
const syncRequests: Array<{ opportunityId?: string; reason?: string }> = [];
let browser: Browser;
let context: BrowserContext | undefined;
const screenshots: string[] = [];

interface OpenPage {
  page: Page;
  /** Uncaught errors and console errors the page reported. */
  problems: string[];
}

const openPages: Page[] = [];

async function open(component: string, params: Record<string, string | undefined>): Promise<OpenPage> {
  // One browser context for the suite (axe-core's Playwright integration needs a page of a context it did not
  // create): the bundles, served as immutable files, are fetched and compiled once. Each page is its own document.
  context ??= await browser.newContext();
  const page = await context.newPage();
  await page.setViewportSize({ width: component === 'partnerCenterSetup' ? 1400 : 1100, height: 900 });
  openPages.push(page);
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console.error: ${message.text()}`);
  });
  const response = await page.goto(preview.pageUrl(component, params), { timeout: 180_000 });
  assert.equal(response?.status(), 200, `the preview page for ${component} loads`);
  await page.locator('html[data-preview-mounted="true"]').waitFor({ timeout: 180_000 });
  return { page, problems };
}

/** Closes the page; it must have run without errors, except those the test provoked (`expected`). */
async function close(opened: OpenPage, expected: RegExp[] = []): Promise<void> {
  const preview = (await opened.page.evaluate(() => (globalThis as unknown as { __cosellPreview: { errors: string[] } }).__cosellPreview)) ?? { errors: [] };
  await opened.page.close();
  const unexpected = [...opened.problems, ...preview.errors].filter((problem) => !expected.some((pattern) => pattern.test(problem)));
  assert.deepEqual(unexpected, [], 'the page ran without errors');
}

/** axe-core on the mounted component (WCAG 2.1 A/AA); serious and critical violations fail the test. */
async function assertAccessible(page: Page, state: string): Promise<void> {
  const results = await new AxeBuilder({ page })
    .include('#preview-root')
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const blocking = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(
    blocking.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    [],
    `${state}: no serious or critical accessibility violations`
  );
  assert.ok(results.passes.length > 0, `${state}: axe evaluated the component`);
}

async function screenshot(page: Page, name: string): Promise<void> {
  const file = path.join(SCREENSHOTS, `${name}.png`);
  // The whole page: toasts and dialogs are positioned on the page, outside the component.
  await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
  screenshots.push(file);
}

async function checkState(page: Page, name: string): Promise<void> {
  await assertAccessible(page, name);
  await screenshot(page, name);
}

/**
 * Waits for what a state shows; on failure says what the component shows instead (e.g. stuck on "Loading…"), which
 * is what one needs to know when a state does not render.
 */
async function shows(page: Page, locator: Locator, timeout = 20_000): Promise<void> {
  try {
    await locator.waitFor({ timeout });
  } catch (error) {
    const visible = await page.locator('#preview-root').innerText().catch(() => '(page closed)');
    assert.fail(`${(error as Error).message.split('\n')[0]}\nThe component shows instead:\n${visible.replace(/\s+\n/g, '\n').slice(0, 1500)}`);
  }
}

async function waitForOrg<T>(read: () => T, done: (value: T) => boolean, what: string, timeoutMs = 10_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = read();
    if (done(value)) return value;
    if (Date.now() - started > timeoutMs) assert.fail(`timed out waiting for ${what}; last value ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** What the page shows settles on `expected` (controls re-render after a save or a dialog closes). */
async function settles(read: () => Promise<string>, expected: string, what: string, timeoutMs = 5_000): Promise<void> {
  const started = Date.now();
  let value = await read();
  while (value !== expected && Date.now() - started < timeoutMs) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  assert.equal(value, expected, what);
}

const record = (id: string) => {
  const row = org.control.records.get(id);
  assert.ok(row, `record ${id} exists`);
  return row;
};

/** A toast the page showed (rendered by lightning/toast), by its title. */
async function expectToast(page: Page, title: string, message?: string): Promise<void> {
  const toast = page.locator('lightning-toast').filter({ hasText: title });
  await toast.first().waitFor({ timeout: 10_000 });
  if (message) assert.match(await toast.first().innerText(), new RegExp(escapeRegExp(message)));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function text(locator: Locator): Promise<string> {
  return (await locator.innerText()).replace(/\s+/g, ' ').trim();
}

/** A new opportunity, created by the seller as through the UI (so flows run as for a person). */
function newOpportunity(name: string, fields: Record<string, unknown> = {}): string {
  return org.control.records.create(
    'Opportunity',
    { Name: name, StageName: 'Prospecting', CloseDate: '2027-03-31', Amount: 50000, ...fields },
    { as: 'seller' }
  );
}

/** What the connector (integration user) writes after a sync, followed by its status event. */
function connectorReports(opportunityId: string, fields: Record<string, unknown>): void {
  org.control.records.update('Opportunity', opportunityId, fields, { as: 'integration' });
  org.control.records.create(
    'Partner_Center_Sync_Status__e',
    { Opportunity_Id__c: opportunityId, Sync_Status__c: String(fields.Partner_Center_Sync_Status__c ?? ''), Message__c: null },
    { as: 'integration' }
  );
}

const statusText = (page: Page) => page.locator('c-partner-center-card .status-text');
const syncSwitch = (page: Page) => page.getByRole('switch', { name: new RegExp(`^${escapeRegExp(L.PC_Card_Sync_Label)}`) });
const visibleSwitch = (page: Page) => page.getByRole('switch', { name: new RegExp(`^${escapeRegExp(L.PC_Card_Visible_Label)}`) });
const helpCombobox = (page: Page) => page.getByRole('combobox', { name: L.PC_Card_Help_Label });

describe('components in Chromium against the local org', { timeout: 900_000 }, () => {
  before(async () => {
    assert.ok(existsSync(CHROMIUM_PATH), INSTALL_HINT);
    mkdirSync(SCREENSHOTS, { recursive: true });
    connectorInbox = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        try {
          syncRequests.push(JSON.parse(body) as { opportunityId?: string; reason?: string });
        } catch {
          syncRequests.push({});
        }
        response.writeHead(202, { 'Content-Type': 'application/json' }).end('{"accepted":true}');
      });
    });
    await new Promise<void>((resolve) => connectorInbox.listen(0, '127.0.0.1', resolve));
    const inbox = connectorInbox.address() as AddressInfo;
    org = await startLocalOrg({ seed: true, connectorUrl: `http://127.0.0.1:${inbox.port}`, sharedSecret: 'preview-test' });
    preview = await startPreview({ org });
    browser = await launchChromium();
    // Bundle the components once up front (the LWC compiler takes a while the first time).
    for (const component of ['partnerCenterCard', 'partnerCenterSolutions', 'partnerCenterSetup']) {
      const response = await fetch(`${preview.url}/bundles/${component}.js`);
      assert.equal(response.status, 200, `c/${component} bundles: ${response.status === 200 ? '' : await response.text()}`);
    }
  });

  after(async () => {
    for (const page of openPages) await page.close().catch(() => undefined);
    await context?.close();
    await browser?.close();
    await preview?.close();
    await org?.close();
    await new Promise((resolve) => connectorInbox?.close(resolve));
    if (screenshots.length > 0) {
      console.log(`\nScreenshots (${screenshots.length}) in ${path.relative(process.cwd(), SCREENSHOTS) || '.'}:\n${screenshots.map((file) => `  ${path.relative(process.cwd(), file)}`).join('\n')}`);
    }
  });

  // ---------------------------------------------------------------- card

  test('card: not synced, then switched on (pending), then synced live when the connector reports', async () => {
    const id = newOpportunity('Preview - card lifecycle', { AccountId: org.seeded?.accounts.contoso });
    const opened = await open('partnerCenterCard', { recordId: id, user: 'seller' });
    const { page } = opened;

    // Not synced: the sync switch is off and the card says how to share the deal.
    await shows(page, statusText(page));
    assert.equal(await text(statusText(page)), L.PC_Card_Status_Off);
    assert.equal(await text(page.locator('c-partner-center-card .status .status-icon .slds-assistive-text')), L.PC_Card_Icon_Not_Synced);
    assert.equal(await page.getByRole('heading', { name: L.PC_Card_Title }).count(), 1, 'the card has its title');
    assert.equal(await syncSwitch(page).isChecked(), false);
    assert.equal(await syncSwitch(page).isDisabled(), false, 'the seller can switch sync on');
    assert.equal(await page.locator('.retry-button').count(), 0);
    assert.equal(await page.locator('c-partner-center-card .details').count(), 0, 'no referral details yet');
    assert.equal(await page.locator('c-partner-center-card .read-only-notice').count(), 0);
    await checkState(page, 'partnerCenterCard-not-synced');

    // The seller switches sync on: the org saves it, the flow marks it Pending and asks the connector to sync.
    await page.locator('.sync-toggle label').first().click();
    await expectToast(page, L.PC_Common_Saved, L.PC_Card_Saved_Sync_On);
    const saved = await waitForOrg(() => record(id), (r) => r.Partner_Center_Sync_Status__c === 'Pending', 'the opportunity to be Pending');
    assert.equal(saved.Sync_With_Partner_Center__c, true);
    await waitForOrg(() => syncRequests.find((r) => r.opportunityId === id), (r) => r?.reason === 'Created', 'the sync request to reach the connector');
    await shows(page, page.locator('c-partner-center-card .pending-spinner'));
    assert.equal(await text(statusText(page)), L.PC_Card_Status_Pending);
    assert.equal(await text(page.locator('c-partner-center-card .pending-spinner .slds-assistive-text')), L.PC_Card_Icon_Pending);
    assert.equal(await syncSwitch(page).isChecked(), true);
    await checkState(page, 'partnerCenterCard-pending');

    // The connector syncs and publishes Partner_Center_Sync_Status__e: the open card refreshes itself (empApi).
    const link = 'https://partner.microsoft.com/dashboard/referrals/v2/leads/ab12cd34-0000-4000-8000-1234567890ab';
    connectorReports(id, {
      Partner_Center_Sync_Status__c: 'Synced',
      Referral_Id__c: 'ab12cd34-0000-4000-8000-1234567890ab',
      Referral_Link__c: link,
      Microsoft_CRM_Id__c: '7-3KQ9ZX1AB',
      Partner_Center_Status__c: 'Active - Accepted',
      Partner_Center_Last_Sync__c: '2026-11-20T09:30:00.000Z',
      Partner_Center_Audit__c: '2026-11-20 09:30 UTC Synced: referral ab12cd34 updated (status Active - Accepted)',
    });
    await page.locator('c-partner-center-card .status-icon[icon-name="utility:success"]').waitFor({ timeout: 15_000 });
    assert.equal(await text(statusText(page)), L.PC_Card_Status_Synced);
    assert.equal(await text(page.locator('c-partner-center-card .status .status-icon .slds-assistive-text')), L.PC_Card_Icon_Synced);
    assert.equal(await text(page.locator('.referral-id')), 'ab12cd34-0000-4000-8000-1234567890ab');
    assert.equal(await text(page.locator('.crm-id')), '7-3KQ9ZX1AB');
    assert.equal(await text(page.locator('.pc-status')), 'Active - Accepted');
    const anchor = page.locator('.referral-link a');
    assert.equal(await anchor.getAttribute('href'), link);
    assert.equal(await anchor.getAttribute('target'), '_blank');
    assert.equal(await text(anchor), L.PC_Card_Open_In_Partner_Center);
    assert.match(await text(page.locator('.last-sync')), /2026/);
    assert.equal(await page.locator('.retry-button').count(), 0);
    await checkState(page, 'partnerCenterCard-synced');
    await close(opened);
  });

  test('card: sync error with the connector\'s message; Retry sync sets the opportunity Pending in the org', async () => {
    const id = newOpportunity('Preview - card error', { AccountId: org.seeded?.accounts.fabrikam, Sync_With_Partner_Center__c: true });
    await org.control.deliveries.idle();
    const message = "Partner Center rejected the referral: the customer's country \"Deutschland\" is not a two-letter ISO code.";
    org.control.records.update(
      'Opportunity',
      id,
      {
        Partner_Center_Sync_Status__c: 'Error',
        Partner_Center_Audit__c: `2026-11-21 08:00 UTC Error: ${message}\n2026-11-20 08:00 UTC Pending: sync requested`,
      },
      { as: 'integration' }
    );
    const opened = await open('partnerCenterCard', { recordId: id, user: 'seller' });
    const { page } = opened;
    await shows(page, page.locator('c-partner-center-card .sync-error'));
    assert.equal(await text(statusText(page)), L.PC_Card_Status_Error);
    assert.equal(await text(page.locator('c-partner-center-card .status .status-icon .slds-assistive-text')), L.PC_Card_Icon_Error);
    assert.equal(await text(page.locator('.error-message')), `2026-11-21 08:00 UTC Error: ${message}`);
    const retry = page.getByRole('button', { name: L.PC_Card_Retry });
    assert.equal(await retry.isEnabled(), true);
    await checkState(page, 'partnerCenterCard-error');

    await retry.click();
    await expectToast(page, L.PC_Card_Retry_Requested, L.PC_Card_Retry_Requested_Message);
    await waitForOrg(() => record(id).Partner_Center_Sync_Status__c, (s) => s === 'Pending', 'the opportunity to be Pending after Retry');
    await waitForOrg(() => syncRequests.filter((r) => r.opportunityId === id).map((r) => r.reason), (reasons) => reasons.includes('Retry'), 'a Retry request to reach the connector');
    await shows(page, page.locator('c-partner-center-card .pending-spinner'));
    assert.equal(await page.locator('.retry-button').count(), 0, 'no Retry while pending');
    await screenshot(page, 'partnerCenterCard-error-retried');
    await close(opened);
  });

  test('card: a sync failure reason in the user\'s language (Russian) with its fix, no ids or commands', async () => {
    const ru = labelsFor('ru');
    const accountId = org.seeded?.accounts.tailspin;
    const id = newOpportunity('Preview - failure reason', { AccountId: accountId, Sync_With_Partner_Center__c: true });
    org.control.records.update(
      'Opportunity',
      id,
      {
        Partner_Center_Sync_Status__c: 'Error',
        Partner_Center_Audit__c: `2026-11-21 08:00 UTC Error: Opportunity (${id}) … ask an admin to run \`cosell dead-letters replay 7\``,
      },
      { as: 'integration' }
    );
    org.control.records.create(
      'Partner_Center_Sync_Log__c',
      {
        Opportunity__c: id,
        Direction__c: 'Outbound',
        Outcome__c: 'Parked',
        Operation__c: 'create referral',
        Message__c: 'customer account country code is missing',
        Reason_Code__c: 'FIELD_VALIDATION',
        Failure_Reason__c: 'COUNTRY_MISSING',
        Failure_Parameters__c: JSON.stringify({ field: 'Account.BillingCountry', record: 'Tailspin Toys', expected: 'ISO 3166-1 alpha-2' }),
        Occurred_At__c: '2026-11-21T08:00:00.000Z',
      },
      { as: 'integration' }
    );
    const opened = await open('partnerCenterCard', { recordId: id, user: 'seller', lang: 'ru' });
    const { page } = opened;
    await shows(page, page.locator('c-partner-center-card .sync-error'));
    const shown = await text(page.locator('.error-message'));
    assert.notEqual(ru.PC_Reason_Country_Missing, L.PC_Reason_Country_Missing, 'the Russian translation differs from English');
    assert.ok(shown.startsWith(ru.PC_Reason_Country_Missing.split('{1}')[0]), `Russian text: ${shown}`);
    assert.ok(shown.includes('Tailspin Toys'), 'names the account');
    assert.ok(!shown.includes(id.slice(0, 15)) && !shown.includes('cosell') && !/\d{2}:\d{2}/.test(shown), `no id, command or time: ${shown}`);
    const fix = page.getByRole('button', { name: ru.PC_Fix_Open_Account });
    await checkState(page, 'partnerCenterCard-error-reason-ru');
    await fix.click();
    const navigations = (await page.evaluate(() => (globalThis as { __COSELL_PREVIEW_NAVIGATIONS__?: unknown[] }).__COSELL_PREVIEW_NAVIGATIONS__ ?? [])) as Array<{ attributes?: { recordId?: string } }>;
    assert.equal(navigations.at(-1)?.attributes?.recordId, accountId, 'Open account goes to the customer account');
    await close(opened);
  });

  test('card: asking Microsoft for help is held back and the missing co-sell prerequisites are named', async () => {
    // Tailspin's account has no country; this deal has no contact role and no solution.
    const id = newOpportunity('Preview - co-sell checklist', { AccountId: org.seeded?.accounts.tailspin });
    const opened = await open('partnerCenterCard', { recordId: id, user: 'seller' });
    const { page } = opened;
    await shows(page, statusText(page));
    assert.equal(await page.locator('c-partner-center-card .checklist').count(), 0, 'no checklist before co-sell is asked for');

    await helpCombobox(page).click();
    await page.getByRole('option').nth(1).click();
    const blocked = page.locator('c-partner-center-card .blocked-message');
    await shows(page, blocked);
    assert.equal(await text(blocked), L.PC_Card_Checklist_Blocked);
    assert.equal(await blocked.getAttribute('role'), 'alert');
    const states = await page.locator('c-partner-center-card .prerequisites li').evaluateAll((items) => items.map((li) => [li.getAttribute('data-key'), li.getAttribute('data-state')]));
    assert.deepEqual(states, [
      ['contactRole', 'missing'],
      ['solution', 'missing'],
      ['countryCode', 'missing'],
    ]);
    assert.match(await text(page.locator('c-partner-center-card .checklist')), new RegExp(escapeRegExp(L.PC_Card_Prereq_Contact)));
    await settles(() => text(helpCombobox(page)), L.PC_Card_Help_None, 'the held-back request is not shown as chosen');
    // Nothing was saved: the org still has no help request and the deal is not shared.
    const saved = record(id);
    assert.equal(saved.Microsoft_Help__c ?? null, null);
    assert.equal(saved.Visible_To_Microsoft_Sellers__c, false);
    await checkState(page, 'partnerCenterCard-missing-prerequisites');
    await close(opened);
  });

  test('card: a help request the org rejects is not left showing in the picker', async () => {
    // Every co-sell prerequisite is met, so the request reaches the org, which refuses the save (a locked row).
    const id = newOpportunity('Preview - help rejected', { AccountId: org.seeded?.accounts.contoso });
    org.control.records.create('OpportunityContactRole', { OpportunityId: id, ContactId: org.seeded?.contacts.dana, Role: 'Decision Maker', IsPrimary: true });
    const lz = 'SOL-10482-LZA';
    org.control.records.create(
      'Microsoft_Solution__c',
      { Opportunity__c: id, Solution_Id__c: lz, Solution_Name__c: 'Litware Azure Landing Zone Accelerator', Solution_Detail__c: org.seeded?.solutionDetails[lz] },
      { as: 'seller' }
    );
    const opened = await open('partnerCenterCard', { recordId: id, user: 'seller' });
    const { page } = opened;
    await shows(page, statusText(page));
    assert.equal(await text(helpCombobox(page)), L.PC_Card_Help_None);

    org.control.faults.set({ lockRowNext: 1 });
    try {
      await helpCombobox(page).click();
      const option = page.getByRole('option').nth(1);
      const chosen = await text(option);
      await option.click();
      const dialog = page.locator('section.slds-modal[role="alertdialog"]');
      await shows(page, dialog);
      assert.match(await text(dialog), new RegExp(escapeRegExp(L.PC_Card_Confirm_Help_Title)));
      await dialog.getByRole('button', { name: 'OK' }).click();
      await expectToast(page, L.PC_Common_Save_Failed);
      assert.notEqual(chosen, L.PC_Card_Help_None);
      await settles(() => text(helpCombobox(page)), L.PC_Card_Help_None, `the picker no longer shows "${chosen}", which was not saved`);
      assert.equal(await visibleSwitch(page).isChecked(), false, 'the deal is not shown as shared');
    } finally {
      org.control.faults.reset();
    }
    const saved = record(id);
    assert.equal(saved.Microsoft_Help__c ?? null, null, 'nothing was saved');
    assert.equal(saved.Visible_To_Microsoft_Sellers__c, false);
    // Chromium logs the refused save's response (400) to the console.
    await close(opened, [/^console\.error: Failed to load resource: the server responded with a status of 400/]);
  });

  test('card: a user without edit access sees the details read-only, with an explanation', async () => {
    const reader = org.control.users.list().find((u) => u.password && u.objectAccess.Opportunity && !u.objectAccess.Opportunity.edit);
    assert.ok(
      reader,
      'the local org needs a user who can read but not edit opportunities (a password user whose objectAccess.Opportunity.edit is false) for the read-only state'
    );
    const id = org.seeded?.opportunities.contosoLandingZone as string;
    const opened = await open('partnerCenterCard', { recordId: id, user: reader.key });
    const { page } = opened;
    const notice = page.locator('c-partner-center-card div.read-only-notice');
    await shows(page, notice);
    assert.equal(await notice.getAttribute('role'), 'note');
    assert.equal(await text(notice.locator('p')), L.PC_Card_Read_Only);
    assert.equal(await syncSwitch(page).isDisabled(), true);
    assert.equal(await visibleSwitch(page).isDisabled(), true);
    assert.equal(await helpCombobox(page).isDisabled(), true);
    assert.equal(await text(page.locator('c-partner-center-solutions .read-only-notice')), L.PC_Sol_Read_Only);
    assert.equal(await page.locator('c-partner-center-solutions .remove-button').count(), 0, 'no remove buttons');
    assert.equal(await page.locator('c-partner-center-solutions .add').count(), 0, 'no add section');
    await checkState(page, 'partnerCenterCard-read-only');
    await close(opened);
  });

  test('card: labels follow the user\'s language (Italian)', async () => {
    const it = labelsFor('it');
    assert.notEqual(it.PC_Card_Sync_Label, L.PC_Card_Sync_Label, 'the Italian translation differs from English');
    const opened = await open('partnerCenterCard', { recordId: org.seeded?.opportunities.contosoLandingZone, user: 'seller', lang: 'it' });
    const { page } = opened;
    await shows(page, statusText(page));
    assert.equal(await text(statusText(page)), it.PC_Card_Status_Off);
    assert.equal(await page.getByRole('switch', { name: new RegExp(`^${escapeRegExp(it.PC_Card_Sync_Label)}`) }).count(), 1);
    assert.equal(await page.locator('html').getAttribute('lang'), 'it');
    await checkState(page, 'partnerCenterCard-it');
    await close(opened);
  });

  // ---------------------------------------------------------------- solutions

  test('solutions: lists the opportunity\'s solutions and the catalog', async () => {
    const opened = await open('partnerCenterSolutions', { recordId: org.seeded?.opportunities.contosoLandingZone, user: 'seller' });
    const { page } = opened;
    const rows = page.locator('c-partner-center-solutions .solution');
    await shows(page, rows.first());
    assert.equal(await page.getByRole('heading', { name: L.PC_Sol_Title, level: 2 }).count(), 1, 'standalone: a level-2 heading');
    assert.equal(await rows.count(), 1);
    assert.equal(await text(rows.first().locator('.solution-name')), 'Litware Azure Landing Zone Accelerator');
    assert.match(await text(rows.first()), /SOL-10482-LZA/);
    const remove = page.getByRole('button', { name: format(L.PC_Sol_Remove_Alt, 'Litware Azure Landing Zone Accelerator') });
    assert.equal(await remove.count(), 1, 'the remove button is named after the solution');
    const catalog = page.locator('c-partner-center-solutions .catalog-entry');
    await shows(page, catalog.first());
    const active = org.control.records.query('SELECT Id FROM Microsoft_Solution_Detail__c WHERE Active__c = true');
    assert.equal(await catalog.count(), active.length, 'every active catalog entry is offered');
    const added = catalog.filter({ hasText: 'SOL-10482-LZA' });
    assert.equal(await text(added.locator('.added-badge')), L.PC_Sol_Already_Added);
    await checkState(page, 'partnerCenterSolutions-rows');
    await close(opened);
  });

  test('solutions: adding from the catalog creates the row in the org; removing asks first and deletes it', async () => {
    const id = newOpportunity('Preview - solutions add', { AccountId: org.seeded?.accounts.northwind });
    const opened = await open('partnerCenterSolutions', { recordId: id, user: 'seller' });
    const { page } = opened;
    const empty = page.locator('c-partner-center-solutions .empty');
    await shows(page, empty);
    assert.equal(await text(empty), L.PC_Sol_Empty);
    await checkState(page, 'partnerCenterSolutions-empty');

    const name = 'Litware Data Platform Modernization';
    await page.getByRole('button', { name: format(L.PC_Sol_Add_Alt, name) }).click();
    await expectToast(page, L.PC_Sol_Added, format(L.PC_Sol_Added_Message, name));
    const rows = await waitForOrg(
      () => org.control.records.query(`SELECT Id, Solution_Id__c, Solution_Name__c, Solution_Detail__c FROM Microsoft_Solution__c WHERE Opportunity__c = '${id}'`),
      (r) => r.length === 1,
      'the solution row in the org'
    );
    assert.equal(rows[0].Solution_Id__c, 'SOL-20931-DPM');
    assert.equal(rows[0].Solution_Name__c, name);
    assert.equal(rows[0].Solution_Detail__c, org.seeded?.solutionDetails['SOL-20931-DPM']);
    await shows(page, page.locator('c-partner-center-solutions .solution').filter({ hasText: name }));
    await checkState(page, 'partnerCenterSolutions-added');

    // Remove: the platform's confirm dialog (lightning/confirm) asks first.
    await page.getByRole('button', { name: format(L.PC_Sol_Remove_Alt, name) }).click();
    const dialog = page.locator('section.slds-modal[role="alertdialog"]');
    await shows(page, dialog);
    assert.match(await text(dialog), new RegExp(escapeRegExp(L.PC_Sol_Confirm_Remove_Title)));
    assert.match(await text(dialog), new RegExp(escapeRegExp(format(L.PC_Sol_Confirm_Remove_Message, name))));
    await screenshot(page, 'partnerCenterSolutions-confirm-remove');
    await dialog.getByRole('button', { name: 'OK' }).click();
    await expectToast(page, L.PC_Sol_Removed);
    await waitForOrg(
      () => org.control.records.query(`SELECT Id FROM Microsoft_Solution__c WHERE Opportunity__c = '${id}'`),
      (r) => r.length === 0,
      'the solution row to be deleted'
    );
    await shows(page, empty);
    await close(opened);
  });

  test('solutions: with an empty catalog, a typed solution id is checked and then added', async () => {
    const catalog = org.control.records.query('SELECT Id FROM Microsoft_Solution_Detail__c WHERE Active__c = true');
    for (const entry of catalog) org.control.records.update('Microsoft_Solution_Detail__c', String(entry.Id), { Active__c: false });
    try {
      const id = newOpportunity('Preview - empty catalog', { AccountId: org.seeded?.accounts.contoso });
      const opened = await open('partnerCenterSolutions', { recordId: id, user: 'seller' });
      const { page } = opened;
      const emptyCatalog = page.locator('c-partner-center-solutions .catalog-empty');
      await shows(page, emptyCatalog);
      assert.equal(await text(emptyCatalog), L.PC_Sol_Catalog_Empty);
      await checkState(page, 'partnerCenterSolutions-empty-catalog');

      const idInput = page.getByRole('textbox', { name: L.PC_Sol_Manual_Id_Label });
      await idInput.fill('not a solution');
      await page.getByRole('button', { name: L.PC_Sol_Manual_Add }).click();
      // The message shows once, under the id field, which is marked invalid.
      const error = page.locator('c-partner-center-solutions').getByText(L.PC_Sol_Manual_Id_Invalid);
      await shows(page, error.first());
      assert.equal(await error.count(), 1, 'the message is not repeated');
      assert.equal(await idInput.getAttribute('aria-invalid'), 'true');
      assert.ok((await idInput.getAttribute('aria-describedby'))?.includes(String(await error.getAttribute('id'))), 'the id field names the message');
      assert.equal(org.control.records.query(`SELECT Id FROM Microsoft_Solution__c WHERE Opportunity__c = '${id}'`).length, 0, 'an invalid id is not saved');
      await screenshot(page, 'partnerCenterSolutions-invalid-id');

      await idInput.fill('sol-77001-abc');
      await settles(async () => String(await error.count()), '0', 'the message goes once the id is corrected');
      await page.getByRole('textbox', { name: L.PC_Sol_Manual_Name_Label }).fill('Contoso Copilot Readiness');
      await page.getByRole('button', { name: L.PC_Sol_Manual_Add }).click();
      await expectToast(page, L.PC_Sol_Added);
      const rows = await waitForOrg(
        () => org.control.records.query(`SELECT Solution_Id__c, Solution_Name__c, Solution_Detail__c FROM Microsoft_Solution__c WHERE Opportunity__c = '${id}'`),
        (r) => r.length === 1,
        'the typed solution in the org'
      );
      assert.deepEqual(rows.map((r) => [r.Solution_Id__c, r.Solution_Name__c, r.Solution_Detail__c]), [['SOL-77001-ABC', 'Contoso Copilot Readiness', null]]);
      await shows(page, page.locator('c-partner-center-solutions .solution').filter({ hasText: 'Contoso Copilot Readiness' }));
      await close(opened);
    } finally {
      for (const entry of catalog) org.control.records.update('Microsoft_Solution_Detail__c', String(entry.Id), { Active__c: true });
    }
  });

  // ---------------------------------------------------------------- setup

  const settings = () => {
    const rows = org.control.records.query(
      'SELECT Id, Active_Stage_Name__c, On_Hold_Stage_Name__c, Won_Stage_Name__c, Lost_Stage_Name__c FROM Partner_Center_Settings__c WHERE Active__c = true'
    );
    assert.equal(rows.length, 1, 'one active settings record');
    return rows[0];
  };
  const stageBox = (page: Page, label: string) => page.getByRole('combobox', { name: label });

  test('setup: the stage pickers offer the org\'s opportunity stages and show the saved settings', async () => {
    const opened = await open('partnerCenterSetup', { user: 'admin' });
    const { page } = opened;
    const active = stageBox(page, L.PC_Setup_Active_Stage);
    await shows(page, active);
    const current = settings();
    assert.match(await text(active), new RegExp(`^${escapeRegExp(String(current.Active_Stage_Name__c))}$`));
    assert.match(await text(stageBox(page, L.PC_Setup_Won_Stage)), new RegExp(escapeRegExp(String(current.Won_Stage_Name__c))));

    await active.click();
    const options = (await page.getByRole('option').allInnerTexts()).map((o) => o.replace(/\s+/g, ' ').trim());
    const stages = org.control.records.query('SELECT MasterLabel, IsClosed, IsWon FROM OpportunityStage WHERE IsActive = true ORDER BY SortOrder');
    assert.equal(options.length, stages.length, `one option per stage: ${options.join(' | ')}`);
    for (const stage of stages) {
      const label = String(stage.MasterLabel);
      const expected = stage.IsClosed ? format(stage.IsWon ? L.PC_Setup_Stage_Closed_Won : L.PC_Setup_Stage_Closed_Lost, label) : label;
      assert.ok(options.includes(expected), `the stage ${label} is offered as "${expected}" (options: ${options.join(' | ')})`);
    }
    await screenshot(page, 'partnerCenterSetup-stage-picker');
    await page.keyboard.press('Escape');
    await checkState(page, 'partnerCenterSetup-loaded');
    await close(opened);
  });

  test('setup: saving writes the settings record in the org', async () => {
    const opened = await open('partnerCenterSetup', { user: 'admin' });
    const { page } = opened;
    const active = stageBox(page, L.PC_Setup_Active_Stage);
    await shows(page, active);
    assert.notEqual(settings().Active_Stage_Name__c, 'Needs Analysis');
    await active.click();
    await page.getByRole('option', { name: 'Needs Analysis' }).click();
    await page.getByRole('button', { name: L.PC_Setup_Save }).click();
    await expectToast(page, L.PC_Setup_Saved, L.PC_Setup_Saved_Message);
    await waitForOrg(() => settings().Active_Stage_Name__c, (v) => v === 'Needs Analysis', 'the active stage to be saved');
    await checkState(page, 'partnerCenterSetup-saved');
    await close(opened);
  });

  test('setup: an invalid choice is rejected and nothing is saved', async () => {
    const opened = await open('partnerCenterSetup', { user: 'admin' });
    const { page } = opened;
    const won = stageBox(page, L.PC_Setup_Won_Stage);
    await shows(page, won);
    const before = settings();
    await won.click();
    await page.getByRole('option', { name: 'Prospecting' }).click();
    const summary = page.locator('c-partner-center-setup .error-summary');
    await shows(page, summary);
    assert.equal(await summary.getAttribute('role'), 'alert');
    assert.match(await text(summary), new RegExp(escapeRegExp(format(L.PC_Setup_Error_Item, L.PC_Setup_Won_Stage, L.PC_Setup_Err_Won_Stage))));
    assert.equal(await won.getAttribute('aria-invalid'), 'true', 'the won-stage picker is marked invalid');
    await page.getByRole('button', { name: L.PC_Setup_Save }).click();
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.deepEqual(settings(), before, 'the settings record is unchanged');
    assert.equal(await page.locator('lightning-toast').count(), 0, 'no save toast');
    await checkState(page, 'partnerCenterSetup-invalid-choice');
    await close(opened);
  });
});
