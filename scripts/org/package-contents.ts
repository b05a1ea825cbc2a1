/**
 * What force-app promises an org will have after a deploy or an install — objects and fields, platform events,
 * flows and whether each is active — read from the source, so the real-org checks never drift from it.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { FORCE_APP } from '../lib/paths.js';

export interface ObjectContents {
  name: string;
  /** Field API names from objects/<name>/fields. */
  fields: string[];
  platformEvent: boolean;
}

export interface FlowContents {
  name: string;
  active: boolean;
}

export interface PackageContents {
  objects: ObjectContents[];
  flows: FlowContents[];
}

const SUFFIX = (suffix: string) => (file: string) => file.endsWith(suffix);

function list(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

export function readPackageContents(forceApp = FORCE_APP): PackageContents {
  const objectsDir = path.join(forceApp, 'objects');
  const objects = list(objectsDir).map((name) => ({
    name,
    fields: list(path.join(objectsDir, name, 'fields'))
      .filter(SUFFIX('.field-meta.xml'))
      .map((f) => f.slice(0, -'.field-meta.xml'.length)),
    platformEvent: name.endsWith('__e'),
  }));
  const parser = new XMLParser();
  const flowsDir = path.join(forceApp, 'flows');
  const flows = list(flowsDir)
    .filter(SUFFIX('.flow-meta.xml'))
    .map((file) => {
      const xml = parser.parse(readFileSync(path.join(flowsDir, file), 'utf8')) as { Flow?: { status?: string } };
      return { name: file.slice(0, -'.flow-meta.xml'.length), active: xml.Flow?.status === 'Active' };
    });
  return { objects, flows };
}

/** `Referral_Id__c` → `ns__Referral_Id__c` when the package has a namespace (as installed orgs name it). */
export function qualify(apiName: string, namespace: string | undefined): string {
  if (!namespace || !/__(c|e|mdt)$/.test(apiName) || /^[A-Za-z0-9]+__[A-Za-z0-9_]+__(c|e|mdt)$/.test(apiName)) return apiName;
  return `${namespace}__${apiName}`;
}
