/** Custom labels shown by the failed-syncs list. Retry and its toast are the card's own labels: the same action. */
import title from '@salesforce/label/c.PC_Failed_Title';
import intro from '@salesforce/label/c.PC_Failed_Intro';
import empty from '@salesforce/label/c.PC_Failed_Empty';
import unavailable from '@salesforce/label/c.PC_Failed_Unavailable';
import colAccount from '@salesforce/label/c.PC_Failed_Col_Account';
import colReason from '@salesforce/label/c.PC_Failed_Col_Reason';
import colDetail from '@salesforce/label/c.PC_Failed_Col_Detail';
import colAction from '@salesforce/label/c.PC_Failed_Col_Action';
import retryAll from '@salesforce/label/c.PC_Failed_Retry_All';
import refresh from '@salesforce/label/c.PC_Failed_Refresh';
import noReason from '@salesforce/label/c.PC_Failed_No_Reason';
import retriedMessage from '@salesforce/label/c.PC_Failed_Retried_Message';
import retryFailed from '@salesforce/label/c.PC_Failed_Retry_Failed';
import more from '@salesforce/label/c.PC_Failed_More';
import openList from '@salesforce/label/c.PC_Failed_Open_List';
import colOpportunity from '@salesforce/label/c.PC_Setup_Col_Opportunity';
import colWhen from '@salesforce/label/c.PC_Setup_Col_When';
import viewLog from '@salesforce/label/c.PC_Setup_View_Log';
import loading from '@salesforce/label/c.PC_Common_Loading';
import saveFailed from '@salesforce/label/c.PC_Common_Save_Failed';
import retry from '@salesforce/label/c.PC_Card_Retry';
import retryRequested from '@salesforce/label/c.PC_Card_Retry_Requested';

export const LABELS = {
  title,
  intro,
  empty,
  unavailable,
  colOpportunity,
  colAccount,
  colReason,
  colWhen,
  colDetail,
  colAction,
  retry,
  retryAll,
  refresh,
  noReason,
  retryRequested,
  retriedMessage,
  retryFailed,
  saveFailed,
  more,
  openList,
  viewLog,
  loading,
} as const;

export type FailedSyncsLabels = typeof LABELS;
