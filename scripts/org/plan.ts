/**
 * A script is a plan — the exact commands it will run, built by a pure function the tests check — and this
 * executor, which runs the steps in order, prints each command (secrets masked) and stops at the first
 * failure with sf's error put into words.
 */
import type { Io } from './args.js';
import { describeSfFailure, parseSfJson, type FailureContext, type SfJson } from './sf-errors.js';
import type { CommandResult, Runner } from './sf-runner.js';

export type Step =
  | { kind: 'npm'; title: string; args: string[] }
  | {
      kind: 'sf';
      title: string;
      args: string[];
      context: FailureContext;
      timeoutMs: number;
      /** Flags whose value must never be printed (an installation key). */
      secretFlags?: string[];
      /** A failure that means the work was already done (a permission set assigned earlier). */
      alreadyDone?: (json: SfJson) => boolean;
    };

export interface StepOutcome {
  step: Step;
  result: CommandResult;
  json: SfJson | null;
}

/** Minutes sf waits for the org, plus room for sf itself to start and report. */
export function timeoutFor(waitMinutes: number): number {
  return (waitMinutes + 5) * 60_000;
}

function quote(arg: string): string {
  return /^[A-Za-z0-9_./:=@+-]+$/.test(arg) ? arg : `"${arg.replaceAll('"', '\\"')}"`;
}

/** The command as a person would type it, with secret values masked. */
export function commandLine(step: Step): string {
  const secret = new Set(step.kind === 'sf' ? (step.secretFlags ?? []) : []);
  const shown = step.args.map((arg, i) => (i > 0 && secret.has(step.args[i - 1]) ? '***' : quote(arg)));
  return `${step.kind} ${shown.join(' ')}`;
}

export async function executePlan(steps: Step[], runner: Runner, io: Io): Promise<{ ok: boolean; outcomes: StepOutcome[] }> {
  const outcomes: StepOutcome[] = [];
  for (const [index, step] of steps.entries()) {
    io.err(`[${index + 1}/${steps.length}] ${step.title}\n  $ ${commandLine(step)}\n`);
    const result =
      step.kind === 'npm' ? await runner.npm(step.args, (text) => io.err(text)) : await runner.sf(step.args, { timeoutMs: step.timeoutMs });
    const json = step.kind === 'sf' ? parseSfJson(result.stdout) : null;
    outcomes.push({ step, result, json });
    // sf reports some failures (a failed deploy) with exit code 1 and a JSON status; trust either.
    const failed = result.code !== 0 || result.timedOut || (json?.status !== undefined && json.status !== 0);
    if (failed && step.kind === 'sf' && json && step.alreadyDone?.(json)) {
      io.err('  already done\n');
      continue;
    }
    if (failed) {
      const message =
        step.kind === 'npm'
          ? `Could not ${step.title.toLowerCase()}: npm ${step.args.join(' ')} exited with code ${result.code}.`
          : describeSfFailure(result, step.context, step.timeoutMs);
      io.err(`\n${message}\n`);
      return { ok: false, outcomes };
    }
  }
  return { ok: true, outcomes };
}
