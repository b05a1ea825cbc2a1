/**
 * Failed syncs, end to end through the sandbox: the local org, the Partner Center emulator and the connector as
 * `cosell start` runs it (test/support/stack.ts), and the setup page's failed-syncs list in Chromium through the
 * component preview, as the admin. A deal the connector parks is listed with its reason in the admin's language;
 * after the fix, the list's Retry re-queues it through the card's path (sync status back to Pending, the package's
 * flow sends the sync request) and the connector really syncs it to Partner Center. No shell, no connector call.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CHROMIUM_PATH, INSTALL_HINT, launchChromium } from '../../sandbox/preview/browser.js';
import { startPreview, type Preview } from '../../sandbox/preview/index.js';
import { labelsFor } from '../../sandbox/preview/labels.js';
import { eventually, record, syncLogs } from '../support/observe.js';
import { createDeal, turnOnSync, update } from '../support/seller.js';
import { startStack, type Stack } from '../support/stack.js';

const format = (template: string, ...values: string[]) => template.replace(/\{(\d+)\}/g, (_, i: string) => values[Number(i)] ?? '');
const clean = (text: string) => text.replace(/\s+/g, ' ').trim();

describe('failed syncs: a parked deal is listed with its reason, and Retry has the connector sync it', { timeout: 600_000 }, () => {
  let stack: Stack;
  let preview: Preview;
  let browser: Browser;
  let context: BrowserContext;
  const problems: string[] = [];

  before(async () => {
    assert.ok(existsSync(CHROMIUM_PATH), INSTALL_HINT);
    stack = await startStack();
    preview = await startPreview({ org: stack.org });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  });

  after(async () => {
    await context?.close();
    await browser?.close();
    await preview?.close();
    await stack?.close();
  });

  async function open(lang?: string): Promise<Page> {
    const page = await context.newPage();
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console.error: ${message.text()}`);
    });
    const response = await page.goto(preview.pageUrl('partnerCenterFailedSyncs', { user: 'admin', lang }), { timeout: 180_000 });
    assert.equal(response?.status(), 200);
    await page.locator('html[data-preview-mounted="true"]').waitFor({ timeout: 180_000 });
    return page;
  }

  const row = (page: Page, opportunityId: string) => page.locator(`c-partner-center-failed-syncs tr.failed-row[data-id="${opportunityId}"]`);

  test('park → listed with the reason (English, Russian) → fix → Retry → synced to Partner Center, gone from the list', async () => {
    const name = 'Tailwind Traders - Azure VMware';
    const deal = await createDeal(stack, { name, account: { Name: 'Tailwind Traders', BillingCity: 'Lyon', BillingPostalCode: '69002' } });
    await turnOnSync(stack, deal.opportunityId);
    // Parked: the connector's final failure shows Error on the opportunity and a Parked sync log with the reason.
    await eventually(() => syncLogs(stack, deal.opportunityId).find((log) => log.Outcome__c === 'Parked'), 'the parked sync log');
    assert.equal(record(stack, deal.opportunityId).Partner_Center_Sync_Status__c, 'Error');

    const en = labelsFor('en_US');
    const page = await open();
    await row(page, deal.opportunityId).waitFor({ timeout: 30_000 });
    assert.equal(
      clean(await row(page, deal.opportunityId).locator('.failed-reason').innerText()),
      format(en.PC_Reason_Country_Missing, 'Billing Country', 'Tailwind Traders')
    );
    assert.equal(clean(await row(page, deal.opportunityId).locator('.failed-code').innerText()), 'FIELD_VALIDATION');
    assert.equal(clean(await row(page, deal.opportunityId).locator('.failed-account').innerText()), 'Tailwind Traders');
    const axe = await new AxeBuilder({ page }).include('#preview-root').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    assert.deepEqual(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id), []);

    // The same reason in the admin's language: the card's labels, not the connector's English message.
    const ru = labelsFor('ru');
    const russian = await open('ru');
    await row(russian, deal.opportunityId).waitFor({ timeout: 30_000 });
    const reason = clean(await row(russian, deal.opportunityId).locator('.failed-reason').innerText());
    // The field label comes from the org's describe in the user's language; the words around it are the label's.
    const [before] = ru.PC_Reason_Country_Missing.split('{');
    assert.ok(before.trim().length > 0 && reason.startsWith(before.trim()) && reason.includes('Tailwind Traders'), reason);
    assert.ok(!/customer account country code is missing/.test(reason), `not the connector's English message: ${reason}`);
    await russian.close();

    // The seller fixes the account; the admin retries from the list.
    await update(stack.seller, 'Account', deal.accountId, { BillingCountry: 'FR' });
    await row(page, deal.opportunityId).locator('.retry-button button').click();
    await page.locator('lightning-toast').filter({ hasText: en.PC_Card_Retry_Requested }).first().waitFor({ timeout: 10_000 });

    const synced = await eventually(() => {
      const row = record(stack, deal.opportunityId);
      return row.Partner_Center_Sync_Status__c === 'Synced' && row.Referral_Id__c ? row : undefined;
    }, 'the connector to sync the retried deal');
    assert.equal(stack.pc.control.referrals.get(String(synced.Referral_Id__c)).customerProfile?.address?.country, 'FR');

    // The success toast is sticky in the preview and covers the header's buttons: Refresh from the keyboard.
    await page.locator('c-partner-center-failed-syncs .refresh-button button').focus();
    await page.keyboard.press('Enter');
    await page.locator('c-partner-center-failed-syncs .failed-empty').waitFor({ timeout: 10_000 });
    assert.equal(await row(page, deal.opportunityId).count(), 0);
    await page.close();
    assert.deepEqual(problems, [], 'the pages ran without errors');
  });
});
