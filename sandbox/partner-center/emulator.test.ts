import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Referral } from './referral-model.js';
import { startPartnerCenterEmulator, type PartnerCenterEmulator } from './emulator.js';
import { apiClient, sampleReferral, signIn } from './testing.js';

const REFERRALS = '/v1.0/engagements/referrals';

describe('Partner Center emulator: referrals API over loopback', () => {
  let emulator: PartnerCenterEmulator;
  let api: ReturnType<typeof apiClient>;

  before(async () => {
    emulator = await startPartnerCenterEmulator({ pageSize: 3 });
    api = apiClient(emulator, await signIn(emulator));
  });
  after(() => emulator.close());

  const create = async (overrides: Partial<Referral> = {}) => {
    const reply = await api<Referral>('POST', REFERRALS, { body: sampleReferral(overrides) });
    assert.equal(reply.status, 201, JSON.stringify(reply.body));
    return reply.body;
  };

  it('creates an outgoing referral with server-assigned fields and links', async () => {
    const referral = await create({ type: 'Independent' });
    assert.match(referral.id!, /^[0-9a-f-]{36}$/);
    assert.match(referral.engagementId!, /^[0-9a-f-]{36}$/);
    assert.match(referral.eTag!, /^"[0-9a-f-]{36}"$/);
    assert.equal(referral.status, 'New');
    assert.equal(referral.substatus, 'Pending');
    assert.equal(referral.direction, 'Outgoing');
    assert.ok(referral.createdDateTime && referral.updatedDateTime);
    assert.equal(referral.links?.self?.uri, `${emulator.url}${REFERRALS}/${referral.id}`);
    assert.match(referral.links?.relatedReferrals?.uri ?? '', /engagementId/);
    const portal = await fetch(referral.links!.portal!.uri!);
    assert.equal(portal.status, 200);
    assert.match(await portal.text(), /Contoso data platform/);
  });

  it('GET returns the referral with its eTag as field and ETag header', async () => {
    const created = await create();
    const reply = await api<Referral>('GET', `${REFERRALS}/${created.id}`);
    assert.equal(reply.status, 200);
    assert.equal(reply.headers.get('etag'), created.eTag);
    assert.equal(reply.body.eTag, created.eTag);
    assert.ok(reply.headers.get('request-id'));
    const missing = await api('GET', `${REFERRALS}/00000000-0000-0000-0000-000000000000`);
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, 'itemNotFound');
  });

  it('a shared referral is two calls, as "Create a shared referral" documents; the emulator invents no referral', async () => {
    const created = await create({ type: 'Shared', target: [{ type: 'SolutionProfile', id: 'SOL-34104-EBB' }] });
    assert.equal(emulator.control.referrals.connectedReferralId(created.id!), undefined, 'no referral for Microsoft until the partner creates it');
    const microsoft = { type: 'BusinessProfileLocation', id: 'msft' };

    // The referral for Microsoft without the engagementId, or an engagementId without Microsoft's target: refused.
    const orphan = await api('POST', REFERRALS, { body: sampleReferral({ type: 'Shared', target: [microsoft] }) });
    assert.equal(orphan.status, 400);
    assert.equal(orphan.body.error.target, 'engagementId');
    const joined = await api('POST', REFERRALS, { body: { ...sampleReferral({ type: 'Shared' }), engagementId: created.engagementId } });
    assert.equal(joined.status, 400);

    const second = await api<Referral>('POST', REFERRALS, { body: { ...sampleReferral({ type: 'Shared', target: [microsoft] }), engagementId: created.engagementId } });
    assert.equal(second.status, 201, JSON.stringify(second.body));
    assert.equal(second.body.engagementId, created.engagementId);
    assert.deepEqual(second.body.target, [microsoft]);
    assert.equal(second.body.status, 'New', 'Microsoft has not accepted yet');
    assert.equal(emulator.control.referrals.connectedReferralId(created.id!), second.body.id);
    const related = await api('GET', created.links!.relatedReferrals!.uri!);
    assert.deepEqual(related.body.value.map((r: Referral) => r.id).sort(), [created.id, second.body.id].sort());

    // A second referral for Microsoft in the same engagement is not documented: refused, not duplicated.
    const again = await api('POST', REFERRALS, { body: { ...sampleReferral({ type: 'Shared', target: [microsoft] }), engagementId: created.engagementId } });
    assert.equal(again.status, 409);
    // Only a Shared referral is connected to Microsoft.
    const independent = await create({ type: 'Independent' });
    const wrongType = await api('POST', REFERRALS, { body: { ...sampleReferral({ type: 'Shared', target: [microsoft] }), engagementId: independent.engagementId } });
    assert.equal(wrongType.status, 400);
  });

  describe('validation answers 400 with the Partner Center error body', () => {
    const cases: [string, Partial<Referral>, string][] = [
      ['missing customer country', { customerProfile: { name: 'Fabrikam', address: { city: 'Berlin' } } }, 'customerProfile.address.country'],
      ['country name instead of ISO code', { customerProfile: { name: 'Fabrikam', address: { country: 'Germany' } } }, 'customerProfile.address.country'],
      [
        'co-sell without a customer contact',
        { type: 'Shared', customerProfile: { name: 'Fabrikam', address: { country: 'DE' }, team: [] } },
        'customerProfile.team',
      ],
      ['co-sell without a solution', { type: 'Shared', details: { requirements: { solutions: [] } } }, 'details.requirements.solutions'],
      ['bad enum value', { qualification: 'Hot' as never }, 'qualification'],
      ['bad currency', { details: { currency: 'EURO', dealValue: 1 } }, 'details.currency'],
      ['substatus not allowed for status', { status: 'Active', substatus: 'Pending' }, 'substatus'],
    ];
    for (const [name, overrides, target] of cases) {
      it(name, async () => {
        const reply = await api('POST', REFERRALS, { body: sampleReferral(overrides) });
        assert.equal(reply.status, 400);
        assert.equal(reply.body.error.code, 'invalidRequest');
        assert.equal(reply.body.error.target, target);
        assert.ok(reply.body.error.message.length > 10);
      });
    }
  });

  it('PUT requires If-Match, rejects stale eTags and links, and changes the eTag', async () => {
    const created = await create();
    const { links, ...body } = created;
    assert.ok(links);
    const noIfMatch = await api('PUT', `${REFERRALS}/${created.id}`, { body: { ...body, name: 'Renamed' } });
    assert.equal(noIfMatch.status, 400);
    const withLinks = await api('PUT', `${REFERRALS}/${created.id}`, { body: created, headers: { 'if-match': created.eTag! } });
    assert.equal(withLinks.status, 400);
    assert.equal(withLinks.body.error.target, 'links');
    const ok = await api<Referral>('PUT', `${REFERRALS}/${created.id}`, { body: { ...body, name: 'Renamed' }, headers: { 'if-match': created.eTag! } });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.name, 'Renamed');
    assert.notEqual(ok.body.eTag, created.eTag);
    const stale = await api('PUT', `${REFERRALS}/${created.id}`, { body: { ...body, name: 'Again' }, headers: { 'if-match': created.eTag! } });
    assert.equal(stale.status, 412);
    assert.equal(stale.body.error.code, 'preconditionFailed');
  });

  it('PATCH applies add/replace, answers 204 or the representation, and checks If-Match when given', async () => {
    const created = await create();
    const path = `${REFERRALS}/${created.id}`;
    const plain = await api('PATCH', path, { body: [{ op: 'replace', path: '/details/dealValue', value: '10000' }] });
    assert.equal(plain.status, 204);
    const afterPlain = emulator.control.referrals.get(created.id!);
    assert.equal(afterPlain.details?.dealValue, 10000);
    assert.notEqual(afterPlain.eTag, created.eTag);

    const represented = await api<Referral>('PATCH', path, {
      body: [{ op: 'add', path: '/team/-', value: { firstName: 'Jane', lastName: 'Doe', email: 'jane@contoso.example' } }],
      headers: { prefer: 'return=representation', 'if-match': afterPlain.eTag! },
    });
    assert.equal(represented.status, 200);
    assert.equal(represented.body.team?.at(-1)?.email, 'jane@contoso.example');
    assert.equal(represented.headers.get('etag'), represented.body.eTag);

    const stale = await api('PATCH', path, { body: [{ op: 'replace', path: '/name', value: 'x' }], headers: { 'if-match': afterPlain.eTag! } });
    assert.equal(stale.status, 412);
    const remove = await api('PATCH', path, { body: [{ op: 'remove', path: '/details/notes' }] });
    assert.equal(remove.status, 400);
    assert.match(remove.body.error.message, /only 'add' and 'replace'/);
    const readOnly = await api('PATCH', path, { body: [{ op: 'replace', path: '/engagementId', value: 'x' }] });
    assert.equal(readOnly.status, 400);
  });

  it('enforces the status transition table', async () => {
    const created = await create({ type: 'Independent' });
    const path = `${REFERRALS}/${created.id}`;
    const move = (status: string, substatus: string) =>
      api('PATCH', path, { body: [{ op: 'replace', path: '/status', value: status }, { op: 'replace', path: '/substatus', value: substatus }] });
    assert.equal((await move('Active', 'Pending')).status, 400, 'Active does not allow Pending');
    assert.equal((await move('Active', 'Accepted')).status, 204);
    assert.equal((await move('New', 'Pending')).status, 400, 'Active cannot go back to New');
    assert.equal((await move('Closed', 'Won')).status, 204);
    const reopened = await move('Active', 'Accepted');
    assert.equal(reopened.status, 400, 'Closed is terminal');
    assert.match(reopened.body.error.message, /from 'Closed' to 'Active'/);
    const closed = emulator.control.referrals.get(created.id!);
    assert.ok(closed.closedDateTime && closed.acceptedDateTime);
  });

  it('a retried write with the same request-id is not applied twice', async () => {
    const body = sampleReferral({ externalReferenceId: 'idempotent-1', type: 'Independent' });
    const first = await api<Referral>('POST', REFERRALS, { body, headers: { 'request-id': 'f7a0c5a4-1111-4c7e-9d55-1c2f6c1e0a01' } });
    const second = await api<Referral>('POST', REFERRALS, { body, headers: { 'request-id': 'f7a0c5a4-1111-4c7e-9d55-1c2f6c1e0a01' } });
    assert.equal(second.status, 201);
    assert.equal(second.body.id, first.body.id);
    assert.equal(second.headers.get('request-id'), 'f7a0c5a4-1111-4c7e-9d55-1c2f6c1e0a01');
    assert.equal(emulator.control.referrals.all().filter((r) => r.externalReferenceId === 'idempotent-1').length, 1);
  });
});

describe('Partner Center emulator: OData list, filters and paging', () => {
  let emulator: PartnerCenterEmulator;
  let api: ReturnType<typeof apiClient>;
  const ids: string[] = [];

  before(async () => {
    emulator = await startPartnerCenterEmulator({ pageSize: 2 });
    api = apiClient(emulator, await signIn(emulator));
    for (let i = 0; i < 5; i += 1) {
      const reply = await api<Referral>('POST', REFERRALS, {
        body: sampleReferral({
          type: 'Independent',
          name: `Deal ${i}`,
          team: [{ email: i === 3 ? 'o.brien@contoso.example' : `seller${i}@contoso.example` }],
        }),
      });
      ids.push(reply.body.id!);
      emulator.control.clock.advance(1000);
    }
    await api('PATCH', `${REFERRALS}/${ids[1]}`, { body: [{ op: 'replace', path: '/status', value: 'Active' }, { op: 'replace', path: '/substatus', value: 'Accepted' }] });
  });
  after(() => emulator.close());

  const listAll = async (query: string) => {
    const seen: string[] = [];
    let url: string | undefined = `${REFERRALS}?${query}`;
    let pages = 0;
    while (url) {
      const reply: { status: number; body: { value: Referral[]; '@odata.nextLink'?: string } } = await api('GET', url);
      assert.equal(reply.status, 200, JSON.stringify(reply.body));
      seen.push(...reply.body.value.map((r) => r.id!));
      url = reply.body['@odata.nextLink'];
      pages += 1;
    }
    return { seen, pages };
  };

  it('pages with @odata.nextLink/$skiptoken in createdDateTime order', async () => {
    const first = await api('GET', REFERRALS);
    assert.equal(first.body['@odata.count'], 5);
    assert.equal(first.body.value.length, 2);
    assert.match(first.body['@odata.nextLink'], /\$skiptoken=/);
    assert.match(first.body['@odata.context'], /\$metadata#Referrals$/);
    const { seen, pages } = await listAll('');
    assert.deepEqual(seen, ids);
    assert.equal(pages, 3);
  });

  it('orders by createdDateTime desc or updatedDateTime desc and honours $top and $select', async () => {
    const { seen } = await listAll(new URLSearchParams({ $orderby: 'createdDateTime desc', $top: '3' }).toString());
    assert.deepEqual(seen, [ids[4], ids[3], ids[2]]);
    const byUpdate = await listAll(new URLSearchParams({ $orderby: 'updatedDateTime desc' }).toString());
    assert.equal(byUpdate.seen[0], ids[1], 'the referral patched last comes first');
    // The page's $select example.
    const selected = await api('GET', `${REFERRALS}?$select=id,status,customerProfile&$top=1`);
    assert.deepEqual(Object.keys(selected.body.value[0]).sort(), ['customerProfile', 'id', 'status']);
  });

  it('filters with eq, ne, gt, le, and, or, not and the team email lambda', async () => {
    const filter = async (expression: string) => (await listAll(new URLSearchParams({ $filter: expression }).toString())).seen.sort();
    assert.deepEqual(await filter("status eq 'Active'"), [ids[1]]);
    assert.deepEqual(await filter("status ne 'Active'"), [ids[0], ids[2], ids[3], ids[4]].sort());
    const engagement = (i: number) => emulator.control.referrals.get(ids[i]).engagementId;
    assert.deepEqual(await filter(`status eq 'New' and substatus eq 'Pending' and engagementId eq '${engagement(0)}'`), [ids[0]]);
    assert.deepEqual(await filter(`engagementId eq '${engagement(1)}' and status eq 'New'`), []);
    assert.deepEqual(await filter(`engagementId eq '${engagement(4)}' or status eq 'Active'`), [ids[1], ids[4]].sort());
    assert.deepEqual(await filter("not (status eq 'New')"), [ids[1]]);
    assert.deepEqual(await filter("team/any(t:t/email eq 'o.brien@contoso.example')"), [ids[3]]);
    assert.deepEqual(await filter("customerProfile/address/country eq 'DE' and direction eq 'Outgoing' and qualification eq 'SalesQualified'"), [...ids].sort());
  });

  it('rejects malformed, unsupported or undocumented queries with 400', async () => {
    const updated = emulator.control.referrals.get(ids[1]).updatedDateTime!;
    for (const query of [
      '$filter=status eq',
      "$filter=customerProfile/name eq 'x'",
      '$orderby=name asc',
      '$top=-1',
      '$skiptoken=garbage',
      // Documented for $orderby only, not for $filter ("Get a list of referrals").
      `$filter=updatedDateTime ge ${updated}`,
      `$filter=createdDateTime lt ${updated}`,
      "$filter=externalReferenceId eq 'x'",
      // Not among the supported OData operations: paging follows @odata.nextLink.
      '$skip=1',
    ]) {
      const reply = await api('GET', `${REFERRALS}?${query.replace(/ /g, '%20')}`);
      assert.equal(reply.status, 400, query);
      assert.equal(reply.body.error.code, 'invalidRequest');
    }
  });
});

describe('Partner Center emulator: authentication', () => {
  let emulator: PartnerCenterEmulator;
  before(async () => {
    emulator = await startPartnerCenterEmulator();
  });
  after(() => emulator.close());

  const grant = (refreshToken: string, secret = emulator.client.clientSecret) =>
    fetch(emulator.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', client_id: emulator.client.clientId, client_secret: secret, refresh_token: refreshToken, scope: 'https://api.partner.microsoft.com/.default offline_access' }),
    });

  it('rotates refresh tokens and rejects a used one with invalid_grant', async () => {
    const refreshToken = emulator.control.auth.issueRefreshToken();
    const first = await grant(refreshToken);
    assert.equal(first.status, 200);
    const tokens = (await first.json()) as { access_token: string; refresh_token: string; expires_in: number; token_type: string };
    assert.equal(tokens.token_type, 'Bearer');
    assert.notEqual(tokens.refresh_token, refreshToken);
    const reused = await grant(refreshToken);
    assert.equal(reused.status, 400);
    const error = (await reused.json()) as { error: string; error_description: string };
    assert.equal(error.error, 'invalid_grant');
    assert.match(error.error_description, /^AADSTS50173/);
    assert.equal((await grant(tokens.refresh_token, 'wrong')).status, 401);
  });

  it('answers 401 without or with an unknown token and 403 without a Referrals role', async () => {
    assert.equal((await fetch(`${emulator.url}${REFERRALS}`)).status, 401);
    const unknown = await apiClient(emulator, 'not-a-token')('GET', REFERRALS);
    assert.equal(unknown.status, 401);
    assert.equal(unknown.body.error.code, 'unauthenticated');
    const noRole = await apiClient(emulator, await signIn(emulator, { roles: ['Billing admin'] }))('GET', REFERRALS);
    assert.equal(noRole.status, 403);
    assert.equal(noRole.body.error.code, 'accessDenied');
    assert.equal((await apiClient(emulator, await signIn(emulator))('GET', REFERRALS)).status, 200);
  });

  it('a token is for one resource: the Referrals API and the webhooks API each refuse the other one\'s token', async () => {
    const referralsToken = await signIn(emulator, {}, 'referrals');
    const webhooksToken = await signIn(emulator, {}, 'webhooks');
    const call = (path: string, token: string) => fetch(`${emulator.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal((await call(REFERRALS, referralsToken)).status, 200);
    const wrongForWebhooks = await call('/webhooks/v1/registration/events', referralsToken);
    assert.equal(wrongForWebhooks.status, 401);
    assert.match(((await wrongForWebhooks.json()) as { error: { message: string } }).error.message, /issued for https:\/\/api\.partner\.microsoft\.com; this API needs a token for https:\/\/api\.partnercenter\.microsoft\.com/);
    assert.equal((await call('/webhooks/v1/registration/events', webhooksToken)).status, 200);
    assert.equal((await call(REFERRALS, webhooksToken)).status, 401);

    // Entra issues a token for one resource per request, and needs the scope.
    const token = (scope?: string) =>
      fetch(emulator.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          client_id: emulator.client.clientId,
          client_secret: emulator.client.clientSecret,
          refresh_token: emulator.control.auth.issueRefreshToken(),
          ...(scope ? { scope } : {}),
        }),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as { error_codes?: number[] } }));
    assert.deepEqual((await token('https://api.partner.microsoft.com/.default https://api.partnercenter.microsoft.com/.default')).body.error_codes, [28000]);
    assert.deepEqual((await token()).body.error_codes, [90014]);
    assert.deepEqual((await token('https://graph.microsoft.com/.default')).body.error_codes, [500011]);
  });

  it('expired access tokens are rejected', async () => {
    const api = apiClient(emulator, await signIn(emulator));
    assert.equal((await api('GET', REFERRALS)).status, 200);
    emulator.control.clock.advance(3601_000);
    assert.equal((await api('GET', REFERRALS)).status, 401);
  });
});

describe('Partner Center emulator: Microsoft seller, faults and call counting', () => {
  let emulator: PartnerCenterEmulator;
  let api: ReturnType<typeof apiClient>;
  before(async () => {
    emulator = await startPartnerCenterEmulator({ seed: 42 });
    api = apiClient(emulator, await signIn(emulator));
  });
  after(() => emulator.close());

  it('the seller shares, updates, accepts, sets the CRM id and closes a referral', async () => {
    const { seller } = emulator.control;
    const shared = seller.share({ kind: 'co-sell', dealValue: 70_000 });
    assert.equal(shared.direction, 'Incoming');
    assert.equal(shared.type, 'Shared');
    assert.equal(shared.status, 'New');
    assert.equal(Date.parse(shared.expirationDateTime!) - Date.parse(shared.createdDateTime!), 14 * 24 * 3600_000);
    const lead = seller.share({ kind: 'marketplace-lead' });
    assert.equal(lead.type, 'Independent');
    assert.equal(lead.qualification, 'MarketingQualified');

    const updated = seller.update(shared.id!, { dealValue: 80_000, notes: 'Bigger scope', salesStage: 'Develop' });
    assert.equal(updated.details?.dealValue, 80_000);
    assert.notEqual(updated.eTag, shared.eTag);
    const accepted = seller.accept(shared.id!, { microsoftMsxId: '7-ABCDEFG' });
    assert.equal(accepted.status, 'Active');
    assert.equal(accepted.trackingInfo?.microsoftMsxId, '7-ABCDEFG');
    assert.equal(seller.close(shared.id!, 'Won').substatus, 'Won');
    assert.throws(() => seller.accept(shared.id!), /from 'Closed' to 'Active'/);

    const viaHttp = await fetch(`${emulator.url}/_emulator/seller/referrals`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Shared over HTTP' }),
    });
    assert.equal(viaHttp.status, 201);
  });

  it('expires incoming referrals left unanswered for 14 days', async () => {
    const shared = emulator.control.seller.share();
    assert.equal(emulator.control.seller.expireOverdue(), 0);
    emulator.control.clock.advance(14 * 24 * 3600_000 + 1);
    assert.ok(emulator.control.seller.expireOverdue() >= 1);
    const expired = emulator.control.referrals.get(shared.id!);
    assert.deepEqual([expired.status, expired.substatus], ['Closed', 'Expired']);
  });

  it('injects 429 with Retry-After, 5xx and hangs, and counts every call by route and status', async () => {
    api = apiClient(emulator, await signIn(emulator)); // the expiry test moved the clock past the token lifetime
    emulator.control.resetStats();
    emulator.control.faults.set({ rateLimitRate: 1, retryAfterSeconds: 7 });
    const limited = await api('GET', REFERRALS);
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '7');
    emulator.control.faults.set({ rateLimitRate: 0, serverErrorRate: 1 });
    assert.equal((await api('GET', REFERRALS)).status, 503);
    emulator.control.faults.set({ serverErrorRate: 0, timeoutRate: 1, timeoutHangMs: 300 });
    const started = Date.now();
    assert.equal((await api('GET', REFERRALS)).status, 200);
    assert.ok(Date.now() - started >= 290, 'the response was held back');
    emulator.control.faults.reset();
    emulator.control.faults.set({ latencyMs: 50 });
    const slow = Date.now();
    await api('GET', REFERRALS);
    assert.ok(Date.now() - slow >= 45);
    emulator.control.faults.reset();

    const stats = emulator.stats();
    const list = stats.byRoute[`GET ${REFERRALS}`];
    assert.deepEqual(list, { total: 4, byStatus: { 200: 2, 429: 1, 503: 1 } });
    const overHttp = (await (await fetch(`${emulator.url}/_emulator/stats`)).json()) as typeof stats;
    assert.deepEqual(overHttp.byRoute[`GET ${REFERRALS}`], list);
  });

  it('rate-based faults are reproducible from the seed', async () => {
    const pattern = async () => {
      emulator.control.faults.reseed(7);
      emulator.control.faults.set({ serverErrorRate: 0.5 });
      const statuses: number[] = [];
      for (let i = 0; i < 12; i += 1) statuses.push((await api('GET', REFERRALS)).status);
      emulator.control.faults.reset();
      return statuses;
    };
    const first = await pattern();
    assert.ok(first.includes(503) && first.includes(200));
    assert.deepEqual(await pattern(), first);
  });

  it('rejects unknown or out-of-range fault settings', async () => {
    assert.throws(() => emulator.control.faults.set({ rateLimitRate: 2 }), /between 0 and 1/);
    assert.throws(() => emulator.control.faults.set({ latencyMS: 1 } as never), /Unknown fault setting/);
    const reply = await fetch(`${emulator.url}/_emulator/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"serverErrorRate":-1}' });
    assert.equal(reply.status, 400);
  });
});
