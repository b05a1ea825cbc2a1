/**
 * Keeps the Partner Center sign-in (MSAL's serialized token cache, which holds the rotating refresh token) in a
 * file only the connector's user can read. Writes go to a temporary file that is renamed over the old one, so a
 * crash mid-write never leaves a half-written cache — the refresh token inside is single-use in practice.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
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
    // An unpredictable name, created exclusively and never through a symlink: nobody can plant a file or a link
    // there beforehand to read the refresh token or to make the connector write somewhere else.
    const temporary = `${this.file}.${randomBytes(12).toString('hex')}.tmp`;
    const handle = await open(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
    try {
      // The umask may have narrowed the mode, never widened it; set it exactly on our own descriptor.
      await handle.chmod(0o600);
      await handle.writeFile(serialized, 'utf8');
      // On disk before the rename makes it the cache: the old refresh token may already be spent.
      await handle.sync();
    } catch (error) {
      await handle.close();
      await unlink(temporary).catch(() => undefined);
      throw error;
    }
    await handle.close();
    // rename replaces the cache (or a link in its place) with our file; nothing follows a link.
    await rename(temporary, this.file);
  }
}
