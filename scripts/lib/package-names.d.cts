/** Types for package-names.cjs (CommonJS, so LWC Jest's setup files can require it as well). */
export interface PackageNamespace {
  readonly namespace: string;
  /** `<namespace>__` */
  readonly prefix: string;
  /** The package's API names, unprefixed. */
  readonly names: ReadonlySet<string>;
  /** Package names `plainText` met without the prefix (what a plain string in a component sends). */
  readonly violations: string[];
  /** Every package API name in the text prefixed (what the org speaks). */
  namespacedText(text: string): string;
  /** The org's names read back unprefixed; an unprefixed package name is recorded and marked so it matches nothing. */
  plainText(text: string): string;
  toComponent<T>(value: T): T;
  toPlatform<T>(value: T): T;
}

export declare function packageApiNames(objectsDir?: string): Set<string>;
export declare function createNamespace(namespace: string, names?: ReadonlySet<string>): PackageNamespace;
export declare function platformSource(sourceText: string, ns: PackageNamespace): string;
export declare const UNPREFIXED: string;
