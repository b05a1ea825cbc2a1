/**
 * Argument handling shared by the org and release scripts: node's parseArgs (strict, so an unknown or
 * misspelt flag is an error) plus the value checks it lacks. Every mistake is a UsageError naming the flag;
 * the scripts print it and exit with code 2, which CI and shells can tell apart from a failed sf command (1).
 */
import { parseArgs } from 'node:util';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export class UsageError extends Error {
  override name = 'UsageError';
}

/** Where the scripts write: the process by default, a buffer in tests. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: Io = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
};

type OptionSpec = { type: 'string' | 'boolean'; short?: string; multiple?: boolean };
export type OptionSpecs = Record<string, OptionSpec>;

export interface Parsed {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

export function parseFlags(argv: string[], options: OptionSpecs, maxPositionals = 0): Parsed {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    // parseArgs already names the flag ("Unknown option '--wiat'"); keep its words, drop its error code.
    throw new UsageError((error as Error).message);
  }
  if (parsed.positionals.length > maxPositionals) {
    throw new UsageError(`unexpected argument "${parsed.positionals[maxPositionals]}".`);
  }
  const values = parsed.values as Parsed['values'];
  for (const [name, value] of Object.entries(values)) {
    if (typeof value === 'string' && value.trim() === '') throw new UsageError(`--${name} needs a value.`);
  }
  return { values, positionals: parsed.positionals };
}

export function stringFlag(parsed: Parsed, name: string): string | undefined {
  const value = parsed.values[name];
  return typeof value === 'string' ? value : undefined;
}

export function booleanFlag(parsed: Parsed, name: string): boolean {
  return parsed.values[name] === true;
}

/** A whole number of minutes or days within the range sf itself accepts. */
export function integerFlag(parsed: Parsed, name: string, range: { min: number; max: number; default: number }): number {
  const raw = stringFlag(parsed, name);
  if (raw === undefined) return range.default;
  if (!/^\d+$/.test(raw) || Number(raw) < range.min || Number(raw) > range.max) {
    throw new UsageError(`--${name} must be a whole number from ${range.min} to ${range.max}; got "${raw}".`);
  }
  return Number(raw);
}

// sf aliases and usernames: letters, digits and . _ @ + - (no spaces, nothing a shell would expand).
const ORG_NAME = /^[A-Za-z0-9._@+-]+$/;

/** An org alias or username flag; undefined when absent so sf falls back to its configured default. */
export function orgFlag(parsed: Parsed, name: string): string | undefined {
  const value = stringFlag(parsed, name);
  if (value !== undefined && (!ORG_NAME.test(value) || value.startsWith('-'))) {
    throw new UsageError(`--${name} must be an org alias or username (letters, digits, . _ @ + -); got "${value}".`);
  }
  return value;
}

/** Runs a script body, turning a UsageError into its message and exit code 2. */
export async function runMain(io: Io, script: string, help: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${script}: ${error.message}\n\n${help}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
}
