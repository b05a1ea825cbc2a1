/** The standard objects the package and connector use, with Salesforce's API names, labels and lengths. */
import {
  checkbox, field, longText, object, picklist, readOnly, reference, text, values,
  type ObjectDef,
} from './schema-types.js';

/** Currencies enabled in the local org (multi-currency on; USD is the corporate currency). */
export const ORG_CURRENCIES = ['USD', 'EUR', 'GBP', 'JPY', 'AUD', 'CAD', 'CHF', 'INR'];
export const CORPORATE_CURRENCY = 'USD';

const currency = () =>
  picklist('CurrencyIsoCode', 'Currency ISO Code', values(ORG_CURRENCIES, CORPORATE_CURRENCY), {
    length: 3,
    restrictedPicklist: true,
    nillable: false,
    defaultValue: CORPORATE_CURRENCY,
  });

const account = object('Account', { label: 'Account', labelPlural: 'Accounts', keyPrefix: '001', owner: true }, [
  text('Name', 'Account Name', 255, { nillable: false, nameField: true }),
  picklist('Type', 'Account Type', values(['Prospect', 'Customer - Direct', 'Customer - Channel', 'Partner', 'Other'])),
  longText('BillingStreet', 'Billing Street', 255),
  text('BillingCity', 'Billing City', 40),
  text('BillingState', 'Billing State/Province', 80),
  text('BillingPostalCode', 'Billing Zip/Postal Code', 20),
  text('BillingCountry', 'Billing Country', 80),
  field('Phone', 'Account Phone', 'phone', { length: 40 }),
  field('Website', 'Website', 'url', { length: 255 }),
  picklist('Industry', 'Industry', values(['Agriculture', 'Banking', 'Education', 'Healthcare', 'Manufacturing', 'Retail', 'Technology', 'Other'])),
  longText('Description', 'Account Description', 32000),
  currency(),
]);

const contact = object('Contact', { label: 'Contact', labelPlural: 'Contacts', keyPrefix: '003', owner: true }, [
  reference('AccountId', 'Account ID', { to: 'Account', relationshipName: 'Account', childRelationshipName: 'Contacts', onParentDelete: 'cascade' }),
  text('FirstName', 'First Name', 40),
  text('LastName', 'Last Name', 80, { nillable: false }),
  readOnly(text('Name', 'Full Name', 121, { nameField: true })),
  field('Email', 'Email', 'email', { length: 80 }),
  field('Phone', 'Business Phone', 'phone', { length: 40 }),
  text('Title', 'Title', 128),
  text('MailingCountry', 'Mailing Country', 80),
  currency(),
]);

const opportunity = object('Opportunity', { label: 'Opportunity', labelPlural: 'Opportunities', keyPrefix: '006', owner: true }, [
  text('Name', 'Name', 120, { nillable: false, nameField: true }),
  reference('AccountId', 'Account ID', { to: 'Account', relationshipName: 'Account', childRelationshipName: 'Opportunities', onParentDelete: 'cascade' }),
  field('Amount', 'Amount', 'currency', { precision: 18, scale: 2 }),
  currency(),
  field('CloseDate', 'Close Date', 'date', { nillable: false }),
  // StageName's values are the org's OpportunityStage rows; unknown stages are rejected like a restricted picklist.
  picklist('StageName', 'Stage', 'OpportunityStage', { nillable: false, restrictedPicklist: true, length: 255 }),
  field('Probability', 'Probability (%)', 'percent', { precision: 3, scale: 0 }),
  picklist('ForecastCategoryName', 'Forecast Category', values(['Omitted', 'Pipeline', 'BestCase', 'Forecast', 'Closed']), { restrictedPicklist: true, length: 40 }),
  readOnly(checkbox('IsClosed', 'Closed')),
  readOnly(checkbox('IsWon', 'Won')),
  picklist('Type', 'Opportunity Type', values(['Existing Customer - Upgrade', 'Existing Customer - Replacement', 'Existing Customer - Downgrade', 'New Customer'])),
  picklist('LeadSource', 'Lead Source', values(['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'])),
  text('NextStep', 'Next Step', 255),
  longText('Description', 'Description', 32000),
]);

const contactRole = object('OpportunityContactRole', { label: 'Opportunity Contact Role', labelPlural: 'Opportunity Contact Roles', keyPrefix: '00K' }, [
  reference('OpportunityId', 'Opportunity ID', { to: 'Opportunity', relationshipName: 'Opportunity', childRelationshipName: 'OpportunityContactRoles', onParentDelete: 'cascade' }, { nillable: false, updateable: false }),
  reference('ContactId', 'Contact ID', { to: 'Contact', relationshipName: 'Contact', childRelationshipName: 'OpportunityContactRoles', onParentDelete: 'cascade' }, { nillable: false }),
  picklist('Role', 'Role', values(['Business User', 'Decision Maker', 'Economic Buyer', 'Economic Decision Maker', 'Evaluator', 'Executive Sponsor', 'Influencer', 'Technical Buyer', 'Other'])),
  checkbox('IsPrimary', 'Primary'),
]);

export const LEAD_STATUSES = ['Open - Not Contacted', 'Working - Contacted', 'Closed - Converted', 'Closed - Not Converted'];

const lead = object('Lead', { label: 'Lead', labelPlural: 'Leads', keyPrefix: '00Q', owner: true }, [
  text('FirstName', 'First Name', 40),
  text('LastName', 'Last Name', 80, { nillable: false }),
  readOnly(text('Name', 'Full Name', 121, { nameField: true })),
  text('Company', 'Company', 255, { nillable: false }),
  field('Email', 'Email', 'email', { length: 80 }),
  field('Phone', 'Phone', 'phone', { length: 40 }),
  text('Title', 'Title', 128),
  longText('Street', 'Street', 255),
  text('City', 'City', 40),
  text('State', 'State/Province', 80),
  text('PostalCode', 'Zip/Postal Code', 20),
  text('Country', 'Country', 80),
  longText('Description', 'Description', 32000),
  picklist('LeadSource', 'Lead Source', values(['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Microsoft Partner Center', 'Other'])),
  picklist('Status', 'Status', values(LEAD_STATUSES, LEAD_STATUSES[0]), { nillable: false, restrictedPicklist: true, defaultValue: LEAD_STATUSES[0] }),
  readOnly(checkbox('IsConverted', 'Converted')),
  currency(),
]);

// Users are provisioned by the org (see users.ts), not through the data API.
const user = object('User', { label: 'User', labelPlural: 'Users', keyPrefix: '005', createable: false, updateable: false, deletable: false }, [
  text('Username', 'Username', 80, { nillable: false, unique: true }),
  text('FirstName', 'First Name', 40),
  text('LastName', 'Last Name', 80, { nillable: false }),
  readOnly(text('Name', 'Full Name', 121, { nameField: true })),
  field('Email', 'Email', 'email', { length: 128, nillable: false }),
  field('Phone', 'Phone', 'phone', { length: 40 }),
  text('Alias', 'Alias', 8, { nillable: false }),
  checkbox('IsActive', 'Active', true),
  text('TimeZoneSidKey', 'Time Zone', 40),
  text('LanguageLocaleKey', 'Language', 40),
]);

// Stages are setup data; the setup page reads them, nobody writes them through the data API.
const opportunityStage = object('OpportunityStage', { label: 'Opportunity Stage', labelPlural: 'Opportunity Stages', keyPrefix: '01J', createable: false, updateable: false, deletable: false }, [
  text('MasterLabel', 'Master Label', 255, { nillable: false, nameField: true }),
  text('ApiName', 'Api Name', 255, { nillable: false }),
  checkbox('IsActive', 'Active', true),
  checkbox('IsClosed', 'Closed'),
  checkbox('IsWon', 'Won'),
  field('SortOrder', 'Sort Order', 'int', { precision: 9 }),
  field('DefaultProbability', 'Probability (%)', 'percent', { precision: 3, scale: 0 }),
  text('ForecastCategoryName', 'Forecast Category', 40),
  longText('Description', 'Description', 255),
]);

export const STANDARD_OBJECTS: ObjectDef[] = [account, contact, opportunity, contactRole, lead, user, opportunityStage];
