/** Reads the JSON files the CLI is given, with errors that say which option, which file and what is wrong. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from './command.js';

export async function readJsonFile(option: string, file: string, cwd: string): Promise<unknown> {
  const absolute = path.resolve(cwd, file);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : String(error);
    throw new UsageError(`cannot read --${option} file "${file}": ${why}.`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--${option} file "${file}" is not valid JSON: ${(error as Error).message}.`);
  }
}

/** A record from a file holding the record itself or a query result (`{ records: [record] }`, `sf data query --json`). */
export function singleRecord(option: string, file: string, json: unknown): Record<string, unknown> {
  const candidate = json as { records?: unknown; result?: { records?: unknown } } | null;
  const records = candidate?.result?.records ?? candidate?.records;
  if (Array.isArray(records)) {
    if (records.length !== 1) throw new UsageError(`--${option} file "${file}" holds ${records.length} records; give exactly one.`);
    return records[0] as Record<string, unknown>;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new UsageError(`--${option} file "${file}" must hold a JSON object.`);
  }
  return json as Record<string, unknown>;
}
