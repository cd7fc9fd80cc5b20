// A testlib-style checker program: `checker input output answer`, its exit code the verdict.
import type { ToolProgram } from '../../types';
import type { RunResult } from '../run';
import type { CheckOutcome } from './builtin';
import { ToolError } from './tool';

/** What the judge lends a tool: a build (cached) and sandboxed runs in a fresh folder holding `files`. */
export interface ToolHost {
  /** The tool's run command, built; rejects with a ToolError when it cannot be. */
  command(tool: ToolProgram): Promise<string[]>;
  run(tool: ToolProgram, argv: string[], files: Record<string, string>): Promise<RunResult>;
}

// testlib's exit codes: _ok, _wa, _pe, _fail; 4 (_dirt) and 8 (_unexpected_eof) judge the output too.
const EXIT_VERDICTS: Record<number, CheckOutcome['verdict']> = { 0: 'AC', 1: 'WA', 2: 'PE', 3: 'JE', 4: 'PE', 8: 'WA' };

export async function programCheck(host: ToolHost, tool: ToolProgram, input: string, output: string, answer: string): Promise<CheckOutcome> {
  let argv: string[];
  try {
    argv = await host.command(tool);
  } catch (e) {
    if (e instanceof ToolError) return { verdict: 'JE', message: e.message };
    throw e;
  }
  const r = await host.run(tool, [...argv, 'input.txt', 'output.txt', 'answer.txt'], { 'input.txt': input, 'output.txt': output, 'answer.txt': answer });
  return exitOutcome(r, 'checker');
}

/** A testlib tool's run read as a verdict; a crash, time-out or unknown code is a judge error. */
export function exitOutcome(r: RunResult, what: string): CheckOutcome {
  // testlib says its word on stderr; a checker of one's own may print it. An interactor's stdout is the conversation.
  const said = what === 'interactor' ? firstLine(r.stderr) : firstLine(r.stdout) || firstLine(r.stderr);
  if (r.spawnError !== undefined) return { verdict: 'JE', message: `the ${what} could not start: ${r.spawnError}` };
  if (r.timedOut) return { verdict: 'JE', message: `the ${what} exceeded its time limit` };
  if (r.signal !== null) return { verdict: 'JE', message: `the ${what} was killed by ${r.signal}${said ? `: ${said}` : ''}` };
  const verdict = r.exitCode === null ? undefined : EXIT_VERDICTS[r.exitCode];
  if (!verdict) return { verdict: 'JE', message: `the ${what} exited with code ${r.exitCode}${said ? `: ${said}` : ''}` };
  return { verdict, message: said || (verdict === 'JE' ? `the ${what} failed` : '') };
}

function firstLine(s: string): string {
  return s.split('\n').map((l) => l.trim()).find((l) => l !== '') ?? '';
}
