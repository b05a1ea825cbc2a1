/**
 * What the seller does in Salesforce, through the org's REST API with the seller's own session (so the seller's
 * object permissions, field security, validation rules and the package's flows all apply, as in the org).
 */
import assert from 'node:assert/strict';
import type { Connection } from 'jsforce';
import { createNamespace, type PackageNamespace } from '../../scripts/lib/package-names.cjs';
import { SOLUTION_CATALOG } from '../../sandbox/org/index.js';
import type { Stack } from './stack.js';

type Fields = Record<string, unknown>;

/**
 * With COSELL_SF_NAMESPACE set the local org stands for a subscriber org of the namespaced package, and the seller
 * (like the package's components) must use the prefixed names; the helpers add it, so scenarios read the same.
 * The package's names come from its metadata in force-app (scripts/lib/package-names.cjs, the reading LWC Jest
 * and the preview use), not from the local org's own schema, so a name the org forgot to namespace shows up as a
 * refused call. Standard objects and fields, and custom fields that are not the package's, are never prefixed.
 * Every seller call in the e2e suite goes through these helpers: a plain package name sent around them is refused
 * by the namespaced org, and a plain name read off an answer finds nothing, so the namespaced run fails
 * (test/support/seller.test.ts shows both).
 */
const namespaces = new Map<string, PackageNamespace>();
function orgNamespace(): PackageNamespace | null {
  const namespace = process.env.COSELL_SF_NAMESPACE;
  if (!namespace) return null;
  if (!namespaces.has(namespace)) namespaces.set(namespace, createNamespace(namespace));
  return namespaces.get(namespace)!;
}
/** The org's name for a package API name, or for every one in a text (a SOQL query). */
export const orgName = (text: string): string => orgNamespace()?.namespacedText(text) ?? text;
const orgFields = (fields: Fields): Fields => Object.fromEntries(Object.entries(fields).map(([k, v]) => [orgName(k), v]));
/** A row as the org answered it, with the package's names read back unprefixed (a plain one would match nothing). */
const plainFields = (row: Fields): Fields => {
  const ns = orgNamespace();
  return ns ? Object.fromEntries(Object.entries(row).map(([k, v]) => [ns.plainText(k), v])) : row;
};

interface SaveResult {
  id?: string;
  success: boolean;
  errors?: unknown[];
}

function saved(result: SaveResult | SaveResult[], what: string): string {
  const one = Array.isArray(result) ? result[0] : result;
  assert.ok(one?.success, `${what} was not saved: ${JSON.stringify(one?.errors)}`);
  return String(one.id);
}

export async function create(seller: Connection, type: string, fields: Fields): Promise<string> {
  return saved((await seller.sobject(orgName(type)).create(orgFields(fields))) as SaveResult, `${type} ${JSON.stringify(fields)}`);
}

export async function update(seller: Connection, type: string, id: string, fields: Fields): Promise<void> {
  saved((await seller.sobject(orgName(type)).update({ Id: id, ...orgFields(fields) })) as SaveResult, `${type} ${id}`);
}

/** One record as the seller reads it (sObject Rows GET), keyed by the package's plain names. */
export async function retrieve(seller: Connection, type: string, id: string): Promise<Fields> {
  return plainFields((await seller.sobject(orgName(type)).retrieve(id)) as unknown as Fields);
}

/** YYYY-MM-DD, days from today. */
export function dayFromNow(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

export interface DealSpec {
  name: string;
  account: Fields & { Name: string };
  /** The customer contact given a contact role; null: none. */
  contact?: (Fields & { LastName: string }) | null;
  /** A solution from the catalog; null: none. */
  solutionId?: string | null;
  /** How can Microsoft help? (a co-sell request); null: no help asked. */
  help?: string | null;
  amount?: number;
  currency?: string;
  closeDate?: string;
  stage?: string;
}

export interface Deal {
  opportunityId: string;
  accountId: string;
  contactId: string | null;
}

/** Adds a catalog solution to an opportunity as the card does: picked from Microsoft_Solution_Detail__c. */
export async function addSolution(seller: Connection, opportunityId: string, solutionId: string): Promise<string> {
  const detail = (await seller.query<Record<string, string>>(
    orgName(`SELECT Id, Name, Publisher_Name__c FROM Microsoft_Solution_Detail__c WHERE Solution_Id__c = '${solutionId}' AND Active__c = true`),
  )).records[0];
  assert.ok(detail, `solution ${solutionId} is in the catalog`);
  return create(seller, 'Microsoft_Solution__c', {
    Opportunity__c: opportunityId,
    Solution_Id__c: solutionId,
    Solution_Name__c: detail.Name,
    Publisher_Name__c: detail[orgName('Publisher_Name__c')],
    Solution_Detail__c: detail.Id,
  });
}

export async function addContactRole(seller: Connection, opportunityId: string, contactId: string): Promise<string> {
  return create(seller, 'OpportunityContactRole', { OpportunityId: opportunityId, ContactId: contactId, Role: 'Decision Maker', IsPrimary: true });
}

/**
 * A new deal as a seller builds it: the customer account and contact, the opportunity (sync still off), its
 * contact role and solution. Co-sell (help asked, visible to Microsoft sellers) unless the spec says otherwise.
 */
export async function createDeal(stack: Stack, spec: DealSpec): Promise<Deal> {
  const { seller } = stack;
  const accountId = await create(seller, 'Account', spec.account);
  const contactId = spec.contact === null ? null : await create(seller, 'Contact', { AccountId: accountId, FirstName: 'Dana', LastName: 'Buyer', Email: `buyer@${accountId.toLowerCase()}.example`, ...spec.contact });
  const help = spec.help === undefined ? 'CustomerTechnicalArchitecture' : spec.help;
  const opportunityId = await create(seller, 'Opportunity', {
    Name: spec.name,
    AccountId: accountId,
    Amount: spec.amount ?? 100_000,
    CurrencyIsoCode: spec.currency ?? 'USD',
    CloseDate: spec.closeDate ?? dayFromNow(60),
    StageName: spec.stage ?? 'Prospecting',
    Description: `${spec.name}: the customer wants Microsoft in the room.`,
    ...(help ? { Microsoft_Help__c: help } : {}),
    Visible_To_Microsoft_Sellers__c: true,
  });
  if (contactId) await addContactRole(seller, opportunityId, contactId);
  const solutionId = spec.solutionId === undefined ? SOLUTION_CATALOG[0].Solution_Id__c : spec.solutionId;
  if (solutionId) await addSolution(seller, opportunityId, solutionId);
  return { opportunityId, accountId, contactId };
}

/** The seller switches sync on (the card's toggle). */
export function turnOnSync(stack: Stack, opportunityId: string): Promise<void> {
  return update(stack.seller, 'Opportunity', opportunityId, { Sync_With_Partner_Center__c: true });
}

/** The card's "Retry sync": the seller sets the status back to Pending, which the package's flow sends again. */
export function retrySync(stack: Stack, opportunityId: string): Promise<void> {
  return update(stack.seller, 'Opportunity', opportunityId, { Partner_Center_Sync_Status__c: 'Pending' });
}
