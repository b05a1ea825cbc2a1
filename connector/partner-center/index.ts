/** Public surface of the Partner Center adapter. */
export * from './client.js';
export * from './errors.js';
export * from './http-transport.js';
export * from './odata-filter.js';
export * from './retry-policy.js';
export * from './token-provider.js';
export * from './msal-token-provider.js';
export * from './webhook-signature.js';
