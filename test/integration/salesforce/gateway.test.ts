/** The Salesforce adapter against the local org over real HTTP: the same jsforce calls a real org receives. */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { settingsFromRecord } from '../../../connector/engine/org-settings.js';
import { VALIDATION_RULES, startLocalOrg, type LocalOrg } from '../../../sandbox/org/index.js';
import type { SalesforceConfig } from '../../../connector/config/types.js';
import { SalesforceAuthError, connectSalesforce } from '../../../connector/salesforce/auth.js';
import { SalesforceWriteError } from '../../../connector/salesforce/errors.js';
import { SalesforceGateway } from '../../../connector/salesforce/gateway.js';

let org: LocalOrg;
let config: SalesforceConfig;
let gateway: SalesforceGateway;

before(async () => {
  org = await startLocalOrg();
  config = {
    auth: 'client-credentials',
    loginUrl: org.loginUrl,
    apiVersion: org.apiVersion,
    clientId: org.integrationCredentials.clientId,
    clientSecret: org.integrationCredentials.clientSecret,
  };
  gateway = new SalesforceGateway(() => connectSalesforce(config));
});
after(() => org.close());

describe('Salesforce login', () => {
  it('logs in with client credentials as the integration user', async () => {
    const conn = await connectSalesforce(config);
    assert.equal(conn.instanceUrl, org.url);
    assert.ok(conn.accessToken);
  });

  it('logs in with a JWT bearer assertion signed by the configured key', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwtOrg = await startLocalOrg({
      seed: false,
      integrationClient: { clientId: 'jwt-app', clientSecret: 'unused', jwtPublicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString() },
    });
    try {
      const jwt: SalesforceConfig = {
        auth: 'jwt',
        loginUrl: jwtOrg.loginUrl,
        apiVersion: jwtOrg.apiVersion,
        clientId: 'jwt-app',
        username: jwtOrg.integrationCredentials.username,
        privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      };
      const conn = await connectSalesforce(jwt);
      assert.equal(conn.instanceUrl, jwtOrg.url);
      const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      await assert.rejects(connectSalesforce({ ...jwt, privateKey: other }), /COSELL_SF_USERNAME is pre-authorised|certificate of COSELL_SF_PRIVATE_KEY/);
    } finally {
      await jwtOrg.close();
    }
  });

  it('names the settings to check when the org rejects the client', async () => {
    await assert.rejects(connectSalesforce({ ...config, clientSecret: 'wrong' }), (error: unknown) => {
      assert.ok(error instanceof SalesforceAuthError);
      assert.match(error.message, /COSELL_SF_CLIENT_(ID|SECRET)/);
      assert.doesNotMatch(error.message, /wrong/);
      return true;
    });
  });

  it('logs in again by itself when the session expires', async () => {
    const local = new SalesforceGateway(() => connectSalesforce(config));
    await local.settingsRecord();
    org.control.auth.expireSessions();
    assert.ok(await local.settingsRecord());
  });

  it('reports an unreachable org as a retryable failure', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const offline = new SalesforceGateway(async () => {
      const conn = await connectSalesforce(config);
      conn.instanceUrl = `http://127.0.0.1:${port}`;
      return conn;
    });
    // A POST: jsforce itself retries reads on connection errors (for ~15 s), which is right in production but slow here.
    await assert.rejects(offline.create('Account', [{ Name: 'Offline' }], () => 'Account "Offline"'), (error: unknown) => {
      assert.ok(error instanceof SalesforceWriteError);
      assert.equal(error.kind, 'retry');
      return true;
    });
  });
});

describe('SalesforceGateway.updateIfUnmodified', () => {
  it("writes the record while it is as read, and answers 'modified' (nothing written) once someone else saved it", async () => {
    const id = org.seeded!.opportunities.contosoLandingZone;
    const [read] = await gateway.query<{ LastModifiedDate: string }>(`SELECT Id, LastModifiedDate FROM Opportunity WHERE Id = '${id}'`);
    assert.equal(await gateway.updateIfUnmodified('Opportunity', id, { Id: id, Partner_Center_Audit__c: 'first' }, read.LastModifiedDate, 'Opportunity Contoso'), 'saved');
    // A person saves the record in a later second than the version read.
    await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 5));
    org.control.records.update('Opportunity', id, { Description: 'changed by the seller' }, { as: 'seller' });
    assert.equal(await gateway.updateIfUnmodified('Opportunity', id, { Partner_Center_Audit__c: 'stale' }, read.LastModifiedDate, 'Opportunity Contoso'), 'modified');
    assert.equal(org.control.records.get(id)!.Partner_Center_Audit__c, 'first');
    // Other refusals stay errors that name the record.
    await assert.rejects(
      gateway.updateIfUnmodified('Opportunity', id, { No_Such_Field__c: 1 }, new Date().toISOString(), 'Opportunity Contoso'),
      (error: unknown) => error instanceof SalesforceWriteError && /Opportunity Contoso/.test(error.message),
    );
  });
});

describe('SalesforceGateway.updateIfUnmodified with writes alongside', () => {
  const log = (message: string) => ({
    operation: 'create' as const,
    type: 'Partner_Center_Sync_Log__c',
    records: [{ Direction__c: 'Outbound', Outcome__c: 'Success', Message__c: message, Occurred_At__c: new Date().toISOString(), Operation__c: message }],
    label: () => 'the sync log',
  });
  const logs = (message: string) => org.control.records.query(`SELECT Id FROM Partner_Center_Sync_Log__c WHERE Operation__c = '${message}'`).length;

  it('writes the record and its sync log in one call; a 412 writes neither', async () => {
    const id = org.seeded!.opportunities.contosoLandingZone;
    const [read] = await gateway.query<{ LastModifiedDate: string }>(`SELECT Id, LastModifiedDate FROM Opportunity WHERE Id = '${id}'`);
    await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 5));
    org.resetStats();
    assert.equal(await gateway.updateIfUnmodified('Opportunity', id, { Partner_Center_Audit__c: 'together' }, read.LastModifiedDate, 'Opportunity Contoso', [log('together')]), 'saved');
    assert.deepEqual(org.stats().byRoute, { 'POST /services/data/vXX.X/composite': 1 });
    assert.equal(org.control.records.get(id)!.Partner_Center_Audit__c, 'together');
    assert.equal(logs('together'), 1);

    await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 5));
    org.control.records.update('Opportunity', id, { Description: 'changed by the seller' }, { as: 'seller' });
    assert.equal(await gateway.updateIfUnmodified('Opportunity', id, { Partner_Center_Audit__c: 'stale' }, read.LastModifiedDate, 'Opportunity Contoso', [log('stale')]), 'modified');
    assert.equal(org.control.records.get(id)!.Partner_Center_Audit__c, 'together');
    assert.equal(logs('stale'), 0, 'the 412 rolled the sync log back with the write');
  });

  it('still writes the record when a write alongside is refused, and says so', async () => {
    const id = org.seeded!.opportunities.contosoLandingZone;
    const [read] = await gateway.query<{ LastModifiedDate: string }>(`SELECT Id, LastModifiedDate FROM Opportunity WHERE Id = '${id}'`);
    await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 5));
    const bad = { ...log('bad'), records: [{ No_Such_Field__c: 1 }] };
    assert.equal(await gateway.updateIfUnmodified('Opportunity', id, { Partner_Center_Audit__c: 'alone' }, read.LastModifiedDate, 'Opportunity Contoso', [bad]), 'saved-alone');
    assert.equal(org.control.records.get(id)!.Partner_Center_Audit__c, 'alone');
  });
});

describe('SalesforceGateway', () => {
  it('reads the active settings record and the org context', async () => {
    const record = await gateway.settingsRecord();
    assert.ok(record);
    const settings = settingsFromRecord(record);
    assert.equal(settings.onHoldStageName, 'On Hold');
    assert.equal(settings.activeStageName, 'Qualification');
    assert.equal((await gateway.orgContext()).multiCurrency, true);
  });

  it('creates a collection where one bad record fails alone, naming the record, the field and the fix', async () => {
    const outcomes = await gateway.create(
      'Contact',
      [{ LastName: 'Okafor', Email: 'ada.okafor@example.com' }, { FirstName: 'Nameless', Email: 'no.last.name@example.com' }],
      (r) => `Contact ${String(r.Email)}`,
    );
    assert.ok(outcomes[0].id);
    assert.equal(outcomes[0].error, null);
    const failure = outcomes[1].error;
    assert.ok(failure);
    assert.equal(failure.kind, 'park');
    assert.equal(failure.detail.statusCode, 'REQUIRED_FIELD_MISSING');
    assert.equal(failure.field, 'Contact.LastName');
    assert.match(failure.message, /Contact no\.last\.name@example\.com/);
    assert.match(failure.message, /LastName/);
    assert.match(failure.message, /admin must/);
  });

  it('upserts on Referral_Id__c: running the same write twice leaves one record', async () => {
    const accountId = org.seeded!.accounts.contoso;
    const record = { Referral_Id__c: 'ref-upsert-1', Name: 'Upsert test', StageName: 'On Hold', CloseDate: '2031-01-31', AccountId: accountId };
    const [first] = await gateway.upsert('Opportunity', 'Referral_Id__c', [record], (r) => String(r.Name));
    const [second] = await gateway.upsert('Opportunity', 'Referral_Id__c', [{ ...record, Amount: 10 }], (r) => String(r.Name));
    assert.equal(first.error, null);
    assert.equal(second.id, first.id);
    const rows = await gateway.query<{ Id: string; Amount: number }>("SELECT Id, Amount FROM Opportunity WHERE Referral_Id__c = 'ref-upsert-1'");
    assert.equal(rows.length, 1);
    assert.equal(rows[0].Amount, 10);
  });

  it("turns a validation rule into a parked failure that quotes the rule's message", async () => {
    const id = org.seeded!.opportunities.contosoLandingZone;
    const [outcome] = await gateway.update('Opportunity', [{ Id: id, Visible_To_Microsoft_Sellers__c: false }], () => 'Opportunity "Contoso - Azure landing zone"');
    assert.ok(outcome.error);
    assert.equal(outcome.error.detail.statusCode, 'FIELD_CUSTOM_VALIDATION_EXCEPTION');
    assert.equal(outcome.error.kind, 'park');
    assert.match(outcome.error.message, /Contoso - Azure landing zone/);
    const rule = VALIDATION_RULES.find((r) => r.object === 'Opportunity' && r.field === 'Visible_To_Microsoft_Sellers__c')!;
    assert.ok(outcome.error.message.includes(rule.message), 'the rule message is quoted');
    assert.equal(outcome.error.field, 'Opportunity.Visible_To_Microsoft_Sellers__c');
  });

  it('classifies a locked row as retryable', async () => {
    org.control.faults.set({ lockRowNext: 1 });
    try {
      // An opportunity: the only object the integration user edits (Partner_Center_Integration).
      const [outcome] = await gateway.update('Opportunity', [{ Id: org.seeded!.opportunities.contosoLandingZone, Description: 'Locked?' }], () => 'Opportunity "Contoso"');
      assert.equal(outcome.error?.detail.statusCode, 'UNABLE_TO_LOCK_ROW');
      assert.equal(outcome.error?.kind, 'retry');
    } finally {
      org.control.faults.reset();
    }
  });

  it('reads every page of a large query and sees deleted rows only when asked', async () => {
    const created = await gateway.create(
      'Account',
      Array.from({ length: 450 }, (_, i) => ({ Name: `Paging ${i}` })),
      (r) => String(r.Name),
    );
    assert.equal(created.filter((o) => o.error).length, 0);
    const calls = gateway.calls;
    const rows = await gateway.query<{ Id: string }>("SELECT Id FROM Account WHERE Name LIKE 'Paging %'");
    assert.equal(rows.length, 450);
    assert.ok(gateway.calls > calls);
    org.control.records.delete('Account', created[0].id!);
    assert.equal((await gateway.query(`SELECT Id FROM Account WHERE Id = '${created[0].id}'`)).length, 0);
    assert.equal((await gateway.query(`SELECT Id, IsDeleted FROM Account WHERE Id = '${created[0].id}'`, { includeDeleted: true })).length, 1);
  });

  it('splits writes into collections of 200', async () => {
    const calls = gateway.calls;
    const outcomes = await gateway.create('Account', Array.from({ length: 401 }, (_, i) => ({ Name: `Bulk ${i}` })), (r) => String(r.Name));
    assert.equal(outcomes.length, 401);
    assert.equal(gateway.calls - calls, 3);
  });

  it('runs several queries in one /composite call, each with its own rows, and names a refused one', async () => {
    const calls = gateway.calls;
    const composites = org.stats().byRoute['POST /services/data/vXX.X/composite'] ?? 0;
    const [accounts, contacts] = await gateway.queries<{ Name?: string; Email?: string }>([
      { soql: "SELECT Name FROM Account WHERE Name = 'Tailspin Toys'", what: 'accounts' },
      { soql: "SELECT Email FROM Contact WHERE Email = 'dana.whitfield@contoso.example'", what: 'contacts' },
    ]);
    assert.deepEqual(accounts.map((r) => r.Name), ['Tailspin Toys']);
    assert.deepEqual(contacts.map((r) => r.Email), ['dana.whitfield@contoso.example']);
    assert.equal(gateway.calls - calls, 1);
    assert.equal(org.stats().byRoute['POST /services/data/vXX.X/composite'], composites + 1);
    await assert.rejects(gateway.queries([{ soql: 'SELECT No_Such_Field__c FROM Account', what: 'the broken lookup' }]), (error: unknown) => {
      assert.ok(error instanceof SalesforceWriteError);
      assert.equal(error.detail.statusCode, 'INVALID_FIELD');
      assert.match(error.message, /the broken lookup/);
      return true;
    });
  });

  it('writes independent collections in one /composite call, at most 5 per call, each record on its own', async () => {
    const calls = gateway.calls;
    const [contacts, leads] = await gateway.saveAll([
      { operation: 'create', type: 'Contact', records: [{ LastName: 'Composite', Email: 'composite.one@example.com' }, { FirstName: 'No last name' }], label: (r) => `Contact ${String(r.Email ?? r.FirstName)}` },
      { operation: 'create', type: 'Lead', records: [{ LastName: 'Lead', Company: 'Composite Leads Ltd' }], label: (r) => `Lead ${String(r.Company)}` },
    ]);
    assert.equal(gateway.calls - calls, 1);
    assert.ok(contacts[0].id && !contacts[0].error);
    assert.equal(contacts[1].error?.detail.statusCode, 'REQUIRED_FIELD_MISSING');
    assert.match(contacts[1].error!.message, /Contact No last name/);
    assert.ok(leads[0].id && !leads[0].error);
    // 6 collections of up to 200 records (one of them 201 records, so two chunks): 7 subrequests, two calls.
    const before = gateway.calls;
    const specs = Array.from({ length: 6 }, (_, i) => ({
      operation: 'create' as const,
      type: 'Account',
      records: Array.from({ length: i === 0 ? 201 : 1 }, (_, n) => ({ Name: `Composite ${i}.${n}` })),
      label: (r: Record<string, unknown>) => String(r.Name),
    }));
    const outcomes = await gateway.saveAll(specs);
    assert.equal(gateway.calls - before, 2);
    assert.deepEqual(outcomes.map((o) => o.length), [201, 1, 1, 1, 1, 1]);
    assert.ok(outcomes.flat().every((o) => o.id && !o.error));
  });

  it('publishes platform events', async () => {
    const id = org.seeded!.opportunities.tailspinTeams;
    const [outcome] = await gateway.publish('Partner_Center_Sync_Status__e', [{ Opportunity_Id__c: id, Sync_Status__c: 'Synced', Message__c: 'ok' }]);
    assert.equal(outcome.error, null);
    const event = await org.control.events.waitFor('Partner_Center_Sync_Status__e', (m) => m.data.payload.Opportunity_Id__c === id, 2000);
    assert.equal(event.data.payload.Sync_Status__c, 'Synced');
  });
});
