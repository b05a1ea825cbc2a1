/**
 * The connector's version: the `version` of the package.json it ships with (the repository root from source,
 * beside dist/ in the container image), so the setup page's Test connection shows what is actually running.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function connectorVersion(): string {
  if (cached !== undefined) return cached;
  for (const relative of ['../package.json', '../../package.json']) {
    const file = fileURLToPath(new URL(relative, import.meta.url));
    if (!existsSync(file)) continue;
    const { name, version } = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (name === 'partner-center-cosell' && version) return (cached = version);
  }
  return (cached = 'unknown');
}
