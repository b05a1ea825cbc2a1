/**
 * Setup data every local org has (opportunity stages) and the demo data behind `npm start` and the tests:
 * settings, a solution catalog, accounts (one with the country written "Deutschland", one without a country),
 * contacts and opportunities, one of them ready to co-sell (help chosen, visible, a contact role and a solution).
 */
import type { Org } from './org.js';
import type { StoredRecord } from './values.js';
import { formatDate } from './values.js';

export const ON_HOLD_STAGE = 'On Hold';
export const ACTIVE_STAGE = 'Qualification';
export const WON_STAGE = 'Closed Won';
export const LOST_STAGE = 'Closed Lost';

/** [label, probability, forecast category, closed, won] in sort order. */
const STAGES: [string, number, string, boolean, boolean][] = [
  // New referrals shared by Microsoft wait here until a seller accepts them; they stay out of the forecast.
  [ON_HOLD_STAGE, 0, 'Omitted', false, false],
  ['Prospecting', 10, 'Pipeline', false, false],
  ['Qualification', 10, 'Pipeline', false, false],
  ['Needs Analysis', 20, 'Pipeline', false, false],
  ['Value Proposition', 50, 'Pipeline', false, false],
  ['Id. Decision Makers', 60, 'Pipeline', false, false],
  ['Perception Analysis', 70, 'Pipeline', false, false],
  ['Proposal/Price Quote', 75, 'Pipeline', false, false],
  ['Negotiation/Review', 90, 'Pipeline', false, false],
  [WON_STAGE, 100, 'Closed', true, true],
  [LOST_STAGE, 0, 'Omitted', true, false],
];

/** The partner's and Microsoft's solutions sellers pick from. */
export const SOLUTION_CATALOG = [
  { Solution_Id__c: 'SOL-10482-LZA', Name: 'Litware Azure Landing Zone Accelerator', Publisher_Name__c: 'Litware Inc.', Solution_Type__c: 'CoSellReady' },
  { Solution_Id__c: 'SOL-20931-DPM', Name: 'Litware Data Platform Modernization', Publisher_Name__c: 'Litware Inc.', Solution_Type__c: 'CoSellReady' },
  { Solution_Id__c: 'SOL-33107-ZTA', Name: 'Litware Zero Trust Assessment', Publisher_Name__c: 'Litware Inc.', Solution_Type__c: 'CoSellReady' },
  { Solution_Id__c: '7f3c6a52-1c4e-4b8e-9a59-2d6f0c3e8b11', Name: 'Microsoft Azure', Publisher_Name__c: 'Microsoft', Solution_Type__c: 'MicrosoftCatalog' },
  { Solution_Id__c: 'b2e4d1f0-5a7c-4e3b-8f2d-91c6a7e0d4c2', Name: 'Microsoft 365 E5', Publisher_Name__c: 'Microsoft', Solution_Type__c: 'MicrosoftCatalog' },
  { Solution_Id__c: 'c9a8f7e6-2b1d-4c3e-a5f4-6e7d8c9b0a1f', Name: 'Dynamics 365 Sales', Publisher_Name__c: 'Microsoft', Solution_Type__c: 'MicrosoftCatalog' },
];

/** Opportunity stages exist in every org; provisioned once per database. */
export function provisionStages(org: Org): void {
  if (org.store.countAll('OpportunityStage') > 0) return;
  const actor = org.systemActor();
  org.store.transaction(() => {
    STAGES.forEach(([label, probability, forecast, closed, won], i) => {
      org.dml.create(actor, 'OpportunityStage', {
        MasterLabel: label, ApiName: label, IsActive: true, IsClosed: closed, IsWon: won,
        SortOrder: i + 1, DefaultProbability: probability, ForecastCategoryName: forecast,
      });
    });
  });
}

export interface SeedResult {
  settingsId: string;
  accounts: Record<string, string>;
  contacts: Record<string, string>;
  opportunities: Record<string, string>;
  solutionDetails: Record<string, string>;
}

const daysFromNow = (org: Org, days: number): string => formatDate(org.now() + days * 86_400_000);

/** Seeds demo data once per database (a second call on a seeded database returns null). */
export function seedDemoData(org: Org): SeedResult | null {
  if (org.store.countAll('Partner_Center_Settings__c') > 0) return null;
  const system = org.systemActor();
  const seller = org.users.byKey('seller');
  const create = (type: string, fields: StoredRecord) => org.dml.create(system, type, fields);
  return org.store.transaction(() => {
    const settingsId = create('Partner_Center_Settings__c', {
      Name: 'Default', Active__c: true, Display_Check_Mark__c: true,
      Active_Stage_Name__c: ACTIVE_STAGE, On_Hold_Stage_Name__c: ON_HOLD_STAGE, Won_Stage_Name__c: WON_STAGE, Lost_Stage_Name__c: LOST_STAGE,
      Country_Code_Field__c: 'Account.BillingCountry', Deal_Value_Field__c: 'Opportunity.Amount',
      Currency_Field__c: 'Opportunity.CurrencyIsoCode', Sync_Co_Sell_Only__c: true,
    });
    const solutionDetails: Record<string, string> = {};
    for (const s of SOLUTION_CATALOG) solutionDetails[s.Solution_Id__c] = create('Microsoft_Solution_Detail__c', { ...s, Active__c: true });

    const accounts = {
      contoso: create('Account', { Name: 'Contoso Pharmaceuticals', BillingStreet: '1 Harbor Way', BillingCity: 'Redmond', BillingState: 'WA', BillingPostalCode: '98052', BillingCountry: 'US', Industry: 'Healthcare', OwnerId: seller.id }),
      fabrikam: create('Account', { Name: 'Fabrikam Handels GmbH', BillingStreet: 'Friedrichstraße 68', BillingCity: 'Berlin', BillingPostalCode: '10117', BillingCountry: 'Deutschland', Industry: 'Retail', OwnerId: seller.id, CurrencyIsoCode: 'EUR' }),
      northwind: create('Account', { Name: 'Northwind Traders Ltd', BillingStreet: '12 Kingsway', BillingCity: 'London', BillingPostalCode: 'WC2B 6NH', BillingCountry: 'GB', Industry: 'Retail', OwnerId: seller.id, CurrencyIsoCode: 'GBP' }),
      tailspin: create('Account', { Name: 'Tailspin Toys', BillingStreet: '400 Broad St', BillingCity: 'Seattle', BillingState: 'WA', BillingPostalCode: '98109', Industry: 'Manufacturing', OwnerId: seller.id }),
    };
    const contacts = {
      dana: create('Contact', { AccountId: accounts.contoso, FirstName: 'Dana', LastName: 'Whitfield', Email: 'dana.whitfield@contoso.example', Phone: '+1 425 555 0100', Title: 'Chief Technology Officer', OwnerId: seller.id }),
      lee: create('Contact', { AccountId: accounts.contoso, FirstName: 'Lee', LastName: 'Park', Email: 'lee.park@contoso.example', Title: 'Procurement Lead', OwnerId: seller.id }),
      jonas: create('Contact', { AccountId: accounts.fabrikam, FirstName: 'Jonas', LastName: 'Becker', Email: 'jonas.becker@fabrikam.example', Phone: '+49 30 555 0142', Title: 'Leiter IT', OwnerId: seller.id }),
      priya: create('Contact', { AccountId: accounts.northwind, FirstName: 'Priya', LastName: 'Natarajan', Email: 'priya.natarajan@northwind.example', Title: 'Head of Data', OwnerId: seller.id }),
      chris: create('Contact', { AccountId: accounts.tailspin, FirstName: 'Chris', LastName: 'Ortega', Email: 'chris.ortega@tailspin.example', Title: 'Operations Director', OwnerId: seller.id }),
    };
    const opportunities = {
      // Ready to co-sell: the seller only has to switch sync on.
      contosoLandingZone: create('Opportunity', {
        Name: 'Contoso - Azure landing zone', AccountId: accounts.contoso, Amount: 250000, CurrencyIsoCode: 'USD',
        CloseDate: daysFromNow(org, 60), StageName: ACTIVE_STAGE, OwnerId: seller.id,
        Description: 'Move 300 on-premises VMs to Azure with a governed landing zone.',
        Microsoft_Help__c: 'CustomerTechnicalArchitecture', Visible_To_Microsoft_Sellers__c: true,
      }),
      fabrikamDynamics: create('Opportunity', {
        Name: 'Fabrikam - Dynamics 365 Sales rollout', AccountId: accounts.fabrikam, Amount: 120000, CurrencyIsoCode: 'EUR',
        CloseDate: daysFromNow(org, 90), StageName: 'Needs Analysis', OwnerId: seller.id,
      }),
      tailspinTeams: create('Opportunity', {
        Name: 'Tailspin - Teams Phone', AccountId: accounts.tailspin, Amount: 40000, CurrencyIsoCode: 'USD',
        CloseDate: daysFromNow(org, 30), StageName: 'Prospecting', OwnerId: seller.id,
      }),
      northwindDataPlatform: create('Opportunity', {
        Name: 'Northwind - Data platform modernisation', AccountId: accounts.northwind, Amount: 500000, CurrencyIsoCode: 'GBP',
        CloseDate: daysFromNow(org, -10), StageName: WON_STAGE, OwnerId: seller.id,
      }),
    };
    create('OpportunityContactRole', { OpportunityId: opportunities.contosoLandingZone, ContactId: contacts.dana, Role: 'Decision Maker', IsPrimary: true });
    create('OpportunityContactRole', { OpportunityId: opportunities.contosoLandingZone, ContactId: contacts.lee, Role: 'Economic Buyer', IsPrimary: false });
    create('OpportunityContactRole', { OpportunityId: opportunities.fabrikamDynamics, ContactId: contacts.jonas, Role: 'Decision Maker', IsPrimary: true });
    const lz = SOLUTION_CATALOG[0];
    create('Microsoft_Solution__c', {
      Opportunity__c: opportunities.contosoLandingZone, Solution_Id__c: lz.Solution_Id__c, Solution_Name__c: lz.Name,
      Publisher_Name__c: lz.Publisher_Name__c, Solution_Detail__c: solutionDetails[lz.Solution_Id__c],
    });
    return { settingsId, accounts, contacts, opportunities, solutionDetails };
  });
}
