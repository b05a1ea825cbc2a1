/**
 * Readers for the deployment files (Dockerfile, .dockerignore, the systemd unit, the env example), so tests
 * can check them offline — there is no Docker engine to build with — against the code they deploy.
 */

export interface Instruction {
  op: string;
  /** The arguments as written, continuation lines joined. */
  args: string;
  /** --name=value flags at the start (COPY --from=build, HEALTHCHECK --interval=30s). */
  flags: Record<string, string>;
  /** What follows the flags. */
  rest: string;
}

export interface Stage {
  name?: string;
  base: string;
  instructions: Instruction[];
}

/** Lines joined at trailing backslashes; comment lines (also inside a continuation) dropped, as Docker does. */
function logicalLines(text: string): string[] {
  const lines: string[] = [];
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#') || (line === '' && current === '')) continue;
    if (line.endsWith('\\')) current += line.slice(0, -1) + ' ';
    else {
      current += line;
      if (current.trim()) lines.push(current.trim());
      current = '';
    }
  }
  if (current.trim()) lines.push(current.trim());
  return lines;
}

function instruction(line: string): Instruction {
  const [op, ...words] = line.split(/\s+/);
  const args = line.slice(op.length).trim();
  const flags: Record<string, string> = {};
  let index = 0;
  while (index < words.length && words[index].startsWith('--')) {
    const [name, value = ''] = words[index].slice(2).split(/=(.*)/s);
    flags[name] = value;
    index++;
  }
  return { op: op.toUpperCase(), args, flags, rest: words.slice(index).join(' ') };
}

export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const args: Record<string, string> = {};
  for (const line of logicalLines(text)) {
    const ins = instruction(line);
    if (ins.op === 'ARG' && stages.length === 0) {
      const [name, value = ''] = ins.args.split(/=(.*)/s);
      args[name] = value;
    } else if (ins.op === 'FROM') {
      const [image, as, name] = ins.rest.split(/\s+/);
      const base = image.replace(/\$\{(\w+)\}/g, (_, v: string) => args[v] ?? '');
      stages.push({ base, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
    } else if (stages.length) stages.at(-1)!.instructions.push(ins);
  }
  return stages;
}

/** ENV a=b c=d (and the legacy `ENV a b`) as a map. */
export function envOf(stage: Stage): Map<string, string> {
  const env = new Map<string, string>();
  for (const ins of stage.instructions.filter((i) => i.op === 'ENV')) {
    const pairs = ins.args.match(/(\w+)=("[^"]*"|\S+)/g);
    if (pairs) for (const pair of pairs) env.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1).replace(/^"|"$/g, ''));
    else {
      const [key, ...value] = ins.args.split(/\s+/);
      env.set(key, value.join(' '));
    }
  }
  return env;
}

/** The JSON (exec) form of CMD, ENTRYPOINT, VOLUME and HEALTHCHECK ... CMD. */
export function execForm(text: string): string[] {
  const parsed = JSON.parse(text) as unknown;
  if (!Array.isArray(parsed) || !parsed.every((p) => typeof p === 'string')) throw new Error(`not an exec-form array: ${text}`);
  return parsed;
}

function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*' && pattern[i + 1] === '*') {
      // "**/" matches any number of directories, including none.
      source += pattern[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += pattern[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/**
 * Whether a path (relative, with /) is sent to the builder. Docker's rules: patterns are cleaned paths; a pattern
 * excludes a path when it matches the path or one of its parent directories; `!` re-includes; the last match wins.
 */
export function inBuildContext(dockerignore: string, file: string): boolean {
  const rules = dockerignore
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const negate = l.startsWith('!');
      const pattern = (negate ? l.slice(1) : l).trim().replace(/^\/+/, '').replace(/\/+$/, '');
      return { negate, re: globToRegExp(pattern) };
    });
  const parts = file.split('/');
  const candidates = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  let included = true;
  for (const rule of rules) if (candidates.some((c) => rule.re.test(c))) included = rule.negate;
  return included;
}

/** KEY=value lines and `# KEY=value` lines (documented but not set) of an environment file. */
export function parseEnvFile(text: string): { set: Map<string, string>; documented: Set<string> } {
  const set = new Map<string, string>();
  const documented = new Set<string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const active = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (active) {
      set.set(active[1], active[2]);
      documented.add(active[1]);
      continue;
    }
    const commented = /^#\s*([A-Z][A-Z0-9_]*)=/.exec(line);
    if (commented) documented.add(commented[1]);
  }
  return { set, documented };
}

/** A systemd unit as section → [key, value] pairs, repeated keys kept in order. */
export function parseUnit(text: string): Map<string, [string, string][]> {
  const sections = new Map<string, [string, string][]>();
  let current: [string, string][] | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const section = /^\[(.+)\]$/.exec(line);
    if (section) {
      current = [];
      sections.set(section[1], current);
    } else if (current) {
      const at = line.indexOf('=');
      current.push([line.slice(0, at).trim(), line.slice(at + 1).trim()]);
    }
  }
  return sections;
}

export function unitValues(unit: Map<string, [string, string][]>, section: string, key: string): string[] {
  return (unit.get(section) ?? []).filter(([k]) => k === key).map(([, v]) => v);
}
