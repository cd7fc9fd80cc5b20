import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

// The one architectural rule: nothing under src/core may depend on the editor.
function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sourceFiles(p) : /\.(ts|js|mts|cts)$/.test(name) ? [p] : [];
  });
}

const IMPORTS_VSCODE = /(?:from\s*['"]vscode['"]|require\(\s*['"]vscode['"]\s*\)|import\(\s*['"]vscode['"]\s*\)|import\s+['"]vscode['"])/;

describe('src/core boundary', () => {
  const root = join(__dirname, '..', '..', 'src', 'core');

  it('has no file that imports vscode', () => {
    const files = sourceFiles(root);
    assert.ok(files.length > 0, 'src/core has source files');
    const offenders = files.filter((f) => IMPORTS_VSCODE.test(readFileSync(f, 'utf8'))).map((f) => relative(root, f));
    assert.deepEqual(offenders, [], `src/core must not import vscode: ${offenders.join(', ')}`);
  });

  it('the detector catches each import form', () => {
    for (const line of [`import * as vscode from 'vscode';`, `const v = require("vscode")`, `await import('vscode')`, `import 'vscode';`]) {
      assert.ok(IMPORTS_VSCODE.test(line), line);
    }
    assert.ok(!IMPORTS_VSCODE.test(`import { x } from './vscode-like';`));
  });
});
