import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// The judge's programs that are not TypeScript (the helper's C and the function harness) sit in
// helper/ beside this module: in src/ when run from source, in dist/ where esbuild.mjs copies them for
// the bundles (and the VSIX ships them).

/** The path of helper/`name` (what a compiler reads). */
export function helperPath(name: string): string {
  return join(__dirname, 'helper', name);
}

/** The text of helper/`name`. */
export function helperFile(name: string): string {
  return readFileSync(helperPath(name), 'utf8');
}
