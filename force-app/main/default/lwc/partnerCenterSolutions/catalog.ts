/**
 * Searching the Microsoft_Solution_Detail__c catalog with the GraphQL wire adapter, and checking solution ids a
 * seller types in.
 */
import { gql } from 'lightning/graphql';
import DETAIL_SOLUTION_ID_FIELD from '@salesforce/schema/Microsoft_Solution_Detail__c.Solution_Id__c';
import DETAIL_PUBLISHER_FIELD from '@salesforce/schema/Microsoft_Solution_Detail__c.Publisher_Name__c';
import DETAIL_TYPE_FIELD from '@salesforce/schema/Microsoft_Solution_Detail__c.Solution_Type__c';
import { cleanText } from 'c/partnerCenterUtils';

/** How many catalog matches are listed at once; the total is shown when there are more. */
export const CATALOG_PAGE_SIZE = 20;

/**
 * Active catalog entries whose name or solution id contains the search term, plus the size of the whole active
 * catalog (to tell "the catalog is empty" from "nothing matches").
 */
export const CATALOG_QUERY = gql`
  query partnerCenterSolutionCatalog($term: String, $first: Int) {
    uiapi {
      query {
        matches: Microsoft_Solution_Detail__c(
          where: {
            and: [
              { Active__c: { eq: true } }
              { or: [{ Name: { like: $term } }, { Solution_Id__c: { like: $term } }] }
            ]
          }
          orderBy: { Name: { order: ASC } }
          first: $first
        ) {
          edges {
            node {
              Id
              Name {
                value
              }
              Solution_Id__c {
                value
              }
              Publisher_Name__c {
                value
              }
              Solution_Type__c {
                value
                displayValue
              }
            }
          }
          totalCount
        }
        catalog: Microsoft_Solution_Detail__c(where: { Active__c: { eq: true } }) {
          totalCount
        }
      }
    }
  }
`;

interface FieldValue<T = string> {
  value?: T | null;
  displayValue?: string | null;
}

/**
 * A catalog entry as GraphQL returns it. The platform namespaces the field names in the query, so the package's
 * fields are read with the names of their schema imports (which carry the same prefix), never plain strings.
 */
export interface CatalogNode {
  Id: string;
  Name?: FieldValue;
  [packageField: string]: FieldValue | string | undefined;
}

const fieldOf = (node: CatalogNode, ref: { fieldApiName?: string }): FieldValue | undefined =>
  node[ref.fieldApiName ?? ''] as FieldValue | undefined;

export interface CatalogData {
  uiapi?: {
    query?: {
      matches?: { edges?: Array<{ node?: CatalogNode }>; totalCount?: number };
      catalog?: { totalCount?: number };
    };
  };
}

export interface CatalogEntry {
  id: string;
  name: string;
  solutionId: string;
  publisher: string;
  type: string;
}

/** The GraphQL variables for a search term: a LIKE pattern with the term's own wildcards escaped. */
export function buildCatalogVariables(term: string): { term: string; first: number } {
  const escaped = cleanText(term).replace(/[\\%_]/g, (c) => `\\${c}`);
  return { term: `%${escaped}%`, first: CATALOG_PAGE_SIZE };
}

export function catalogEntries(data: CatalogData | undefined): CatalogEntry[] {
  const edges = data?.uiapi?.query?.matches?.edges ?? [];
  return edges
    .map((edge) => edge?.node)
    .filter((node): node is CatalogNode => Boolean(node?.Id))
    .map((node) => {
      const type = fieldOf(node, DETAIL_TYPE_FIELD);
      return {
        id: node.Id,
        name: cleanText(node.Name?.value),
        solutionId: cleanText(fieldOf(node, DETAIL_SOLUTION_ID_FIELD)?.value),
        publisher: cleanText(fieldOf(node, DETAIL_PUBLISHER_FIELD)?.value),
        type: cleanText(type?.displayValue ?? type?.value),
      };
    })
    .filter((entry) => entry.solutionId !== '');
}

export function matchCount(data: CatalogData | undefined): number | undefined {
  return data?.uiapi?.query?.matches?.totalCount;
}

export function catalogSize(data: CatalogData | undefined): number | undefined {
  return data?.uiapi?.query?.catalog?.totalCount;
}

const CO_SELL_SOLUTION_ID = /^SOL-[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$/;
const MICROSOFT_SOLUTION_ID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** Trims a typed solution id; co-sell ids are written in capitals by Partner Center ("sol-1-a" → "SOL-1-A"). */
export function normalizeSolutionId(value: string): string {
  const id = cleanText(value);
  return /^sol-/i.test(id) ? id.toUpperCase() : id;
}

/**
 * Partner Center solution ids are either the partner's co-sell solution ids ("SOL-34104-EBB") or Microsoft
 * catalog GUIDs; anything else would be rejected by Partner Center on the next sync.
 */
export function isValidSolutionId(value: string): boolean {
  const id = cleanText(value);
  return CO_SELL_SOLUTION_ID.test(id) || MICROSOFT_SOLUTION_ID.test(id);
}

/** Solution ids compare case-insensitively (GUIDs may be written either way). */
export function sameSolutionId(a: string, b: string): boolean {
  return cleanText(a).toLowerCase() === cleanText(b).toLowerCase();
}
