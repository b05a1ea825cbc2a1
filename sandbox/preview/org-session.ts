/**
 * The preview server's connection to the local org as one user: logs in with the OAuth password grant (the
 * preview's client app), calls the REST API with the bearer token, logs in again once when the session has ended,
 * and caches describes per user (they depend on the user's permissions).
 */

export interface OrgEndpoint {
  url: string;
  apiVersion: string;
  /** The OAuth client the preview logs in with (the local org's preview client). */
  clientId: string;
  clientSecret: string;
}

export interface UserLogin {
  username: string;
  password: string;
}

/** A failed REST call: the HTTP status and Salesforce's error list `[{ errorCode, message, fields? }]`. */
export class OrgApiError extends Error {
  constructor(
    readonly status: number,
    readonly errors: Array<{ errorCode: string; message: string; fields?: string[] }>
  ) {
    super(errors.map((e) => `${e.errorCode}: ${e.message}`).join('; ') || `HTTP ${status}`);
  }
}

export interface DescribeField {
  name: string;
  label: string;
  type: string;
  length: number;
  precision: number;
  scale: number;
  digits?: number;
  nillable: boolean;
  createable: boolean;
  updateable: boolean;
  calculated: boolean;
  custom: boolean;
  nameField: boolean;
  externalId: boolean;
  unique: boolean;
  sortable: boolean;
  filterable: boolean;
  defaultedOnCreate: boolean;
  inlineHelpText: string | null;
  referenceTo: string[];
  relationshipName: string | null;
  picklistValues: Array<{ active: boolean; defaultValue: boolean; label: string; value: string }>;
  htmlFormatted?: boolean;
  extraTypeInfo?: string | null;
  polymorphicForeignKey?: boolean;
  controllerName?: string | null;
}

export interface DescribeSObject {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string | null;
  custom: boolean;
  createable: boolean;
  updateable: boolean;
  deletable: boolean;
  queryable: boolean;
  searchable: boolean;
  layoutable: boolean;
  mruEnabled: boolean;
  feedEnabled: boolean;
  fields: DescribeField[];
  childRelationships: Array<{ childSObject: string; field: string; relationshipName: string | null; cascadeDelete: boolean }>;
}

export type QueryRow = Record<string, unknown> & { attributes?: { type: string; url?: string } };

export class OrgSession {
  private token?: Promise<string>;
  private readonly describes = new Map<string, Promise<DescribeSObject>>();
  private prefixes?: Promise<Map<string, string>>;

  constructor(
    private readonly endpoint: OrgEndpoint,
    private readonly login: UserLogin
  ) {}

  get username(): string {
    return this.login.username;
  }

  private async authenticate(): Promise<string> {
    const body = new URLSearchParams({
      grant_type: 'password',
      client_id: this.endpoint.clientId,
      client_secret: this.endpoint.clientSecret,
      username: this.login.username,
      password: this.login.password,
    });
    const response = await fetch(`${this.endpoint.url}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body,
    });
    const json = (await response.json()) as { access_token?: string; error?: string; error_description?: string };
    if (!response.ok || !json.access_token) {
      throw new OrgApiError(response.status, [{ errorCode: json.error ?? 'LOGIN_FAILED', message: json.error_description ?? 'login failed' }]);
    }
    return json.access_token;
  }

  async accessToken(): Promise<string> {
    if (!this.token) {
      this.token = this.authenticate();
      this.token.catch(() => {
        this.token = undefined;
      });
    }
    return this.token;
  }

  /** Any REST API path under /services/data/vXX.X (e.g. `/query?q=...`), or an absolute path on the org. */
  async request<T = unknown>(method: string, path: string, body?: unknown, retried = false): Promise<T> {
    const token = await this.accessToken();
    const url = path.startsWith('/services/') || path.startsWith('/local/') ? `${this.endpoint.url}${path}` : `${this.endpoint.url}/services/data/v${this.endpoint.apiVersion}${path}`;
    const response = await fetch(url, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const json = text ? (JSON.parse(text) as unknown) : undefined;
    if (response.status === 401 && !retried) {
      this.token = undefined;
      return this.request<T>(method, path, body, true);
    }
    if (!response.ok) {
      const errors = Array.isArray(json) ? (json as OrgApiError['errors']) : [{ errorCode: 'UNKNOWN_EXCEPTION', message: text || response.statusText }];
      throw new OrgApiError(response.status, errors);
    }
    return json as T;
  }

  /** Runs SOQL as this user and returns every row (following nextRecordsUrl). */
  async query(soql: string): Promise<{ records: QueryRow[]; totalSize: number }> {
    let page = await this.request<{ records: QueryRow[]; totalSize: number; done: boolean; nextRecordsUrl?: string }>(
      'GET',
      `/query?q=${encodeURIComponent(soql)}`
    );
    const records = [...page.records];
    while (!page.done && page.nextRecordsUrl) {
      page = await this.request('GET', page.nextRecordsUrl);
      records.push(...page.records);
    }
    return { records, totalSize: page.totalSize };
  }

  describe(objectName: string): Promise<DescribeSObject> {
    const key = objectName.toLowerCase();
    let cached = this.describes.get(key);
    if (!cached) {
      cached = this.request<DescribeSObject>('GET', `/sobjects/${encodeURIComponent(objectName)}/describe`);
      cached.catch(() => this.describes.delete(key));
      this.describes.set(key, cached);
    }
    return cached;
  }

  /** The object a record id belongs to (by its key prefix). */
  async objectOfId(id: string): Promise<string | undefined> {
    if (!this.prefixes) {
      this.prefixes = this.request<{ sobjects: Array<{ name: string; keyPrefix: string | null }> }>('GET', '/sobjects').then(
        (global) => new Map(global.sobjects.filter((s) => s.keyPrefix).map((s) => [s.keyPrefix as string, s.name]))
      );
      this.prefixes.catch(() => {
        this.prefixes = undefined;
      });
    }
    return (await this.prefixes).get(id.slice(0, 3));
  }
}
