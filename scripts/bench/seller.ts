/** The Salesforce seller: signs in to the local org with the OAuth password grant and edits records over its REST API. */
import { Connection } from 'jsforce';
import type { LocalOrg } from '../../sandbox/org/index.js';

export async function signInAsSeller(org: LocalOrg): Promise<Connection> {
  const { username, password, clientId, clientSecret } = org.sellerCredentials;
  const conn = new Connection({ loginUrl: org.loginUrl, version: org.apiVersion, oauth2: { loginUrl: org.loginUrl, clientId, clientSecret } });
  await conn.loginByOAuth2(username, password);
  return conn;
}

/** PATCH /sobjects/Opportunity/{id}: what the record page's save sends. */
export async function updateOpportunity(conn: Connection, id: string, fields: Record<string, unknown>): Promise<void> {
  const result = await conn.sobject('Opportunity').update({ Id: id, ...fields });
  if (!result.success) throw new Error(`benchmark: the seller could not update Opportunity ${id}: ${JSON.stringify(result.errors)}`);
}
