/** Custom labels shown by the setup page's connection section. */
import sectionConnection from '@salesforce/label/c.PC_Setup_Section_Connection';
import connectionIntro from '@salesforce/label/c.PC_Setup_Connection_Intro';
import testConnection from '@salesforce/label/c.PC_Setup_Test_Connection';
import registerWebhooks from '@salesforce/label/c.PC_Setup_Register_Webhooks';
import checking from '@salesforce/label/c.PC_Setup_Checking';
import reach from '@salesforce/label/c.PC_Setup_Conn_Reach';
import reachOk from '@salesforce/label/c.PC_Setup_Conn_Reach_Ok';
import reachRefused from '@salesforce/label/c.PC_Setup_Conn_Reach_Refused';
import reachFailed from '@salesforce/label/c.PC_Setup_Conn_Reach_Failed';
import flowFailed from '@salesforce/label/c.PC_Setup_Conn_Flow_Failed';
import notChecked from '@salesforce/label/c.PC_Setup_Conn_Not_Checked';
import partnerCenter from '@salesforce/label/c.PC_Setup_Conn_PC';
import partnerCenterOk from '@salesforce/label/c.PC_Setup_Conn_PC_Ok';
import partnerCenterFailed from '@salesforce/label/c.PC_Setup_Conn_PC_Failed';
import webhooks from '@salesforce/label/c.PC_Setup_Conn_Webhooks';
import webhooksOk from '@salesforce/label/c.PC_Setup_Conn_Webhooks_Ok';
import webhooksNone from '@salesforce/label/c.PC_Setup_Conn_Webhooks_None';
import webhooksOther from '@salesforce/label/c.PC_Setup_Conn_Webhooks_Other';
import webhooksUnknown from '@salesforce/label/c.PC_Setup_Conn_Webhooks_Unknown';
import registered from '@salesforce/label/c.PC_Setup_Registered';
import registeredMessage from '@salesforce/label/c.PC_Setup_Registered_Message';
import registerFailed from '@salesforce/label/c.PC_Setup_Register_Failed';
import statusOk from '@salesforce/label/c.PC_Setup_Status_Ok';
import statusMissing from '@salesforce/label/c.PC_Setup_Status_Missing';
import statusUnknown from '@salesforce/label/c.PC_Setup_Status_Unknown';

export const LABELS = {
  sectionConnection,
  connectionIntro,
  testConnection,
  registerWebhooks,
  checking,
  reach,
  reachOk,
  reachRefused,
  reachFailed,
  flowFailed,
  notChecked,
  partnerCenter,
  partnerCenterOk,
  partnerCenterFailed,
  webhooks,
  webhooksOk,
  webhooksNone,
  webhooksOther,
  webhooksUnknown,
  registered,
  registeredMessage,
  registerFailed,
  statusOk,
  statusMissing,
  statusUnknown,
};

export type ConnectionLabels = typeof LABELS;
