/**
 * Declarations for the Lightning Data Service modules this package uses (subset of the documented UI API
 * response shapes). `@salesforce/lightning-types` covers base components but not these data modules.
 */

declare module 'lightning/uiRecordApi' {
  import type { WireAdapterConstructor } from 'lwc';

  export type FieldReference = string | { objectApiName: string; fieldApiName?: string };

  export interface FieldValueRepresentation {
    displayValue: string | null;
    value: unknown;
  }

  export interface RecordRepresentation {
    apiName: string;
    id: string;
    recordTypeId: string | null;
    lastModifiedDate?: string;
    fields: Record<string, FieldValueRepresentation>;
  }

  export interface FetchErrorBody {
    message?: string;
    errorCode?: string;
    output?: {
      errors?: Array<{ message: string; errorCode?: string }>;
      fieldErrors?: Record<string, Array<{ message: string; errorCode?: string; field?: string }>>;
    };
  }

  export interface FetchResponse {
    body?: FetchErrorBody | FetchErrorBody[];
    status?: number;
    statusText?: string;
    message?: string;
  }

  export interface WireResult<T> {
    data?: T;
    error?: FetchResponse;
  }

  export interface GetRecordConfig {
    recordId?: string;
    fields?: FieldReference | ReadonlyArray<FieldReference>;
    optionalFields?: FieldReference | ReadonlyArray<FieldReference>;
    layoutTypes?: string | ReadonlyArray<string>;
    modes?: string | ReadonlyArray<string>;
  }

  export interface RecordInput {
    apiName?: string;
    fields: Record<string, unknown>;
  }

  export const getRecord: WireAdapterConstructor<GetRecordConfig, WireResult<RecordRepresentation>>;
  export function getFieldValue(record: RecordRepresentation | undefined, field: FieldReference): unknown;
  export function getFieldDisplayValue(record: RecordRepresentation | undefined, field: FieldReference): string | null | undefined;
  export function updateRecord(recordInput: RecordInput, clientOptions?: { ifUnmodifiedSince?: string }): Promise<RecordRepresentation>;
  export function createRecord(recordInput: RecordInput): Promise<RecordRepresentation>;
  export function deleteRecord(recordId: string): Promise<void>;
  export function notifyRecordUpdateAvailable(recordIds: Array<{ recordId: string }>): Promise<void>;
}

declare module 'lightning/uiObjectInfoApi' {
  import type { WireAdapterConstructor } from 'lwc';
  import type { FieldReference, WireResult } from 'lightning/uiRecordApi';

  export interface FieldInfo {
    apiName: string;
    label: string;
    dataType: string;
    updateable: boolean;
    createable: boolean;
    calculated?: boolean;
    custom?: boolean;
    nameField?: boolean;
    referenceToInfos?: Array<{ apiName: string }>;
  }

  export interface ChildRelationship {
    childObjectApiName: string;
    fieldName: string;
    relationshipName: string;
  }

  export interface ObjectInfo {
    apiName: string;
    label: string;
    labelPlural?: string;
    createable: boolean;
    updateable: boolean;
    deletable: boolean;
    defaultRecordTypeId: string;
    fields: Record<string, FieldInfo>;
    childRelationships: ChildRelationship[];
  }

  export interface PicklistValue {
    label: string;
    value: string;
    validFor?: number[];
    attributes?: { closed?: boolean; won?: boolean; [key: string]: unknown } | null;
  }

  export interface PicklistValues {
    defaultValue: PicklistValue | null;
    values: PicklistValue[];
    controllerValues?: Record<string, number>;
  }

  export const getObjectInfo: WireAdapterConstructor<
    { objectApiName?: string | { objectApiName: string } },
    WireResult<ObjectInfo>
  >;
  export const getPicklistValues: WireAdapterConstructor<
    { recordTypeId?: string; fieldApiName?: FieldReference },
    WireResult<PicklistValues>
  >;
}

declare module 'lightning/uiRelatedListApi' {
  import type { WireAdapterConstructor } from 'lwc';
  import type { RecordRepresentation, WireResult } from 'lightning/uiRecordApi';

  export interface RelatedListRecordCollection {
    records: RecordRepresentation[];
    count: number;
    listReference?: { relatedListId: string; parentObjectApiName?: string };
    nextPageToken?: string | null;
  }

  export interface GetRelatedListRecordsConfig {
    parentRecordId?: string;
    relatedListId?: string;
    fields?: ReadonlyArray<string>;
    optionalFields?: ReadonlyArray<string>;
    sortBy?: ReadonlyArray<string>;
    pageSize?: number;
    where?: string;
  }

  export const getRelatedListRecords: WireAdapterConstructor<
    GetRelatedListRecordsConfig,
    WireResult<RelatedListRecordCollection>
  >;
}

declare module 'lightning/graphql' {
  import type { WireAdapterConstructor } from 'lwc';

  export interface GraphQLError {
    message: string;
    locations?: Array<{ line: number; column: number }>;
    path?: Array<string | number>;
  }

  /** What the GraphQL wire adapter emits; `refresh()` re-runs the query (lightning/graphql, v2). */
  export interface GraphQLResult<T> {
    data?: T;
    errors?: GraphQLError[] | unknown[];
    refresh?: () => Promise<void>;
  }

  export type DocumentNode = { readonly kind: 'Document' } | object;

  export function gql(strings: TemplateStringsArray, ...values: unknown[]): DocumentNode;
  export const graphql: WireAdapterConstructor<
    { query?: DocumentNode; variables?: Record<string, unknown>; operationName?: string },
    // The data shape depends on each query; components type it in their own wire handlers.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    GraphQLResult<any>
  >;
}

declare module 'lightning/empApi' {
  export interface EmpSubscription {
    id?: string;
    channel: string;
    replayId?: number;
  }
  export interface EmpMessage<P = Record<string, unknown>> {
    channel: string;
    data: { schema?: string; payload: P; event?: { replayId?: number; EventUuid?: string } };
  }
  export function subscribe<P = Record<string, unknown>>(
    channel: string,
    replayId: number,
    onMessageCallback: (message: EmpMessage<P>) => void
  ): Promise<EmpSubscription>;
  export function unsubscribe(subscription: EmpSubscription, callback?: (response: unknown) => void): Promise<unknown>;
  export function onError(callback: (error: unknown) => void): void;
  export function isEmpEnabled(): Promise<boolean>;
  export function setDebugFlag(flag: boolean): Promise<void>;
}

declare module 'lightning/platformShowToastEvent' {
  export interface ToastOptions {
    title: string;
    message?: string;
    variant?: 'info' | 'success' | 'warning' | 'error';
    mode?: 'dismissible' | 'pester' | 'sticky';
    messageData?: unknown[];
  }
  export class ShowToastEvent extends CustomEvent<ToastOptions> {
    constructor(toast: ToastOptions);
  }
}

declare module 'lightning/navigation' {
  /** Adds `[NavigationMixin.Navigate](pageReference)` and `[NavigationMixin.GenerateUrl](pageReference)`. */
  export const NavigationMixin: {
    <T extends new (...args: never[]) => object>(base: T): T;
    readonly Navigate: unique symbol;
    readonly GenerateUrl: unique symbol;
  };
}
