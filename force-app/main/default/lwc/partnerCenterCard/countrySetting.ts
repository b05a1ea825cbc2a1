/** Which Account field holds the customer's country, read from the active settings record with GraphQL. */
import { gql } from 'lightning/graphql';
import type { GraphQLResult } from 'lightning/graphql';
import { DEFAULT_COUNTRY_FIELD } from 'c/partnerCenterUtils';
import { SETTINGS_COUNTRY_FIELD, apiName } from './fields';
import { accountCountryField } from './prerequisites';

/**
 * The active settings record's country field (the newest active record wins, as for the connector). The platform
 * namespaces the names in a gql query, so the response is read with the names of the schema imports, which carry
 * the same prefix.
 */
export const COUNTRY_SETTING_QUERY = gql`
  query partnerCenterCountrySetting {
    uiapi {
      query {
        Partner_Center_Settings__c(
          where: { Active__c: { eq: true } }
          orderBy: { CreatedDate: { order: DESC } }
          first: 1
        ) {
          edges {
            node {
              Id
              Country_Code_Field__c {
                value
              }
            }
          }
        }
      }
    }
  }
`;

/** Keyed by the package's (namespaced) API names: `uiapi.query[settings object].edges[].node[country field]`. */
export interface CountrySettingData {
  uiapi?: {
    query?: Record<string, { edges?: Array<{ node?: Record<string, { value?: string | null } | undefined> }> } | undefined>;
  };
}

/**
 * The Account field path the query result names, or `null` when the result says nothing yet (still loading) or
 * could not be read, in which case the card keeps the default field, as the connector does without settings.
 */
export function countryFieldOf(result: GraphQLResult<CountrySettingData>): string | undefined | null {
  if (result.errors && result.errors.length > 0) return null;
  const edges = result.data?.uiapi?.query?.[SETTINGS_COUNTRY_FIELD.objectApiName]?.edges;
  if (!edges) return null;
  return accountCountryField(edges[0]?.node?.[apiName(SETTINGS_COUNTRY_FIELD)]?.value ?? DEFAULT_COUNTRY_FIELD);
}
