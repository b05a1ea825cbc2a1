/**
 * The GraphQL queries the components send through the GraphQL wire adapter are valid GraphQL documents with one
 * named query each (the platform compiler does not parse them, and a syntax error would only surface in the org).
 */
import { readdirSync, readFileSync } from 'fs';
import path from 'path';
import { Kind, parse } from 'graphql';
import type { OperationDefinitionNode } from 'graphql';

const LWC_DIR = path.resolve(__dirname, '..', '..');

function componentSources(): string[] {
  return readdirSync(LWC_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('_'))
    .flatMap((bundle) =>
      readdirSync(path.join(LWC_DIR, bundle.name))
        .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
        .map((file) => path.join(LWC_DIR, bundle.name, file))
    );
}

const queries = componentSources().flatMap((file) =>
  [...readFileSync(file, 'utf8').matchAll(/gql`([^`]*)`/g)].map((match) => ({ file: path.relative(LWC_DIR, file), text: match[1] }))
);

describe('GraphQL queries in the components', () => {
  it('finds the queries (card settings, failed syncs, solution catalog, setup settings, sync health)', () => {
    expect(queries.map((query) => query.file).sort()).toEqual([
      'partnerCenterCard/countrySetting.ts',
      'partnerCenterFailedSyncs/failedSyncs.ts',
      'partnerCenterSetup/health.ts',
      'partnerCenterSetup/partnerCenterSetup.ts',
      'partnerCenterSolutions/catalog.ts',
    ]);
  });

  it.each(queries)('$file holds one valid, named query over uiapi', ({ text }) => {
    expect(text).not.toContain('${'); // static text only: the wire adapter parses it once
    const document = parse(text);
    const operations = document.definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
    expect(operations).toHaveLength(1);
    expect(operations[0].operation).toBe('query');
    expect(operations[0].name?.value).toMatch(/^partnerCenter/);
    const root = operations[0].selectionSet.selections[0];
    expect(root.kind === Kind.FIELD && root.name.value).toBe('uiapi');
  });

  it('rejects a broken query (the check can fail)', () => {
    expect(() => parse('query broken { uiapi { query { Account(where: { Name: { eq: "x" } } { edges { node { Id } } } } }')).toThrow();
  });
});
