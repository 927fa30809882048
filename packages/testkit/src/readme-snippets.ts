/**
 * The TypeScript snippets of the READMEs, read from the files themselves and type-checked against the
 * workspace packages, so a README cannot show code that does not compile.
 *
 * The convention, for whoever writes a README:
 * - every ```ts block is checked, under `strict`;
 * - the ```ts blocks of one section (from one heading to the next) compile together, in order, as
 *   one module: a later block may use what an earlier one declared;
 * - what a section assumes and does not show (a `client`, an instance `id`) is declared in an HTML
 *   comment, which a reader of the rendered page does not see, and holds for that section and its
 *   subsections (a comment under `## Resources` serves every `### …` below it):
 *   `<!-- snippet-context: import type { GatewayClient } from '@aws-trpc/client'; declare const client: GatewayClient; -->`
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** The repository root. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** One section's snippets as a module, with the README line of each of its lines. */
export interface SnippetModule {
  /** The README's path, as given. */
  file: string;
  section: string;
  /** 1-based line of the first ```ts fence. */
  line: number;
  code: string;
  /** README line (1-based) of each line of `code`. */
  lines: number[];
}

const contextPattern = /^<!--\s*snippet-context:([\s\S]*?)-->/;

interface Scope {
  level: number;
  code: string[];
  lines: number[];
}

/** The ```ts blocks of a markdown text, one module per section, each with the contexts in scope. */
export function snippetModules(file: string, markdown: string): SnippetModule[] {
  const text = markdown.split('\n');
  const modules: SnippetModule[] = [];
  // The enclosing sections, outermost first; a context comment belongs to the innermost.
  const scopes: Scope[] = [{ level: 0, code: [], lines: [] }];
  let section = '';
  let current: SnippetModule | undefined;
  const flush = () => {
    if (current) {
      const body = current.code.split('\n').slice(0, -1);
      current.code = [...scopes.flatMap((s) => s.code), ...body, 'export {};'].join('\n');
      current.lines = [
        ...scopes.flatMap((s) => s.lines),
        ...current.lines,
        current.lines.at(-1) ?? current.line,
      ];
      modules.push(current);
    }
    current = undefined;
  };
  for (let i = 0; i < text.length; i++) {
    const line = text[i] ?? '';
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      flush();
      const level = heading[1]?.length ?? 1;
      while ((scopes.at(-1)?.level ?? 0) >= level) scopes.pop();
      scopes.push({ level, code: [], lines: [] });
      section = heading[2] ?? '';
      continue;
    }
    if (line.startsWith('<!--')) {
      // A context comment may span lines: gather it up to its end.
      let end = i;
      while (end < text.length && !text[end]?.includes('-->')) end++;
      const match = contextPattern.exec(text.slice(i, end + 1).join('\n'));
      const scope = scopes.at(-1);
      if (match && scope) {
        (match[1] ?? '').split('\n').forEach((codeLine, k) => {
          scope.code.push(codeLine);
          scope.lines.push(i + 1 + k);
        });
      }
      i = end;
      continue;
    }
    if (/^```(ts|typescript)\s*$/.test(line)) {
      current ??= { file, section, line: i + 1, code: '', lines: [] };
      let j = i + 1;
      for (; j < text.length && !/^```\s*$/.test(text[j] ?? ''); j++) {
        current.code += `${text[j]}\n`;
        current.lines.push(j + 1);
      }
      i = j;
      continue;
    }
    // Other fences (sh, yaml) may hold lines that look like headings or comments: skip them whole.
    if (/^```/.test(line)) {
      let j = i + 1;
      while (j < text.length && !/^```\s*$/.test(text[j] ?? '')) j++;
      i = j;
    }
  }
  flush();
  return modules;
}

/** Every README whose snippets are checked (paths from the repository root): the root's, each package's and each app's. */
export function readmePaths(): string[] {
  const nested = ['packages', 'apps'].flatMap((parent) =>
    readdirSync(join(repoRoot, parent))
      .map((name) => join(parent, name, 'README.md'))
      .filter((path) => existsSync(join(repoRoot, path))),
  );
  return ['README.md', ...nested];
}

export interface SnippetError {
  /** `README.md:123:7`, pointing at the README line. */
  at: string;
  code: number;
  message: string;
}

/** Where the virtual modules live: inside the test kit, so `@aws-trpc/*` resolve to the workspace's. */
const virtualRoot = join(repoRoot, 'packages', 'testkit', '.readme-snippets');

const options: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  types: ['node'],
  esModuleInterop: true,
};

/**
 * Type-checks the snippets of the given READMEs (paths, read from disk) in one program; returns every
 * error, each pointing at its README line.
 */
export function checkReadmeSnippets(files: string[]): SnippetError[] {
  const shown = (file: string) => {
    const rel = relative(repoRoot, resolve(repoRoot, file));
    return rel.startsWith('..') ? resolve(repoRoot, file) : rel;
  };
  const modules = files.flatMap((file) =>
    snippetModules(shown(file), readFileSync(resolve(repoRoot, file), 'utf8')),
  );
  const virtual = new Map<string, SnippetModule>();
  modules.forEach((module, index) => {
    virtual.set(join(virtualRoot, `snippet-${index}.ts`), module);
  });
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const readFile = host.readFile.bind(host);
  host.fileExists = (name) => virtual.has(name) || fileExists(name);
  host.readFile = (name) => virtual.get(name)?.code ?? readFile(name);
  host.getSourceFile = (name, languageVersion, ...rest) => {
    const module = virtual.get(name);
    return module
      ? ts.createSourceFile(name, module.code, languageVersion, true)
      : getSourceFile(name, languageVersion, ...rest);
  };
  const program = ts.createProgram([...virtual.keys()], options, host);
  // Only the snippets are checked: the workspace sources they import have their own type-check.
  const diagnostics = [...virtual.keys()].flatMap((name) => {
    const source = program.getSourceFile(name);
    return source
      ? [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]
      : [];
  });
  return diagnostics.map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    const module = d.file ? virtual.get(d.file.fileName) : undefined;
    if (!d.file || !module || d.start === undefined) {
      return { at: d.file ? relative(repoRoot, d.file.fileName) : '(program)', code: d.code, message };
    }
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    return {
      at: `${module.file}:${module.lines[line] ?? module.line}:${character + 1}`,
      code: d.code,
      message,
    };
  });
}
