/** Custom labels shown by the Partner Center setup page. */
import title from '@salesforce/label/c.PC_Setup_Title';
import intro from '@salesforce/label/c.PC_Setup_Intro';
import loading from '@salesforce/label/c.PC_Common_Loading';
import loadError from '@salesforce/label/c.PC_Setup_Load_Error';
import noSettings from '@salesforce/label/c.PC_Setup_No_Settings';
import settingsName from '@salesforce/label/c.PC_Setup_Settings_Name';
import sectionStages from '@salesforce/label/c.PC_Setup_Section_Stages';
import activeStage from '@salesforce/label/c.PC_Setup_Active_Stage';
import activeStageHelp from '@salesforce/label/c.PC_Setup_Active_Stage_Help';
import onHoldStage from '@salesforce/label/c.PC_Setup_On_Hold_Stage';
import onHoldStageHelp from '@salesforce/label/c.PC_Setup_On_Hold_Stage_Help';
import wonStage from '@salesforce/label/c.PC_Setup_Won_Stage';
import wonStageHelp from '@salesforce/label/c.PC_Setup_Won_Stage_Help';
import lostStage from '@salesforce/label/c.PC_Setup_Lost_Stage';
import lostStageHelp from '@salesforce/label/c.PC_Setup_Lost_Stage_Help';
import stageClosedWon from '@salesforce/label/c.PC_Setup_Stage_Closed_Won';
import stageClosedLost from '@salesforce/label/c.PC_Setup_Stage_Closed_Lost';
import choose from '@salesforce/label/c.PC_Setup_Choose';
import sectionFields from '@salesforce/label/c.PC_Setup_Section_Fields';
import countryField from '@salesforce/label/c.PC_Setup_Country_Field';
import countryFieldHelp from '@salesforce/label/c.PC_Setup_Country_Field_Help';
import dealValueField from '@salesforce/label/c.PC_Setup_Deal_Value_Field';
import dealValueFieldHelp from '@salesforce/label/c.PC_Setup_Deal_Value_Field_Help';
import currencyField from '@salesforce/label/c.PC_Setup_Currency_Field';
import currencyFieldHelp from '@salesforce/label/c.PC_Setup_Currency_Field_Help';
import orgCurrency from '@salesforce/label/c.PC_Setup_Org_Currency';
import fieldOption from '@salesforce/label/c.PC_Setup_Field_Option';
import sectionOptions from '@salesforce/label/c.PC_Setup_Section_Options';
import checkMark from '@salesforce/label/c.PC_Setup_Check_Mark';
import checkMarkHelp from '@salesforce/label/c.PC_Setup_Check_Mark_Help';
import coSellOnly from '@salesforce/label/c.PC_Setup_Co_Sell_Only';
import coSellOnlyHelp from '@salesforce/label/c.PC_Setup_Co_Sell_Only_Help';
import toggleOn from '@salesforce/label/c.PC_Common_Toggle_On';
import toggleOff from '@salesforce/label/c.PC_Common_Toggle_Off';
import save from '@salesforce/label/c.PC_Setup_Save';
import saved from '@salesforce/label/c.PC_Setup_Saved';
import savedMessage from '@salesforce/label/c.PC_Setup_Saved_Message';
import saveFailed from '@salesforce/label/c.PC_Common_Save_Failed';
import fixErrors from '@salesforce/label/c.PC_Setup_Fix_Errors';
import errRequired from '@salesforce/label/c.PC_Setup_Err_Required';
import errNotAStage from '@salesforce/label/c.PC_Setup_Err_Not_A_Stage';
import errStageClosed from '@salesforce/label/c.PC_Setup_Err_Stage_Closed';
import errStagesSame from '@salesforce/label/c.PC_Setup_Err_Stages_Same';
import errWonStage from '@salesforce/label/c.PC_Setup_Err_Won_Stage';
import errLostStage from '@salesforce/label/c.PC_Setup_Err_Lost_Stage';
import errFieldInvalid from '@salesforce/label/c.PC_Setup_Err_Field_Invalid';
import errorItem from '@salesforce/label/c.PC_Setup_Error_Item';
import sectionPrereqs from '@salesforce/label/c.PC_Setup_Section_Prereqs';
import prereqNotes from '@salesforce/label/c.PC_Setup_Prereq_Notes';
import prereqNotesHow from '@salesforce/label/c.PC_Setup_Prereq_Notes_How';
import prereqTeams from '@salesforce/label/c.PC_Setup_Prereq_Teams';
import prereqTeamsHow from '@salesforce/label/c.PC_Setup_Prereq_Teams_How';
import prereqConnector from '@salesforce/label/c.PC_Setup_Prereq_Connector';
import prereqConnectorOk from '@salesforce/label/c.PC_Setup_Prereq_Connector_Ok';
import prereqConnectorStale from '@salesforce/label/c.PC_Setup_Prereq_Connector_Stale';
import prereqConnectorNever from '@salesforce/label/c.PC_Setup_Prereq_Connector_Never';
import prereqConnectorUnknown from '@salesforce/label/c.PC_Setup_Prereq_Connector_Unknown';
import statusOk from '@salesforce/label/c.PC_Setup_Status_Ok';
import statusMissing from '@salesforce/label/c.PC_Setup_Status_Missing';
import statusUnknown from '@salesforce/label/c.PC_Setup_Status_Unknown';
import openNotesSettings from '@salesforce/label/c.PC_Setup_Open_Notes_Settings';
import openTeamSettings from '@salesforce/label/c.PC_Setup_Open_Team_Settings';
import sectionErrors from '@salesforce/label/c.PC_Setup_Section_Errors';
import errorsEmpty from '@salesforce/label/c.PC_Setup_Errors_Empty';
import errorsUnavailable from '@salesforce/label/c.PC_Setup_Errors_Unavailable';
import colWhen from '@salesforce/label/c.PC_Setup_Col_When';
import colOutcome from '@salesforce/label/c.PC_Setup_Col_Outcome';
import colOpportunity from '@salesforce/label/c.PC_Setup_Col_Opportunity';
import colMessage from '@salesforce/label/c.PC_Setup_Col_Message';
import viewLog from '@salesforce/label/c.PC_Setup_View_Log';

import prereqPermissions from '@salesforce/label/c.PC_Setup_Prereq_Permissions';
import prereqPermissionsHow from '@salesforce/label/c.PC_Setup_Prereq_Permissions_How';
import openPermissionSets from '@salesforce/label/c.PC_Setup_Open_Permission_Sets';
import prereqNamedCredential from '@salesforce/label/c.PC_Setup_Prereq_Named_Credential';
import prereqNamedCredentialHow from '@salesforce/label/c.PC_Setup_Prereq_Named_Credential_How';
import openNamedCredentials from '@salesforce/label/c.PC_Setup_Open_Named_Credentials';
export const LABELS = {
  prereqPermissions,
  prereqPermissionsHow,
  openPermissionSets,
  prereqNamedCredential,
  prereqNamedCredentialHow,
  openNamedCredentials,

  title,
  intro,
  loading,
  loadError,
  noSettings,
  settingsName,
  sectionStages,
  activeStage,
  activeStageHelp,
  onHoldStage,
  onHoldStageHelp,
  wonStage,
  wonStageHelp,
  lostStage,
  lostStageHelp,
  stageClosedWon,
  stageClosedLost,
  choose,
  sectionFields,
  countryField,
  countryFieldHelp,
  dealValueField,
  dealValueFieldHelp,
  currencyField,
  currencyFieldHelp,
  orgCurrency,
  fieldOption,
  sectionOptions,
  checkMark,
  checkMarkHelp,
  coSellOnly,
  coSellOnlyHelp,
  toggleOn,
  toggleOff,
  save,
  saved,
  savedMessage,
  saveFailed,
  fixErrors,
  errRequired,
  errNotAStage,
  errStageClosed,
  errStagesSame,
  errWonStage,
  errLostStage,
  errFieldInvalid,
  errorItem,
  sectionPrereqs,
  prereqNotes,
  prereqNotesHow,
  prereqTeams,
  prereqTeamsHow,
  prereqConnector,
  prereqConnectorOk,
  prereqConnectorStale,
  prereqConnectorNever,
  prereqConnectorUnknown,
  statusOk,
  statusMissing,
  statusUnknown,
  openNotesSettings,
  openTeamSettings,
  sectionErrors,
  errorsEmpty,
  errorsUnavailable,
  colWhen,
  colOutcome,
  colOpportunity,
  colMessage,
  viewLog,
} as const;

export type SetupLabels = typeof LABELS;
