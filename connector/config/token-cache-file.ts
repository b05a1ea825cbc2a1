/**
 * Keeps the Partner Center sign-in (MSAL's serialized token cache, which holds the rotating refresh token) in a
 * file only the connector's user can read. Writes go to a temporary file that is renamed over the old one, so a
 * crash mid-write never leaves a half-written cache — the refresh token inside is single-use in practice.
 */
import { chmod, mkdir, open, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import type { CredentialPersistence } from '../partner-center/token-provider.js';

export class FileCredentialPersistence implements CredentialPersistence {
  constructor(readonly file: string) {}

  async load(): Promise<string | undefined> {
    try {
      return await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async save(serialized: string): Promise<void> {
    await mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const temporary = `${this.file}.${process.pid}.tmp`;
    const handle = await open(temporary, 'w', 0o600);
    try {
      await handle.writeFile(serialized, 'utf8');
      // On disk before the rename makes it the cache: the old refresh token may already be spent.
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, this.file);
    // rename keeps the temporary file's mode; chmod covers a cache created earlier by hand.
    await chmod(this.file, 0o600);
  }
}
