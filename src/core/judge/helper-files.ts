import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// The programs that are not TypeScript (the judge's C helper and function harness; the evaluation's
// hidden-test harness) sit in a helper/ folder beside the module that runs them: in src/ when run from
// source, in dist/helper/ where esbuild.mjs copies every such folder for the bundles (and the VSIX
// ships them).

/**
 * The path of helper/`name` beside `dir` (what a compiler reads): the judge's folder by default; another
 * module passes its own `__dirname` (in a bundle every module's is dist/, so all helper/ folders meet in dist/helper/).
 */
export function helperPath(name: string, dir = __dirname): string {
  return join(dir, 'helper', name);
}

/** The text of helper/`name` beside `dir` (see helperPath). */
export function helperFile(name: string, dir = __dirname): string {
  return readFileSync(helperPath(name, dir), 'utf8');
}
