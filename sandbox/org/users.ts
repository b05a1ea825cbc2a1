/**
 * The org's users and what they may do, as the package's permission sets grant it (force-app/.../permissionsets):
 * - integration: the connector's API-only user; Partner_Center_Integration permission set (custom permission
 *   Partner_Center_Integration, so flows ignore its writes; no deletes; edits only opportunities; settings read-only);
 * - seller: a Standard User with Partner_Center_Seller (referral fields read-only, catalog/settings/logs read-only);
 * - admin: a System Administrator (full access);
 * - viewer: a Read Only profile user (say a sales manager or analyst) who may read opportunities, solutions and the
 *   settings but create, edit or delete nothing; the card shows its read-only state to such a user.
 * Objects a user's entry does not list are fully accessible (the profile's standard object access).
 */
import { INTEGRATION_PERMISSION, SELLER_READ_ONLY_OPPORTUNITY_FIELDS } from './schema-package.js';

export interface ObjectAccess {
  create: boolean;
  edit: boolean;
  delete: boolean;
}

const NONE: ObjectAccess = { create: false, edit: false, delete: false };
const CREATE_EDIT: ObjectAccess = { create: true, edit: true, delete: false };
const CREATE_ONLY: ObjectAccess = { create: true, edit: false, delete: false };

const CATALOG_FIELDS = ['Active__c', 'Description__c', 'Publisher_Name__c', 'Solution_Type__c'];
const SETTINGS_FIELDS = ['Active_Stage_Name__c', 'Active__c', 'Country_Code_Field__c', 'Currency_Field__c', 'Deal_Value_Field__c',
  'Display_Check_Mark__c', 'Lost_Stage_Name__c', 'On_Hold_Stage_Name__c', 'Sync_Co_Sell_Only__c', 'Won_Stage_Name__c'];
/** Every object a Read Only user can see but not change (User and OpportunityStage are not writable anyway). */
const READ_ONLY_PROFILE_OBJECTS = ['Account', 'Contact', 'Lead', 'Opportunity', 'OpportunityContactRole', 'Microsoft_Solution__c',
  'Microsoft_Solution_Detail__c', 'Partner_Center_Settings__c', 'Partner_Center_Sync_Log__c', 'Partner_Center_Sync_Request__e',
  'Partner_Center_Sync_Status__e'];
const SYNC_LOG_FIELDS = ['Direction__c', 'Failure_Parameters__c', 'Failure_Reason__c', 'Message__c', 'Occurred_At__c', 'Operation__c', 'Opportunity__c', 'Outcome__c', 'Reason_Code__c', 'Referral_Id__c', 'Request_Id__c'];

export interface UserSpec {
  /** Stable handle for tests and the control API. */
  key: string;
  username: string;
  firstName: string;
  lastName: string;
  email: string;
  alias: string;
  /** Password for the OAuth password grant; absent for users that only log in through client credentials. */
  password?: string;
  customPermissions: string[];
  /** Per object: fields this user can read but not edit. */
  readOnlyFields: Record<string, string[]>;
  /** Per object: create/edit/delete rights; objects not listed are fully accessible. */
  objectAccess: Record<string, ObjectAccess>;
  /** Flows this user may run from a page (PermissionSet flowAccesses): Partner Center Admin's connection check. */
  flowAccess?: string[];
}

export interface OrgUser extends UserSpec {
  id: string;
  name: string;
}

export const DEFAULT_USERS: UserSpec[] = [
  {
    key: 'integration',
    username: 'integration@cosell.local',
    firstName: 'Partner Center',
    lastName: 'Integration',
    email: 'integration@cosell.local',
    alias: 'pcint',
    customPermissions: [INTEGRATION_PERMISSION],
    // Exactly what the connector uses (test/security/integration-permissions.test.ts): it creates customers,
    // contacts, solutions and leads but never edits them, and reads no catalog entry.
    readOnlyFields: { Microsoft_Solution__c: ['Solution_Detail__c'], Partner_Center_Settings__c: SETTINGS_FIELDS },
    objectAccess: {
      Account: CREATE_ONLY,
      Contact: CREATE_ONLY,
      Lead: CREATE_ONLY,
      Opportunity: CREATE_EDIT,
      Microsoft_Solution__c: CREATE_ONLY,
      Microsoft_Solution_Detail__c: NONE,
      Partner_Center_Settings__c: NONE,
      Partner_Center_Sync_Log__c: { create: true, edit: false, delete: false },
      Partner_Center_Sync_Status__e: { create: true, edit: false, delete: false },
      Partner_Center_Sync_Request__e: NONE,
    },
  },
  {
    key: 'seller',
    username: 'seller@cosell.local',
    firstName: 'Sam',
    lastName: 'Seller',
    email: 'seller@cosell.local',
    alias: 'sseller',
    password: 'seller-password-1',
    customPermissions: [],
    readOnlyFields: {
      Opportunity: SELLER_READ_ONLY_OPPORTUNITY_FIELDS,
      Microsoft_Solution_Detail__c: CATALOG_FIELDS,
      Partner_Center_Settings__c: SETTINGS_FIELDS,
      Partner_Center_Sync_Log__c: SYNC_LOG_FIELDS,
    },
    objectAccess: {
      Microsoft_Solution_Detail__c: NONE,
      Partner_Center_Settings__c: NONE,
      Partner_Center_Sync_Log__c: NONE,
      Partner_Center_Sync_Status__e: NONE,
      Partner_Center_Sync_Request__e: NONE,
    },
  },
  {
    key: 'admin',
    username: 'admin@cosell.local',
    firstName: 'Alex',
    lastName: 'Admin',
    email: 'admin@cosell.local',
    alias: 'aadmin',
    password: 'admin-password-1',
    customPermissions: [],
    readOnlyFields: {},
    objectAccess: {},
    flowAccess: ['Partner_Center_Connection_Check'],
  },
  {
    key: 'viewer',
    username: 'viewer@cosell.local',
    firstName: 'Vera',
    lastName: 'Viewer',
    email: 'viewer@cosell.local',
    alias: 'vviewer',
    password: 'viewer-password-1',
    customPermissions: [],
    readOnlyFields: {},
    objectAccess: Object.fromEntries(READ_ONLY_PROFILE_OBJECTS.map((object) => [object, NONE])),
  },
];

export class Users {
  private readonly all: OrgUser[];

  constructor(users: OrgUser[]) {
    this.all = users;
  }

  list(): OrgUser[] {
    return [...this.all];
  }

  byId(id: string): OrgUser | undefined {
    return this.all.find((u) => u.id === id);
  }

  byUsername(username: string): OrgUser | undefined {
    const lower = username.toLowerCase();
    return this.all.find((u) => u.username.toLowerCase() === lower);
  }

  byKey(key: string): OrgUser {
    const user = this.all.find((u) => u.key === key);
    if (!user) throw new Error(`no user with key ${key}`);
    return user;
  }

  hasPermission(user: OrgUser, permission: string): boolean {
    return user.customPermissions.includes(permission);
  }

  /** Object permissions: may this user create, edit or delete records of the object? */
  canObject(user: OrgUser, objectName: string, right: keyof ObjectAccess): boolean {
    const access = user.objectAccess[objectName];
    return access ? access[right] : true;
  }

  /** Field-level security: may this user write the field (where the metadata allows writing at all)? */
  canEdit(user: OrgUser, objectName: string, fieldName: string): boolean {
    return !(user.readOnlyFields[objectName] ?? []).includes(fieldName);
  }
}
