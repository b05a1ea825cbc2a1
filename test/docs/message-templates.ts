/**
 * Finds the error messages a module can produce by reading its syntax tree with the TypeScript compiler (never a
 * regex over source text): the message argument of `new SomeError(...)`, the `message` of a FieldError literal,
 * the argument of a call such as `skip(...)`, the return values of a function. A message is reduced to its
 * fixed text and the holes where values go: `${who} has no name — enter an Opportunity Name.` becomes
 * [hole, " has no name — enter an Opportunity Name."]. Same-file constants, helper functions, `+` and `?:` are
 * followed, so a message assembled in steps is still found whole.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { ROOT } from '../../scripts/lib/paths.js';

/** A fixed piece of text, or null where the code inserts a value. */
export type Part = string | null;

export interface MessageTemplate {
  /** Repository-relative file and line, for failure messages. */
  where: string;
  parts: Part[];
}

/** Which syntax holds a message. */
export type Picker =
  | { kind: 'new'; classes: readonly string[]; arg: number }
  | { kind: 'call'; callee: string; arg: number }
  | { kind: 'object'; requires: readonly string[]; property: string }
  | { kind: 'returns'; fn: string };

interface Source {
  file: ts.SourceFile;
  relative: string;
}

const MAX_DEPTH = 6;

function load(relative: string): Source {
  const text = readFileSync(path.join(ROOT, relative), 'utf8');
  return { file: ts.createSourceFile(relative, text, ts.ScriptTarget.Latest, true), relative };
}

function walk(node: ts.Node, visit: (node: ts.Node) => void): void {
  visit(node);
  ts.forEachChild(node, (child) => walk(child, visit));
}

/** `const name = <init>` or `function name() {}` / `const name = () => ...` declared anywhere in the file. */
function declarations(source: Source, name: string): { init?: ts.Expression; fn?: ts.SignatureDeclaration & { body?: ts.Node } }[] {
  const found: { init?: ts.Expression; fn?: ts.SignatureDeclaration & { body?: ts.Node } }[] = [];
  walk(source.file, (node) => {
    if (ts.isFunctionDeclaration(node) && node.name?.text === name) found.push({ fn: node });
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === name && node.initializer) {
      const init = node.initializer;
      if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) found.push({ fn: init });
      else if (ts.getCombinedNodeFlags(node) & ts.NodeFlags.Const) found.push({ init });
    }
  });
  return found;
}

function returnedExpressions(fn: ts.SignatureDeclaration & { body?: ts.Node }): ts.Expression[] {
  const body = fn.body;
  if (!body) return [];
  if (!ts.isBlock(body)) return [body as ts.Expression];
  const returned: ts.Expression[] = [];
  const visit = (node: ts.Node): void => {
    // Returns of nested functions belong to them, not to this one.
    if (node !== body && (ts.isFunctionLike(node) || ts.isClassLike(node))) return;
    if (ts.isReturnStatement(node) && node.expression) returned.push(node.expression);
    ts.forEachChild(node, visit);
  };
  visit(body);
  return returned;
}

const HOLE: Part[][] = [[null]];

/** Every text an expression can evaluate to, as alternatives of parts. */
function resolve(expr: ts.Expression, source: Source, depth = 0): Part[][] {
  if (depth > MAX_DEPTH) return HOLE;
  if (ts.isParenthesizedExpression(expr) || ts.isAsExpression(expr) || ts.isNonNullExpression(expr)) return resolve(expr.expression, source, depth);
  if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr)) return [[expr.text]];
  if (ts.isTemplateExpression(expr)) {
    const parts: Part[] = [expr.head.text];
    for (const span of expr.templateSpans) parts.push(null, span.literal.text);
    return [parts];
  }
  if (ts.isBinaryExpression(expr) && expr.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const left = resolve(expr.left, source, depth + 1);
    const right = resolve(expr.right, source, depth + 1);
    return left.flatMap((l) => right.map((r) => [...l, ...r]));
  }
  if (ts.isBinaryExpression(expr) && (expr.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || expr.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
    return [...resolve(expr.left, source, depth + 1), ...resolve(expr.right, source, depth + 1)];
  }
  if (ts.isConditionalExpression(expr)) return [...resolve(expr.whenTrue, source, depth + 1), ...resolve(expr.whenFalse, source, depth + 1)];
  // A list of messages (`new SettingsError([...])`, `problems.push(...helper())`): each element is one.
  if (ts.isArrayLiteralExpression(expr)) return expr.elements.flatMap((e) => resolve(e, source, depth + 1));
  if (ts.isSpreadElement(expr)) return resolve(expr.expression, source, depth + 1);
  if (ts.isIdentifier(expr)) {
    const inits = declarations(source, expr.text).flatMap((d) => (d.init ? [d.init] : []));
    return inits.length > 0 ? inits.flatMap((init) => resolve(init, source, depth + 1)) : HOLE;
  }
  if (ts.isCallExpression(expr) && ts.isIdentifier(expr.expression)) {
    const fns = declarations(source, expr.expression.text).flatMap((d) => (d.fn ? [d.fn] : []));
    const returned = fns.flatMap(returnedExpressions);
    return returned.length > 0 ? returned.flatMap((r) => resolve(r, source, depth + 1)) : HOLE;
  }
  return HOLE;
}

/** Adjacent text joined, runs of holes collapsed, empty text dropped. */
function normalize(parts: Part[]): Part[] {
  const out: Part[] = [];
  for (const part of parts) {
    const last = out.at(-1);
    if (part === '') continue;
    if (part === null && last === null) continue;
    if (typeof part === 'string' && typeof last === 'string') out[out.length - 1] = last + part;
    else out.push(part);
  }
  return out;
}

function calleeName(expr: ts.Expression): string | undefined {
  if (ts.isIdentifier(expr)) return expr.text;
  if (ts.isPropertyAccessExpression(expr)) return expr.name.text;
  return undefined;
}

function picked(node: ts.Node, picker: Picker, source: Source): ts.Expression[] {
  switch (picker.kind) {
    case 'new':
      if (ts.isNewExpression(node) && picker.classes.includes(node.expression.getText(source.file))) {
        const arg = node.arguments?.[picker.arg];
        return arg ? [arg] : [];
      }
      return [];
    case 'call':
      // `problems.push` matches that exact callee; `skip` matches any call of a function or method so named.
      if (ts.isCallExpression(node) && (picker.callee.includes('.') ? node.expression.getText(source.file) : calleeName(node.expression)) === picker.callee) {
        const arg = node.arguments[picker.arg];
        return arg ? [arg] : [];
      }
      return [];
    case 'object': {
      if (!ts.isObjectLiteralExpression(node)) return [];
      const named = new Map<string, ts.ObjectLiteralElementLike>();
      for (const p of node.properties) if (p.name && ts.isIdentifier(p.name)) named.set(p.name.text, p);
      if (!picker.requires.every((r) => named.has(r))) return [];
      const prop = named.get(picker.property);
      if (prop && ts.isPropertyAssignment(prop)) return [prop.initializer];
      if (prop && ts.isShorthandPropertyAssignment(prop)) return [prop.name];
      return [];
    }
    case 'returns':
      if ((ts.isFunctionDeclaration(node) && node.name?.text === picker.fn) || (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === picker.fn && node.initializer && ts.isArrowFunction(node.initializer))) {
        const fn = ts.isFunctionDeclaration(node) ? node : (node.initializer as ts.ArrowFunction);
        return returnedExpressions(fn);
      }
      return [];
  }
}

/** The message templates `picker` finds in one repository-relative file. */
export function messageTemplates(relativeFile: string, picker: Picker): MessageTemplate[] {
  const source = load(relativeFile);
  const found: MessageTemplate[] = [];
  walk(source.file, (node) => {
    for (const expr of picked(node, picker, source)) {
      const line = source.file.getLineAndCharacterOfPosition(expr.getStart(source.file)).line + 1;
      for (const parts of resolve(expr, source)) found.push({ where: `${relativeFile}:${line}`, parts: normalize(parts) });
    }
  });
  return found;
}

/** String literals of a string-literal union type alias, e.g. `type Reason = 'a' | 'b'`. */
export function unionMembers(relativeFile: string, typeName: string): string[] {
  const source = load(relativeFile);
  const members: string[] = [];
  walk(source.file, (node) => {
    if (ts.isTypeAliasDeclaration(node) && node.name.text === typeName && ts.isUnionTypeNode(node.type)) {
      for (const t of node.type.types) if (ts.isLiteralTypeNode(t) && ts.isStringLiteral(t.literal)) members.push(t.literal.text);
    }
  });
  return members;
}

/** Text that identifies a message when quoted: its fixed pieces of at least `min` characters, in order. */
export function quotableChunks(parts: readonly Part[], min = 12): string[] {
  return parts.flatMap((p) => (typeof p === 'string' && p.trim().length >= min ? [p.trim()] : []));
}

/**
 * The entries of an object literal assigned to `const <name>` (anywhere in the file, e.g. a lookup table of fixes
 * inside a function): each key with every text its value can be. Array values yield each element.
 */
export function constObject(relativeFile: string, name: string): { key: string; values: Part[][] }[] {
  const source = load(relativeFile);
  const entries: { key: string; values: Part[][] }[] = [];
  for (const { init } of declarations(source, name)) {
    let object = init;
    while (object && (ts.isAsExpression(object) || ts.isSatisfiesExpression(object) || ts.isParenthesizedExpression(object))) object = object.expression;
    if (!object || !ts.isObjectLiteralExpression(object)) continue;
    for (const prop of object.properties) {
      if (!ts.isPropertyAssignment(prop)) continue;
      const key = ts.isIdentifier(prop.name) || ts.isStringLiteral(prop.name) ? prop.name.text : prop.name.getText(source.file);
      entries.push({ key, values: resolve(prop.initializer, source).map(normalize) });
    }
  }
  return entries;
}
