/** Custom labels shown by the Partner Center card. */
import cardTitle from '@salesforce/label/c.PC_Card_Title';
import loading from '@salesforce/label/c.PC_Common_Loading';
import loadError from '@salesforce/label/c.PC_Card_Load_Error';
import saved from '@salesforce/label/c.PC_Common_Saved';
import saveFailed from '@salesforce/label/c.PC_Common_Save_Failed';
import readOnly from '@salesforce/label/c.PC_Card_Read_Only';
import readOnlyIcon from '@salesforce/label/c.PC_Card_Read_Only_Icon';
import statusHeading from '@salesforce/label/c.PC_Card_Status_Heading';
import statusOff from '@salesforce/label/c.PC_Card_Status_Off';
import statusNotSynced from '@salesforce/label/c.PC_Card_Status_Not_Synced';
import statusPending from '@salesforce/label/c.PC_Card_Status_Pending';
import statusSynced from '@salesforce/label/c.PC_Card_Status_Synced';
import statusError from '@salesforce/label/c.PC_Card_Status_Error';
import statusPaused from '@salesforce/label/c.PC_Card_Status_Paused';
import iconNotSynced from '@salesforce/label/c.PC_Card_Icon_Not_Synced';
import iconPending from '@salesforce/label/c.PC_Card_Icon_Pending';
import iconSynced from '@salesforce/label/c.PC_Card_Icon_Synced';
import iconError from '@salesforce/label/c.PC_Card_Icon_Error';
import lastError from '@salesforce/label/c.PC_Card_Last_Error';
import errorNoDetails from '@salesforce/label/c.PC_Card_Error_No_Details';
import retry from '@salesforce/label/c.PC_Card_Retry';
import retryRequested from '@salesforce/label/c.PC_Card_Retry_Requested';
import retryRequestedMessage from '@salesforce/label/c.PC_Card_Retry_Requested_Message';
import liveUpdatesOff from '@salesforce/label/c.PC_Card_Live_Updates_Off';
import syncLabel from '@salesforce/label/c.PC_Card_Sync_Label';
import syncHelp from '@salesforce/label/c.PC_Card_Sync_Help';
import toggleOn from '@salesforce/label/c.PC_Common_Toggle_On';
import toggleOff from '@salesforce/label/c.PC_Common_Toggle_Off';
import helpLabel from '@salesforce/label/c.PC_Card_Help_Label';
import helpNone from '@salesforce/label/c.PC_Card_Help_None';
import helpFieldHelp from '@salesforce/label/c.PC_Card_Help_Field_Help';
import visibleLabel from '@salesforce/label/c.PC_Card_Visible_Label';
import visibleHelp from '@salesforce/label/c.PC_Card_Visible_Help';
import visibleLocked from '@salesforce/label/c.PC_Card_Visible_Locked';
import confirmVisibleTitle from '@salesforce/label/c.PC_Card_Confirm_Visible_Title';
import confirmVisibleMessage from '@salesforce/label/c.PC_Card_Confirm_Visible_Message';
import confirmHelpTitle from '@salesforce/label/c.PC_Card_Confirm_Help_Title';
import confirmHelpMessage from '@salesforce/label/c.PC_Card_Confirm_Help_Message';
import savedSyncOn from '@salesforce/label/c.PC_Card_Saved_Sync_On';
import savedSyncOff from '@salesforce/label/c.PC_Card_Saved_Sync_Off';
import savedHelp from '@salesforce/label/c.PC_Card_Saved_Help';
import savedHelpRemoved from '@salesforce/label/c.PC_Card_Saved_Help_Removed';
import savedVisible from '@salesforce/label/c.PC_Card_Saved_Visible';
import checklistHeading from '@salesforce/label/c.PC_Card_Checklist_Heading';
import checklistIntro from '@salesforce/label/c.PC_Card_Checklist_Intro';
import checklistBlocked from '@salesforce/label/c.PC_Card_Checklist_Blocked';
import prereqContact from '@salesforce/label/c.PC_Card_Prereq_Contact';
import prereqContactHint from '@salesforce/label/c.PC_Card_Prereq_Contact_Hint';
import prereqSolution from '@salesforce/label/c.PC_Card_Prereq_Solution';
import prereqSolutionHint from '@salesforce/label/c.PC_Card_Prereq_Solution_Hint';
import prereqCountry from '@salesforce/label/c.PC_Card_Prereq_Country';
import prereqCountryRule from '@salesforce/label/c.PC_Card_Prereq_Country_Rule';
import prereqNoAccount from '@salesforce/label/c.PC_Card_Prereq_No_Account';
import prereqMet from '@salesforce/label/c.PC_Card_Prereq_Met';
import prereqMissing from '@salesforce/label/c.PC_Card_Prereq_Missing';
import prereqUnknown from '@salesforce/label/c.PC_Card_Prereq_Unknown';
import prereqUnknownHint from '@salesforce/label/c.PC_Card_Prereq_Unknown_Hint';
import detailsHeading from '@salesforce/label/c.PC_Card_Details_Heading';
import fieldPcStatus from '@salesforce/label/c.PC_Card_Field_PC_Status';
import fieldReferralId from '@salesforce/label/c.PC_Card_Field_Referral_Id';
import fieldReferralLink from '@salesforce/label/c.PC_Card_Field_Referral_Link';
import openInPartnerCenter from '@salesforce/label/c.PC_Card_Open_In_Partner_Center';
import fieldCrmId from '@salesforce/label/c.PC_Card_Field_CRM_Id';
import fieldLastSync from '@salesforce/label/c.PC_Card_Field_Last_Sync';
import valueEmpty from '@salesforce/label/c.PC_Card_Value_Empty';
import auditHeading from '@salesforce/label/c.PC_Card_Audit_Heading';
import auditEmpty from '@salesforce/label/c.PC_Card_Audit_Empty';

export const LABELS = {
  cardTitle,
  loading,
  loadError,
  saved,
  saveFailed,
  readOnly,
  readOnlyIcon,
  statusHeading,
  statusOff,
  statusNotSynced,
  statusPending,
  statusSynced,
  statusError,
  statusPaused,
  iconNotSynced,
  iconPending,
  iconSynced,
  iconError,
  lastError,
  errorNoDetails,
  retry,
  retryRequested,
  retryRequestedMessage,
  liveUpdatesOff,
  syncLabel,
  syncHelp,
  toggleOn,
  toggleOff,
  helpLabel,
  helpNone,
  helpFieldHelp,
  visibleLabel,
  visibleHelp,
  visibleLocked,
  confirmVisibleTitle,
  confirmVisibleMessage,
  confirmHelpTitle,
  confirmHelpMessage,
  savedSyncOn,
  savedSyncOff,
  savedHelp,
  savedHelpRemoved,
  savedVisible,
  checklistHeading,
  checklistIntro,
  checklistBlocked,
  prereqContact,
  prereqContactHint,
  prereqSolution,
  prereqSolutionHint,
  prereqCountry,
  prereqCountryRule,
  prereqNoAccount,
  prereqMet,
  prereqMissing,
  prereqUnknown,
  prereqUnknownHint,
  detailsHeading,
  fieldPcStatus,
  fieldReferralId,
  fieldReferralLink,
  openInPartnerCenter,
  fieldCrmId,
  fieldLastSync,
  valueEmpty,
  auditHeading,
  auditEmpty,
} as const;

export type CardLabels = typeof LABELS;
