/**
 * Where the preview finds the package. Computed from this file's place in the repository (sandbox/preview/), not
 * imported from scripts/, so the sandbox still compiles on its own (the connector's image copies only
 * connector/ and sandbox/). The preview runs from source with tsx.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PREVIEW_DIR = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(PREVIEW_DIR, '..', '..');
export const FORCE_APP = path.join(REPO_ROOT, 'force-app', 'main', 'default');
export const LWC_DIR = path.join(FORCE_APP, 'lwc');
/** Browser-side modules of the preview: the page shell and the platform stand-ins. */
export const CLIENT_DIR = path.join(PREVIEW_DIR, 'client');
