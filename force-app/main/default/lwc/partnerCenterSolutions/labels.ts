/** Custom labels shown by the Microsoft solutions component. */
import title from '@salesforce/label/c.PC_Sol_Title';
import loading from '@salesforce/label/c.PC_Common_Loading';
import loadError from '@salesforce/label/c.PC_Sol_Load_Error';
import empty from '@salesforce/label/c.PC_Sol_Empty';
import readOnly from '@salesforce/label/c.PC_Sol_Read_Only';
import removeAlt from '@salesforce/label/c.PC_Sol_Remove_Alt';
import confirmRemoveTitle from '@salesforce/label/c.PC_Sol_Confirm_Remove_Title';
import confirmRemoveMessage from '@salesforce/label/c.PC_Sol_Confirm_Remove_Message';
import removed from '@salesforce/label/c.PC_Sol_Removed';
import removedMessage from '@salesforce/label/c.PC_Sol_Removed_Message';
import removeFailed from '@salesforce/label/c.PC_Sol_Remove_Failed';
import added from '@salesforce/label/c.PC_Sol_Added';
import addedMessage from '@salesforce/label/c.PC_Sol_Added_Message';
import addFailed from '@salesforce/label/c.PC_Sol_Add_Failed';
import duplicate from '@salesforce/label/c.PC_Sol_Duplicate';
import addHeading from '@salesforce/label/c.PC_Sol_Add_Heading';
import searchLabel from '@salesforce/label/c.PC_Sol_Search_Label';
import searchPlaceholder from '@salesforce/label/c.PC_Sol_Search_Placeholder';
import resultsLabel from '@salesforce/label/c.PC_Sol_Results_Label';
import addAlt from '@salesforce/label/c.PC_Sol_Add_Alt';
import alreadyAdded from '@salesforce/label/c.PC_Sol_Already_Added';
import catalogLoading from '@salesforce/label/c.PC_Sol_Catalog_Loading';
import catalogEmpty from '@salesforce/label/c.PC_Sol_Catalog_Empty';
import noMatches from '@salesforce/label/c.PC_Sol_No_Matches';
import catalogError from '@salesforce/label/c.PC_Sol_Catalog_Error';
import moreResults from '@salesforce/label/c.PC_Sol_More_Results';
import manualHeading from '@salesforce/label/c.PC_Sol_Manual_Heading';
import manualIdLabel from '@salesforce/label/c.PC_Sol_Manual_Id_Label';
import manualIdHelp from '@salesforce/label/c.PC_Sol_Manual_Id_Help';
import manualNameLabel from '@salesforce/label/c.PC_Sol_Manual_Name_Label';
import manualAdd from '@salesforce/label/c.PC_Sol_Manual_Add';
import manualIdRequired from '@salesforce/label/c.PC_Sol_Manual_Id_Required';
import manualIdInvalid from '@salesforce/label/c.PC_Sol_Manual_Id_Invalid';
import solutionId from '@salesforce/label/c.PC_Sol_Solution_Id';
import publisher from '@salesforce/label/c.PC_Sol_Publisher';

export const LABELS = {
  title,
  loading,
  loadError,
  empty,
  readOnly,
  removeAlt,
  confirmRemoveTitle,
  confirmRemoveMessage,
  removed,
  removedMessage,
  removeFailed,
  added,
  addedMessage,
  addFailed,
  duplicate,
  addHeading,
  searchLabel,
  searchPlaceholder,
  resultsLabel,
  addAlt,
  alreadyAdded,
  catalogLoading,
  catalogEmpty,
  noMatches,
  catalogError,
  moreResults,
  manualHeading,
  manualIdLabel,
  manualIdHelp,
  manualNameLabel,
  manualAdd,
  manualIdRequired,
  manualIdInvalid,
  solutionId,
  publisher,
} as const;
