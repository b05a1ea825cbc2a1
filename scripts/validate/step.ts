/** The outcome of one offline validation step: `ok` decides the run, `report` says why in words. */
export interface StepResult {
  ok: boolean;
  report: string;
}
