/**
 * The UI API GraphQL queries the package's components send (`lightning/graphql`), answered with SOQL against the
 * local org as the running user. Supported shape:
 *
 *   query name($var: Type = default) {
 *     uiapi { query {
 *       alias: Object(where: {...}, orderBy: {...}, first: N, after: "cursor") {
 *         edges { cursor node { Id  Field { value displayValue }  Parent__r { Field { value } } } }
 *         totalCount
 *         pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
 *       }
 *     } }
 *   }
 *
 * `where`: field operators eq, ne, lt, lte, gt, gte, in, nin, like (dates as { value } or { literal }), and/or/not,
 * and filters through parent relationships. `orderBy`: { Field: { order: ASC|DESC, nulls: FIRST|LAST } }.
 * `first` defaults to 10 as on the platform. Anything else (mutations, child connections, aggregates, `scope`,
 * `upperBound`) is answered with a GraphQL error naming what the preview does not support.
 */
import {
  GraphQLError,
  Kind,
  parse,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { OrgApiError, type DescribeField, type DescribeSObject, type OrgSession, type QueryRow } from './org-session.js';
import { displayValueOf, soqlString, uiValue } from './ui-api.js';

export interface GraphqlRequest {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

export interface GraphqlError {
  message: string;
  locations?: Array<{ line: number; column: number }>;
  path?: Array<string | number>;
  extensions?: Record<string, unknown>;
}

export interface GraphqlResponse {
  data: Record<string, unknown> | null;
  errors?: GraphqlError[];
}

const DEFAULT_FIRST = 10;
const MAX_FIRST = 2000;

/** A problem in the query, reported as a GraphQL error with the node's location. */
class QueryProblem extends Error {
  constructor(
    message: string,
    readonly node?: { loc?: { startToken: { line: number; column: number } } },
    readonly path?: Array<string | number>
  ) {
    super(message);
  }

  toError(): GraphqlError {
    const token = this.node?.loc?.startToken;
    return {
      message: this.message,
      ...(token ? { locations: [{ line: token.line, column: token.column }] } : {}),
      ...(this.path ? { path: this.path } : {}),
    };
  }
}

const unsupported = (what: string, node?: QueryProblem['node']) => new QueryProblem(`${what} is not supported by the preview's GraphQL stand-in`, node);

// ------------------------------------------------------------------ values

function valueOf(node: ValueNode, variables: Record<string, unknown>): unknown {
  switch (node.kind) {
    case Kind.VARIABLE:
      return variables[node.name.value];
    case Kind.INT:
      return Number.parseInt(node.value, 10);
    case Kind.FLOAT:
      return Number.parseFloat(node.value);
    case Kind.STRING:
    case Kind.ENUM:
      return node.value;
    case Kind.BOOLEAN:
      return node.value;
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return node.values.map((v) => valueOf(v, variables));
    case Kind.OBJECT:
      return Object.fromEntries(node.fields.map((f) => [f.name.value, valueOf(f.value, variables)]));
    default:
      return undefined;
  }
}

function argument(field: FieldNode, name: string, variables: Record<string, unknown>): unknown {
  const arg = field.arguments?.find((a) => a.name.value === name);
  return arg ? valueOf(arg.value, variables) : undefined;
}

function likeLiteral(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const c = pattern[i];
    if (c === '\\' && (pattern[i + 1] === '%' || pattern[i + 1] === '_')) {
      out += `\\${pattern[i + 1]}`;
      i += 1;
    } else if (c === '\\') out += '\\\\';
    else if (c === "'") out += "\\'";
    else out += c;
  }
  return `'${out}'`;
}

const DATE_LITERAL = /^[A-Z_]+(?::\d+)?$/;

function literal(field: DescribeField, raw: unknown, where: string): string {
  if (raw === null || raw === undefined) return 'null';
  let value: unknown = raw;
  if (field.type === 'date' || field.type === 'datetime') {
    if (typeof value === 'object' && value !== null && 'literal' in value) {
      const name = String((value as { literal: unknown }).literal);
      if (!DATE_LITERAL.test(name)) throw new QueryProblem(`${where}: invalid date literal ${name}`);
      return name;
    }
    if (typeof value === 'object' && value !== null && 'value' in value) value = (value as { value: unknown }).value;
    const text = String(value);
    const pattern = field.type === 'date' ? /^\d{4}-\d{2}-\d{2}$/ : /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
    if (!pattern.test(text)) throw new QueryProblem(`${where}: ${text} is not a valid ${field.type}`);
    return text;
  }
  if (field.type === 'boolean') {
    if (typeof value !== 'boolean') throw new QueryProblem(`${where}: expected a boolean, got ${JSON.stringify(value)}`);
    return value ? 'TRUE' : 'FALSE';
  }
  if (['currency', 'double', 'percent', 'int', 'long'].includes(field.type)) {
    const number = Number(value);
    if (!Number.isFinite(number)) throw new QueryProblem(`${where}: expected a number, got ${JSON.stringify(value)}`);
    return String(number);
  }
  return soqlString(String(value));
}

// ------------------------------------------------------------------ translation

interface NodeSelection {
  /** Response key → what it reads. */
  entries: Array<
    | { key: string; kind: 'id' }
    | { key: string; kind: 'typename' }
    | { key: string; kind: 'field'; field: DescribeField; parts: string[] }
    | { key: string; kind: 'parent'; relationship: string; describe: DescribeSObject; selection: NodeSelection }
  >;
  describe: DescribeSObject;
}

const VALUE_PARTS = new Set(['value', 'displayValue', '__typename']);

class Translator {
  private readonly fragments: Map<string, FragmentDefinitionNode>;

  constructor(
    private readonly session: OrgSession,
    document: DocumentNode,
    private readonly variables: Record<string, unknown>
  ) {
    this.fragments = new Map(
      document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d])
    );
  }

  /** The fields of a selection set, with fragments spread in. */
  private fields(set: SelectionSetNode | undefined): FieldNode[] {
    const out: FieldNode[] = [];
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) out.push(selection);
      else if (selection.kind === Kind.INLINE_FRAGMENT) out.push(...this.fields(selection.selectionSet));
      else {
        const fragment = this.fragments.get(selection.name.value);
        if (!fragment) throw new QueryProblem(`Unknown fragment "${selection.name.value}"`, selection);
        out.push(...this.fields(fragment.selectionSet));
      }
    }
    return out;
  }

  private async describe(name: string, node?: FieldNode): Promise<DescribeSObject> {
    try {
      return await this.session.describe(name);
    } catch (error) {
      if (error instanceof OrgApiError && error.status === 404) throw new QueryProblem(`Cannot query field "${name}" on type "RecordQuery"`, node);
      throw error;
    }
  }

  async run(operation: OperationDefinitionNode): Promise<Record<string, unknown>> {
    if (operation.operation !== 'query') throw unsupported(`GraphQL ${operation.operation}`, operation);
    const data: Record<string, unknown> = {};
    for (const uiapi of this.fields(operation.selectionSet)) {
      const key = uiapi.alias?.value ?? uiapi.name.value;
      if (uiapi.name.value === '__typename') {
        data[key] = 'Query';
        continue;
      }
      if (uiapi.name.value !== 'uiapi') throw new QueryProblem(`Cannot query field "${uiapi.name.value}" on type "Query"`, uiapi);
      const uiapiData: Record<string, unknown> = {};
      for (const query of this.fields(uiapi.selectionSet)) {
        const queryKey = query.alias?.value ?? query.name.value;
        if (query.name.value === '__typename') {
          uiapiData[queryKey] = 'UIAPI';
          continue;
        }
        if (query.name.value !== 'query') throw unsupported(`uiapi.${query.name.value}`, query);
        const queryData: Record<string, unknown> = {};
        for (const objectField of this.fields(query.selectionSet)) {
          const objectKey = objectField.alias?.value ?? objectField.name.value;
          if (objectField.name.value === '__typename') {
            queryData[objectKey] = 'RecordQuery';
            continue;
          }
          queryData[objectKey] = await this.connection(objectField);
        }
        uiapiData[queryKey] = queryData;
      }
      data[key] = uiapiData;
    }
    return data;
  }

  /** One `Object(where, orderBy, first, after) { edges totalCount pageInfo }`. */
  private async connection(field: FieldNode): Promise<Record<string, unknown>> {
    const describe = await this.describe(field.name.value, field);
    for (const arg of field.arguments ?? []) {
      if (!['where', 'orderBy', 'first', 'after'].includes(arg.name.value)) throw unsupported(`The argument "${arg.name.value}"`, arg);
    }
    const where = argument(field, 'where', this.variables);
    const orderBy = argument(field, 'orderBy', this.variables);
    const firstArg = argument(field, 'first', this.variables);
    const first = firstArg === undefined || firstArg === null ? DEFAULT_FIRST : Number(firstArg);
    if (!Number.isInteger(first) || first < 0 || first > MAX_FIRST) throw new QueryProblem(`first must be an integer from 0 to ${MAX_FIRST}`, field);
    const after = argument(field, 'after', this.variables);
    const offset = after === undefined || after === null ? 0 : decodeCursor(String(after));

    const condition = where === undefined || where === null ? '' : await this.condition(describe, where as Record<string, unknown>, '', field.name.value);
    const order = orderBy === undefined || orderBy === null ? [] : await this.orderBy(describe, orderBy as Record<string, unknown>, '');

    const out: Record<string, unknown> = {};
    let rows: QueryRow[] | undefined;
    let nodeSelection: NodeSelection | undefined;
    let wantsRows = false;
    for (const part of this.fields(field.selectionSet)) {
      if (part.name.value === 'edges') {
        wantsRows = true;
        for (const edgePart of this.fields(part.selectionSet)) {
          if (edgePart.name.value === 'node') nodeSelection = await this.nodeSelection(describe, edgePart.selectionSet);
        }
      } else if (part.name.value === 'pageInfo') wantsRows = true;
    }
    if (wantsRows) {
      const select = new Set<string>(['Id']);
      if (nodeSelection) for (const item of selectItems(nodeSelection, '')) select.add(item);
      const soql = `SELECT ${[...select].join(', ')} FROM ${describe.name}${condition ? ` WHERE ${condition}` : ''}${
        order.length ? ` ORDER BY ${order.join(', ')}` : ''
      } LIMIT ${first + 1}${offset ? ` OFFSET ${offset}` : ''}`;
      rows = (await this.session.query(soql)).records;
    }
    const page = rows ? rows.slice(0, first) : [];
    const hasNextPage = rows ? rows.length > first : false;

    for (const part of this.fields(field.selectionSet)) {
      const key = part.alias?.value ?? part.name.value;
      switch (part.name.value) {
        case '__typename':
          out[key] = `${describe.name}Connection`;
          break;
        case 'totalCount': {
          const { totalSize } = await this.session.query(`SELECT COUNT() FROM ${describe.name}${condition ? ` WHERE ${condition}` : ''}`);
          out[key] = totalSize;
          break;
        }
        case 'edges':
          out[key] = page.map((row, index) => {
            const edge: Record<string, unknown> = {};
            for (const edgePart of this.fields(part.selectionSet)) {
              const edgeKey = edgePart.alias?.value ?? edgePart.name.value;
              if (edgePart.name.value === 'node') edge[edgeKey] = nodeSelection ? shapeNode(nodeSelection, row) : {};
              else if (edgePart.name.value === 'cursor') edge[edgeKey] = encodeCursor(offset + index + 1);
              else if (edgePart.name.value === '__typename') edge[edgeKey] = `${describe.name}Edge`;
              else throw new QueryProblem(`Cannot query field "${edgePart.name.value}" on type "${describe.name}Edge"`, edgePart);
            }
            return edge;
          });
          break;
        case 'pageInfo': {
          const info: Record<string, unknown> = {};
          for (const infoPart of this.fields(part.selectionSet)) {
            const infoKey = infoPart.alias?.value ?? infoPart.name.value;
            const values: Record<string, unknown> = {
              hasNextPage,
              hasPreviousPage: offset > 0,
              startCursor: page.length ? encodeCursor(offset + 1) : null,
              endCursor: page.length ? encodeCursor(offset + page.length) : null,
              __typename: 'PageInfo',
            };
            if (!(infoPart.name.value in values)) throw new QueryProblem(`Cannot query field "${infoPart.name.value}" on type "PageInfo"`, infoPart);
            info[infoKey] = values[infoPart.name.value];
          }
          out[key] = info;
          break;
        }
        default:
          throw new QueryProblem(`Cannot query field "${part.name.value}" on type "${describe.name}Connection"`, part);
      }
    }
    return out;
  }

  private async nodeSelection(describe: DescribeSObject, set: SelectionSetNode | undefined): Promise<NodeSelection> {
    const selection: NodeSelection = { entries: [], describe };
    for (const part of this.fields(set)) {
      const key = part.alias?.value ?? part.name.value;
      const name = part.name.value;
      if (name === 'Id') {
        selection.entries.push({ key, kind: 'id' });
        continue;
      }
      if (name === '__typename') {
        selection.entries.push({ key, kind: 'typename' });
        continue;
      }
      const relationship = describe.fields.find((f) => f.type === 'reference' && f.relationshipName === name);
      if (relationship) {
        const parent = await this.describe(relationship.referenceTo[0], part);
        selection.entries.push({ key, kind: 'parent', relationship: name, describe: parent, selection: await this.nodeSelection(parent, part.selectionSet) });
        continue;
      }
      const field = describe.fields.find((f) => f.name === name);
      if (!field) {
        if (describe.childRelationships.some((c) => c.relationshipName === name)) throw unsupported(`The child relationship ${describe.name}.${name}`, part);
        throw new QueryProblem(`Cannot query field "${name}" on type "${describe.name}"`, part);
      }
      const parts = this.fields(part.selectionSet).map((p) => p.name.value);
      if (parts.length === 0) throw new QueryProblem(`Field "${name}" of type "${describe.name}" must have a selection of subfields`, part);
      const bad = parts.find((p) => !VALUE_PARTS.has(p));
      if (bad) throw new QueryProblem(`Cannot query field "${bad}" on the value of ${describe.name}.${name}`, part);
      selection.entries.push({ key, kind: 'field', field, parts: this.fields(part.selectionSet).map((p) => `${p.alias?.value ?? p.name.value}=${p.name.value}`) });
    }
    return selection;
  }

  private async condition(describe: DescribeSObject, where: Record<string, unknown>, prefix: string, path: string): Promise<string> {
    if (typeof where !== 'object' || where === null || Array.isArray(where)) throw new QueryProblem(`${path}: where must be an object`);
    const parts: string[] = [];
    for (const [key, value] of Object.entries(where)) {
      if (value === undefined) continue;
      if (key === 'and' || key === 'or') {
        if (!Array.isArray(value)) throw new QueryProblem(`${path}.${key} must be a list`);
        const inner: string[] = [];
        for (const [i, entry] of value.entries()) {
          const c = await this.condition(describe, entry as Record<string, unknown>, prefix, `${path}.${key}[${i}]`);
          if (c) inner.push(c);
        }
        if (inner.length) parts.push(`(${inner.join(key === 'and' ? ' AND ' : ' OR ')})`);
        continue;
      }
      if (key === 'not') {
        const c = await this.condition(describe, value as Record<string, unknown>, prefix, `${path}.not`);
        if (c) parts.push(`(NOT ${c})`);
        continue;
      }
      const relationship = describe.fields.find((f) => f.type === 'reference' && f.relationshipName === key);
      if (relationship) {
        const parent = await this.describe(relationship.referenceTo[0]);
        const c = await this.condition(parent, value as Record<string, unknown>, `${prefix}${key}.`, `${path}.${key}`);
        if (c) parts.push(c);
        continue;
      }
      const field = describe.fields.find((f) => f.name === key);
      if (!field) throw new QueryProblem(`${path}: ${describe.name} has no field ${key}`);
      if (!field.filterable) throw new QueryProblem(`${path}: ${describe.name}.${key} cannot be filtered`);
      if (typeof value !== 'object' || value === null) throw new QueryProblem(`${path}.${key}: expected an operator object such as { eq: ... }`);
      for (const [op, operand] of Object.entries(value as Record<string, unknown>)) {
        if (operand === undefined) continue;
        const column = `${prefix}${field.name}`;
        const where = `${path}.${key}.${op}`;
        switch (op) {
          case 'eq':
            parts.push(`${column} = ${literal(field, operand, where)}`);
            break;
          case 'ne':
            parts.push(`${column} != ${literal(field, operand, where)}`);
            break;
          case 'lt':
          case 'lte':
          case 'gt':
          case 'gte': {
            const sql = { lt: '<', lte: '<=', gt: '>', gte: '>=' }[op];
            parts.push(`${column} ${sql} ${literal(field, operand, where)}`);
            break;
          }
          case 'in':
          case 'nin': {
            if (!Array.isArray(operand)) throw new QueryProblem(`${where} must be a list`);
            if (operand.length === 0) {
              parts.push(op === 'in' ? `Id = null` : `Id != null`);
              break;
            }
            parts.push(`${column} ${op === 'in' ? 'IN' : 'NOT IN'} (${operand.map((v) => literal(field, v, where)).join(', ')})`);
            break;
          }
          case 'like':
            if (typeof operand !== 'string') throw new QueryProblem(`${where} must be a string`);
            parts.push(`${column} LIKE ${likeLiteral(operand)}`);
            break;
          default:
            throw unsupported(`The filter operator "${op}" (${path}.${key})`);
        }
      }
    }
    if (parts.length === 0) return '';
    return parts.length === 1 ? parts[0] : `(${parts.join(' AND ')})`;
  }

  private async orderBy(describe: DescribeSObject, orderBy: Record<string, unknown>, prefix: string): Promise<string[]> {
    const out: string[] = [];
    for (const [key, value] of Object.entries(orderBy)) {
      const relationship = describe.fields.find((f) => f.type === 'reference' && f.relationshipName === key);
      if (relationship) {
        out.push(...(await this.orderBy(await this.describe(relationship.referenceTo[0]), value as Record<string, unknown>, `${prefix}${key}.`)));
        continue;
      }
      const field = describe.fields.find((f) => f.name === key);
      if (!field) throw new QueryProblem(`orderBy: ${describe.name} has no field ${key}`);
      const spec = (value ?? {}) as { order?: string; nulls?: string };
      const order = String(spec.order ?? 'ASC').toUpperCase();
      if (order !== 'ASC' && order !== 'DESC') throw new QueryProblem(`orderBy.${key}.order must be ASC or DESC`);
      const nulls = spec.nulls ? String(spec.nulls).toUpperCase() : undefined;
      if (nulls && nulls !== 'FIRST' && nulls !== 'LAST') throw new QueryProblem(`orderBy.${key}.nulls must be FIRST or LAST`);
      out.push(`${prefix}${field.name} ${order}${nulls ? ` NULLS ${nulls}` : ''}`);
    }
    return out;
  }
}

function selectItems(selection: NodeSelection, prefix: string): string[] {
  const items: string[] = [`${prefix}Id`];
  for (const entry of selection.entries) {
    if (entry.kind === 'field') items.push(`${prefix}${entry.field.name}`);
    else if (entry.kind === 'parent') items.push(...selectItems(entry.selection, `${prefix}${entry.relationship}.`));
  }
  return items;
}

function shapeNode(selection: NodeSelection, row: QueryRow | null | undefined): Record<string, unknown> | null {
  if (!row) return null;
  const node: Record<string, unknown> = {};
  for (const entry of selection.entries) {
    switch (entry.kind) {
      case 'id':
        node[entry.key] = row.Id ?? null;
        break;
      case 'typename':
        node[entry.key] = selection.describe.name;
        break;
      case 'parent':
        node[entry.key] = shapeNode(entry.selection, row[entry.relationship] as QueryRow | null | undefined);
        break;
      case 'field': {
        const value = uiValue(entry.field, row[entry.field.name] ?? null);
        const out: Record<string, unknown> = {};
        for (const spec of entry.parts) {
          const [key, part] = spec.split('=');
          if (part === 'value') out[key] = value;
          else if (part === 'displayValue') out[key] = displayValueOf(entry.field, value);
          else out[key] = `${uiTypeName(entry.field)}Value`;
        }
        node[entry.key] = out;
        break;
      }
    }
  }
  return node;
}

function uiTypeName(field: DescribeField): string {
  const names: Record<string, string> = { string: 'String', picklist: 'Picklist', boolean: 'Boolean', reference: 'ID', id: 'ID', datetime: 'DateTime', date: 'Date', textarea: 'TextArea', currency: 'Currency', double: 'Double', int: 'Int', url: 'Url' };
  return names[field.type] ?? 'String';
}

function encodeCursor(position: number): string {
  return Buffer.from(`v1:${position - 1}`).toString('base64');
}

function decodeCursor(cursor: string): number {
  const decoded = Buffer.from(cursor, 'base64').toString('utf8');
  const match = /^v1:(\d+)$/.exec(decoded);
  if (!match) throw new QueryProblem(`invalid cursor ${cursor}`);
  return Number(match[1]) + 1;
}

function coerceVariables(operation: OperationDefinitionNode, provided: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...provided };
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (out[name] === undefined && definition.defaultValue) out[name] = valueOf(definition.defaultValue, {});
    if (out[name] === undefined && definition.type.kind === Kind.NON_NULL_TYPE) {
      throw new QueryProblem(`Variable "$${name}" of required type was not provided.`, definition);
    }
  }
  return out;
}

export async function runGraphql(session: OrgSession, request: GraphqlRequest): Promise<GraphqlResponse> {
  let document: DocumentNode;
  try {
    document = parse(request.query);
  } catch (error) {
    if (error instanceof GraphQLError) return { data: null, errors: [{ message: error.message, locations: error.locations ? [...error.locations] : undefined }] };
    throw error;
  }
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = request.operationName ? operations.find((o) => o.name?.value === request.operationName) : operations.length === 1 ? operations[0] : undefined;
  if (!operation) {
    return { data: null, errors: [{ message: request.operationName ? `Unknown operation named "${request.operationName}".` : 'Must provide operation name if query contains multiple operations.' }] };
  }
  try {
    const variables = coerceVariables(operation, request.variables ?? {});
    const data = await new Translator(session, document, variables).run(operation);
    return { data };
  } catch (error) {
    if (error instanceof QueryProblem) return { data: null, errors: [error.toError()] };
    if (error instanceof OrgApiError) {
      return { data: null, errors: error.errors.map((e) => ({ message: e.message, extensions: { errorCode: e.errorCode } })) };
    }
    throw error;
  }
}
