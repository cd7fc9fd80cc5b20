import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

// The house's arrows run one way. The core knows nothing else (and never the editor). The run state
// (what the extension keeps of a run and the panel renders) knows only the core, and the panel protocol
// (the messages between the extension and the panel's page) the core and the run state. The eval and
// distill libraries know nothing of argv or the editor; the CLI and the extension sit on top, and the
// webview (the panel's page, its own tsconfig with the DOM) knows the core, the run state and the protocol.
const ROOT = resolve(__dirname, '..', '..');
const ALLOWED: Record<string, string[]> = {
  core: [],
  'run-state': ['core'],
  'panel-protocol': ['core', 'run-state'],
  eval: ['core'],
  distill: ['core', 'eval'],
  cli: ['core', 'eval', 'distill'],
  extension: ['core', 'run-state', 'panel-protocol', 'distill'],
  webview: ['core', 'run-state', 'panel-protocol'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sourceFiles(p) : /\.(ts|js|mts|cts)$/.test(name) ? [p] : [];
  });
}

/** src/<layer>/... or src/<layer>.ts */
function layerOf(file: string): string | undefined {
  const [top, second] = relative(ROOT, file).split('/');
  if (top === 'src' && second) return second.replace(/\.ts$/, '');
  return undefined;
}

const IMPORT = /(?:from\s*|import\s*\(\s*|require\(\s*|import\s+)['"]([^'"]+)['"]/g;
const IMPORTS_VSCODE = /(?:from\s*['"]vscode['"]|require\(\s*['"]vscode['"]\s*\)|import\(\s*['"]vscode['"]\s*\)|import\s+['"]vscode['"])/;

function crossings(): string[] {
  const files = sourceFiles(join(ROOT, 'src'));
  const wrong: string[] = [];
  for (const file of files) {
    const from = layerOf(file)!;
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const to = spec.startsWith('.') ? layerOf(resolve(dirname(file), spec)) : undefined;
      const vscode = spec === 'vscode' && from !== 'extension';
      if (vscode || (to && to !== from && from in ALLOWED && !ALLOWED[from].includes(to))) wrong.push(`${relative(ROOT, file)} -> ${spec}`);
    }
  }
  return wrong;
}

describe('layers: imports run one way', () => {
  it('no file imports a layer above it, and only the extension imports vscode', () => {
    assert.deepEqual(crossings(), []);
  });

  it('every top-level part of src/ is a layer with its arrows declared', () => {
    const parts = readdirSync(join(ROOT, 'src')).filter((n) => statSync(join(ROOT, 'src', n)).isDirectory() || /\.ts$/.test(n)).map((n) => n.replace(/\.ts$/, ''));
    assert.deepEqual(parts.filter((p) => !(p in ALLOWED)), []);
  });

  it('src/core has files and none imports vscode', () => {
    const files = sourceFiles(join(ROOT, 'src', 'core'));
    assert.ok(files.length > 50);
    assert.deepEqual(files.filter((f) => IMPORTS_VSCODE.test(readFileSync(f, 'utf8'))), []);
  });

  it('the model client never loads the judge: no import from src/core/llm reaches src/core/judge', () => {
    const llm = join(ROOT, 'src', 'core', 'llm');
    const judge = join(ROOT, 'src', 'core', 'judge');
    const files = sourceFiles(llm);
    assert.ok(files.length > 10);
    const wrong = files.flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(IMPORT)]
        .map(([, spec]) => spec)
        .filter((spec) => spec.startsWith('.') && !relative(judge, resolve(dirname(file), spec)).startsWith('..'))
        .map((spec) => `${relative(ROOT, file)} -> ${spec}`));
    assert.deepEqual(wrong, []);
  });

  it('media/ holds only assets: the webview\'s code is under src/webview', () => {
    assert.deepEqual(sourceFiles(join(ROOT, 'media')).map((f) => relative(ROOT, f)), []);
  });

  it('only the webview has the DOM: the node code\'s tsconfig leaves it out', () => {
    const lib = (p: string) => (JSON.parse(readFileSync(join(ROOT, p), 'utf8')) as { compilerOptions: { lib?: string[] } }).compilerOptions.lib ?? [];
    assert.ok(!lib('tsconfig.json').some((l) => /^dom/i.test(l)));
    assert.ok(lib('src/webview/tsconfig.json').includes('DOM'));
  });

  it('the detector catches each import form', () => {
    for (const line of [`import * as vscode from 'vscode';`, `const v = require("vscode")`, `await import('vscode')`, `import 'vscode';`]) {
      assert.ok(IMPORTS_VSCODE.test(line), line);
      assert.deepEqual([...line.matchAll(IMPORT)].map((m) => m[1]), ['vscode'], line);
    }
    assert.ok(!IMPORTS_VSCODE.test(`import { x } from './vscode-like';`));
  });
});
