// Judge-side programs the user gives (checkers, interactors): their source, with testlib.h brought in.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ToolProgram } from '../../types';

export const TESTLIB_URL = 'https://github.com/MikeMirzayanov/testlib';

const INCLUDES_TESTLIB = /^[ \t]*#[ \t]*include[ \t]*["<]testlib\.h[">][^\n]*$/m;

/** Why a checker or interactor cannot be built or run: said in one line, as a judge error. */
export class ToolError extends Error {
  override name = 'ToolError';
}

/** Whether C or C++ source includes testlib.h. */
export function includesTestlib(code: string): boolean {
  return INCLUDES_TESTLIB.test(code);
}

/** What the user should do when testlib.h is missing, in one line. */
export function missingTestlibLine(tool: string): string {
  return `${tool} includes testlib.h, which is neither beside it nor set (setting mapcoderLite.judge.testlib, or --testlib FILE); put testlib.h from ${TESTLIB_URL} beside it`;
}

/**
 * The tool's source as it is compiled: testlib.h, when included, put in place of its #include (then
 * `#line` so messages name the tool's own lines). One file, so the build cache keys on both and the
 * compile needs no include path into a folder the sandbox may hide.
 */
export async function toolSource(tool: ToolProgram): Promise<string> {
  const read = async (path: string, what: string) => {
    try {
      return await readFile(path, 'utf8');
    } catch (e) {
      throw new ToolError(`cannot read the ${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
  };
  const code = tool.code ?? (await read(tool.path, 'program'));
  const m = INCLUDES_TESTLIB.exec(code);
  if (!m || (tool.lang !== 'cpp' && tool.lang !== 'c')) return code;
  if (!tool.testlib) throw new ToolError(missingTestlibLine(tool.path));
  const header = await read(tool.testlib, 'testlib.h');
  const line = code.slice(0, m.index).split('\n').length + 1;
  return `${code.slice(0, m.index)}${header}\n#line ${line} "${basename(tool.path).replace(/["\\]/g, '_')}"${code.slice(m.index + m[0].length)}`;
}
