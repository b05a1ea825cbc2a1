/**
 * The Partner_Center_Integration permission set grants exactly what the connector uses, derived from the code:
 * - reads: every SOQL the connector builds (queries.ts, the engine's opportunity, account and contact queries,
 *   the settings and organization reads), and every query it actually sent through a sandbox run;
 * - writes: every record it sent to Salesforce in that run (Opportunity create and updates, Account, Contact,
 *   OpportunityContactRole, Microsoft_Solution__c and Lead creates, sync log records, status events), covering
 *   both directions, a parked failure and a marketplace lead.
 * Every field and object used must be granted with exactly the access it needs (read vs edit, create, edit), and
 * the set may grant nothing else except the commented platform needs in ALLOWED_EXTRAS.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Connection } from 'jsforce';
import { loadConfig } from '../../connector/config/load.js';
import { DEFAULT_SETTINGS } from '../../connector/engine/org-settings.js';
import { buildAccountCandidatesQuery, buildContactsByEmailQuery } from '../../connector/engine/match-queries.js';
import { buildOpportunityQuery } from '../../connector/engine/opportunity-query.js';
import { createLogger } from '../../connector/observability/logger.js';
import { connectSalesforce } from '../../connector/salesforce/auth.js';
import { SalesforceGateway } from '../../connector/salesforce/gateway.js';
import { accountCandidatesQuery, partnerCenterLeadsQuery, pendingOpportunitiesQuery } from '../../connector/salesforce/queries.js';
import type { RunningConnector } from '../../connector/service.js';
import { eventually, settled } from '../support/sync-stack.js';
import { startLocalOrg, type LocalOrg } from '../../sandbox/org/index.js';
import { startPartnerCenterEmulator, type PartnerCenterEmulator } from '../../sandbox/partner-center/emulator.js';
import { startSandboxConnector } from '../../sandbox/stack/connector.js';
import { isTrue, readMetadata, type Xml } from '../metadata/force-app.js';
import { addRequest, addSoql, emptyUsage, fieldPermission, type Usage } from './salesforce-usage.js';

const PERMISSION_SET = 'permissionsets/Partner_Center_Integration.permissionset-meta.xml';

/**
 * Grants the code cannot show a use of, each one something the platform or the sharing model requires.
 * Anything else granted and unused fails the test.
 */
const ALLOWED_EXTRAS: Record<string, string> = {
  'userPermission:ApiEnabled': 'the connector reaches Salesforce only through the REST API',
  'customPermission:Partner_Center_Integration': "the package's flows skip records the connector writes (no echo)",
  // View All: the connector must see records whoever owns them. Under Private sharing an API user sees only its
  // own records, yet the sweeps and look-ups search every opportunity, account and contact.
  'viewAll:Opportunity': 'sweeps and referral look-ups cover every syncing opportunity, whoever owns it',
  'viewAll:Account': 'customers are matched against every account',
  'viewAll:Contact': 'customer contacts are matched by email against every contact',
};

interface Grants {
  fields: Map<string, 'read' | 'edit'>;
  objects: Map<string, { create: boolean; read: boolean; edit: boolean; delete: boolean; viewAll: boolean; modifyAll: boolean }>;
  other: Set<string>;
}

function grants(xml: Xml): Grants {
  const fields = new Map<string, 'read' | 'edit'>();
  for (const f of (xml.fieldPermissions ?? []) as Xml[]) {
    if (isTrue(f.editable)) fields.set(f.field, 'edit');
    else if (isTrue(f.readable)) fields.set(f.field, 'read');
  }
  const objects: Grants['objects'] = new Map();
  for (const o of (xml.objectPermissions ?? []) as Xml[]) {
    objects.set(o.object, {
      create: isTrue(o.allowCreate),
      read: isTrue(o.allowRead),
      edit: isTrue(o.allowEdit),
      delete: isTrue(o.allowDelete),
      viewAll: isTrue(o.viewAllRecords),
      modifyAll: isTrue(o.modifyAllRecords),
    });
  }
  const other = new Set([
    ...((xml.userPermissions ?? []) as Xml[]).filter((p) => isTrue(p.enabled)).map((p) => `userPermission:${p.name}`),
    ...((xml.customPermissions ?? []) as Xml[]).filter((p) => isTrue(p.enabled)).map((p) => `customPermission:${p.name}`),
    ...((xml.classAccesses ?? []) as Xml[]).map((c) => `classAccess:${c.apexClass}`),
    ...((xml.tabSettings ?? []) as Xml[]).map((t) => `tab:${t.tab}`),
    ...((xml.applicationVisibilities ?? []) as Xml[]).filter((a) => isTrue(a.visible)).map((a) => `app:${a.application}`),
    ...((xml.externalCredentialPrincipalAccesses ?? []) as Xml[]).map((e) => `principal:${e.externalCredentialPrincipal}`),
  ]);
  return { fields, objects, other };
}

/** Objects that take no object permission: access to contact roles follows Opportunity and Contact. */
const NO_OBJECT_PERMISSION = new Set(['OpportunityContactRole', 'User', 'Organization']);

/** What the permission set must grant for `usage`. */
function needs(usage: Usage) {
  const fields = new Map<string, 'read' | 'edit'>();
  const platform = new Map<string, string>();
  for (const [key, access] of [...[...usage.readFields].map((k) => [k, 'read'] as const), ...[...usage.writtenFields].map((k) => [k, 'edit'] as const)]) {
    const permission = fieldPermission(key);
    if ('none' in permission) {
      platform.set(key, permission.none);
      continue;
    }
    if (access === 'edit' || !fields.has(permission.field)) fields.set(permission.field, access);
  }
  const objects = new Map<string, { create: boolean; read: boolean; edit: boolean }>();
  const object = (name: string) => objects.get(name) ?? objects.set(name, { create: false, read: false, edit: false }).get(name)!;
  for (const name of usage.readObjects) object(name).read = true;
  for (const name of usage.created) object(name).create = true;
  for (const name of usage.edited) object(name).edit = true;
  // A contact role is written through its opportunity: edit on Opportunity, read on Contact.
  if (usage.created.has('OpportunityContactRole')) {
    object('Opportunity').edit = true;
    object('Contact').read = true;
  }
  for (const [name, access] of objects) {
    // Create and Edit need Read, except on a platform event, where Create is "publish" and Read is "subscribe".
    if ((access.create || access.edit) && !name.endsWith('__e')) access.read = true;
    if (NO_OBJECT_PERMISSION.has(name)) objects.delete(name);
  }
  return { fields, objects, platform };
}

describe('Partner_Center_Integration grants exactly what the connector uses', () => {
  const usage = emptyUsage();
  let org: LocalOrg;
  let pc: PartnerCenterEmulator;
  let connector: RunningConnector;

  before(async () => {
    // Every query the connector builds, with the default settings (Amount, CurrencyIsoCode, BillingCountry).
    const settings = { ...DEFAULT_SETTINGS };
    const org18 = { multiCurrency: true, orgCurrency: 'USD' };
    for (const soql of [
      buildOpportunityQuery(settings, { ids: ['0068d00000AbCdEAAV'] }, org18),
      buildOpportunityQuery(settings, { referralIds: ['3f1c2a9e-0b1d-4c53-9a8e-2d4f5b6c7d8e'] }, org18),
      buildOpportunityQuery(settings, { pendingSync: true }, org18),
      buildAccountCandidatesQuery(settings, 'Contoso Ltd'),
      buildContactsByEmailQuery(['sue@contoso.example']),
      accountCandidatesQuery(settings, ['Contoso Ltd', 'Fabrikam']),
      partnerCenterLeadsQuery(['Contoso Ltd']),
      pendingOpportunitiesQuery(Date.now()),
    ]) {
      addSoql(usage, soql);
    }
    // The gateway's own reads (settings record, corporate currency), captured from a connection that records.
    const recorded = new SalesforceGateway(
      async () =>
        ({
          version: '64.0',
          request: async (request: string) => {
            addRequest(usage, request);
            return { records: [], done: true, totalSize: 0 };
          },
          describe: async () => ({ fields: [{ name: 'CurrencyIsoCode' }] }),
        }) as unknown as Connection,
    );
    await recorded.settingsRecord();
    await recorded.orgContext();

    // A sandbox run: every REST request the connector sends is recorded on its jsforce connection.
    org = await startLocalOrg();
    pc = await startPartnerCenterEmulator();
    const [settingsRecord] = org.control.records.query('SELECT Id FROM Partner_Center_Settings__c WHERE Active__c = TRUE');
    // Marketplace leads come in as Leads only with "co-sell only" off.
    org.control.records.update('Partner_Center_Settings__c', String(settingsRecord.Id), { Sync_Co_Sell_Only__c: false }, { as: 'admin' });
    const config = loadConfig({
      env: { COSELL_MODE: 'sandbox' },
      overrides: {
        http: { port: 0 },
        store: { path: ':memory:' },
        worker: { pollIntervalMs: 25, retryBaseMs: 100, retryCapMs: 400, maxAttempts: 2 },
        sweeps: { enabled: true, pendingIntervalMs: 1000, pendingAgeSeconds: 0, referralsIntervalMs: 1000 },
        log: { level: 'silent' },
      },
    });
    const salesforce = new SalesforceGateway(async () => {
      const { clientId, clientSecret } = org.integrationCredentials;
      const conn = await connectSalesforce({ auth: 'client-credentials', loginUrl: org.loginUrl, apiVersion: org.apiVersion, clientId, clientSecret });
      const send = conn.request.bind(conn) as (...args: unknown[]) => Promise<unknown>;
      Object.assign(conn, {
        request: (request: Parameters<typeof addRequest>[1], ...rest: unknown[]) => {
          addRequest(usage, request);
          return send(request, ...rest);
        },
      });
      return conn;
    });
    connector = await startSandboxConnector(config, { logger: createLogger({ level: 'silent' }), sandbox: { org, partnerCenter: pc }, salesforce });
  });

  after(async () => {
    await connector?.close();
    await Promise.all([org?.close(), pc?.close()]);
  });

  it('runs both directions, a parked failure and a lead through the sandbox', { timeout: 60_000 }, async () => {
    const seeded = org.seeded!.opportunities;
    const status = (id: string) => org.control.records.get(id)?.Partner_Center_Sync_Status__c;
    // Salesforce → Partner Center: a ready deal syncs; one Partner Center cannot take is parked with the reason.
    org.control.records.update('Opportunity', seeded.contosoLandingZone, { Sync_With_Partner_Center__c: true }, { as: 'seller' });
    org.control.records.update('Opportunity', seeded.tailspinTeams, { Sync_With_Partner_Center__c: true }, { as: 'seller' });
    await eventually(() => status(seeded.contosoLandingZone) === 'Synced' && status(seeded.tailspinTeams) === 'Error', 'the outbound syncs', 20_000).catch(
      (error: Error) => {
        throw new Error(`${error.message}: the statuses are ${status(seeded.contosoLandingZone)} and ${status(seeded.tailspinTeams)}`);
      },
    );
    // Partner Center → Salesforce: a co-sell referral with a new customer, a contact and a solution, then an update;
    // and a marketplace lead.
    const shared = pc.control.seller.share({
      name: 'Permissions co-sell',
      customer: {
        name: 'Northwind Permissions',
        country: 'GB',
        postalCode: 'EC1A 1BB',
        contacts: [{ firstName: 'Nora', lastName: 'Wind', email: 'nora@northwind.example', phoneNumber: '+44 20 7946 0000', title: 'CTO' }],
      },
    });
    const lead = pc.control.seller.share({
      kind: 'marketplace-lead',
      name: 'Permissions lead',
      customer: { name: 'Lead Company', country: 'US', postalCode: '10001', contacts: [{ firstName: 'Lee', lastName: 'Ead', email: 'lee@lead.example', phoneNumber: '+1 212 555 0100', title: 'Buyer' }] },
    });
    const created = await eventually(() => org.control.records.query(`SELECT Id FROM Opportunity WHERE Referral_Id__c = '${shared.id}'`)[0], 'the inbound opportunity', 20_000);
    await eventually(() => org.control.records.query(`SELECT Id FROM Lead WHERE Company = 'Lead Company'`)[0], `the lead for ${lead.id}`, 20_000);
    // Microsoft records its CRM id and changes the deal value: both come back as an update.
    pc.control.seller.setMicrosoftCrmId(shared.id!, '7-PERMS0001');
    pc.control.seller.update(shared.id!, { dealValue: 77_000, notes: 'Scope grew.' });
    await eventually(() => {
      const row = org.control.records.get(String(created.Id));
      return row?.Amount === 77_000 && row.Microsoft_CRM_Id__c === '7-PERMS0001';
    }, 'the inbound update', 20_000);
    await settled({ org, pc, connector, close: async () => undefined });

    // The run covered every kind of write the connector makes.
    for (const type of ['Account', 'Contact', 'OpportunityContactRole', 'Microsoft_Solution__c', 'Lead', 'Opportunity', 'Partner_Center_Sync_Log__c', 'Partner_Center_Sync_Status__e']) {
      assert.ok(usage.created.has(type), `the run created ${type}`);
    }
    assert.ok(usage.edited.has('Opportunity'), 'the run updated opportunities');
    for (const field of ['Contact.Title', 'Contact.Phone', 'Lead.Title', 'Lead.Street', 'Opportunity.Microsoft_CRM_Id__c', 'Opportunity.Partner_Center_Audit__c', 'Partner_Center_Sync_Log__c.Message__c']) {
      assert.ok(usage.writtenFields.has(field), `the run wrote ${field}`);
    }
  });

  it("reads back the leads it created: the look-up filters on the LeadSource the connector writes", () => {
    const found = org.control.records.query(partnerCenterLeadsQuery(['Lead Company']));
    assert.equal(found.length, 1);
    assert.match(String(found[0].Description), /^Partner Center referral /);
  });

  it('grants every field the connector reads or writes, with exactly that access, and no other field', () => {
    const granted = grants(readMetadata(PERMISSION_SET));
    const { fields } = needs(usage);
    const problems: string[] = [];
    for (const [field, access] of [...fields].sort()) {
      const has = granted.fields.get(field);
      if (!has) problems.push(`missing: ${field} (${access}) — the connector ${access === 'edit' ? 'writes' : 'reads'} it`);
      else if (has !== access) problems.push(`wrong access: ${field} is granted ${has}, the connector needs ${access}`);
    }
    for (const [field, access] of [...granted.fields].sort()) {
      if (!fields.has(field)) problems.push(`unused: ${field} (${access}) — the connector neither reads nor writes it`);
    }
    assert.deepEqual(problems, []);
  });

  it('grants every object the access the connector needs, never delete or modify all, and nothing unused', () => {
    const granted = grants(readMetadata(PERMISSION_SET));
    const { objects } = needs(usage);
    const problems: string[] = [];
    for (const [name, need] of [...objects].sort()) {
      const has = granted.objects.get(name);
      for (const right of ['create', 'read', 'edit'] as const) {
        if (need[right] && !has?.[right]) problems.push(`missing: ${right} on ${name}`);
        if (!need[right] && has?.[right]) problems.push(`unused: ${right} on ${name}`);
      }
    }
    for (const [name, has] of [...granted.objects].sort()) {
      if (!objects.has(name) && (has.create || has.read || has.edit)) problems.push(`unused: ${name} — the connector neither reads nor writes it`);
      if (has.delete) problems.push(`unused: delete on ${name} — the connector never deletes`);
      if (has.modifyAll) problems.push(`unused: modify all on ${name}`);
      if (has.viewAll && !ALLOWED_EXTRAS[`viewAll:${name}`]) problems.push(`unused: view all on ${name}`);
    }
    for (const extra of Object.keys(ALLOWED_EXTRAS).filter((e) => e.startsWith('viewAll:'))) {
      if (!granted.objects.get(extra.slice('viewAll:'.length))?.viewAll) problems.push(`missing: ${extra.replace(':', ' on ')} (${ALLOWED_EXTRAS[extra]})`);
    }
    assert.deepEqual(problems, []);
  });

  it('grants no system permission, app, tab or credential beyond the commented platform needs', () => {
    const granted = grants(readMetadata(PERMISSION_SET));
    assert.deepEqual([...granted.other].sort(), Object.keys(ALLOWED_EXTRAS).filter((e) => !e.startsWith('viewAll:')).sort());
  });

  it('covers, among the fields used, only ones that exist, with the platform exceptions named', () => {
    const { platform } = needs(usage);
    // The exceptions are the platform's rules, not a dumping ground: each names why no permission exists.
    for (const [field, why] of platform) assert.match(why, /system|name|master-detail|required|computed|field-level security/, field);
    assert.ok(platform.has('Opportunity.StageName') && platform.has('Microsoft_Solution__c.Opportunity__c'));
  });
});
