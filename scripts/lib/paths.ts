import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** Repository root, whatever directory a script is started from. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FORCE_APP = path.join(ROOT, 'force-app', 'main', 'default');
export const LWC_DIR = path.join(FORCE_APP, 'lwc');
