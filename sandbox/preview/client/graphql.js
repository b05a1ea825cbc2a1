/**
 * Stand-in for `lightning/graphql` (and `lightning/uiGraphQLApi`): the `graphql` wire adapter sends the query to the
 * preview server, which runs the UI API GraphQL shapes the package uses (`uiapi { query { Object(where, orderBy,
 * first, after) { edges { node { ... } } totalCount pageInfo } } }`) as SOQL against the local org, as the running
 * user. Emits `{ data, errors, refresh }` like the platform's adapter.
 */
import { request } from './transport';
import { createAdapter } from './wire';

/** The `gql` template tag: the query text (the server parses and checks it). */
export function gql(strings, ...values) {
  let source = '';
  strings.forEach((part, index) => {
    source += part;
    if (index < values.length) {
      const value = values[index];
      source += value && typeof value === 'object' && typeof value.source === 'string' ? value.source : String(value);
    }
  });
  return Object.freeze({ kind: 'Document', source });
}

function sourceOf(query) {
  if (typeof query === 'string') return query;
  if (query && typeof query === 'object' && typeof query.source === 'string') return query.source;
  return undefined;
}

export const graphql = createAdapter({
  key(config) {
    const source = sourceOf(config?.query);
    if (!source) return undefined;
    if (config.variables && Object.values(config.variables).some((value) => value === undefined)) return undefined;
    return JSON.stringify([source, config.variables ?? null, config.operationName ?? null]);
  },
  async fetch(config) {
    const result = await request('POST', '/graphql', {
      body: { query: sourceOf(config.query), variables: config.variables ?? {}, operationName: config.operationName },
    });
    if (result?.errors?.length) throw result.errors;
    return result.data;
  },
  shape(result, adapter) {
    const errors = result.error === undefined ? undefined : Array.isArray(result.error) ? result.error : [result.error];
    return { data: result.data, errors, refresh: () => adapter.refresh() };
  },
});

export default graphql;
