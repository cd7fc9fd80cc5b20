// Interactive problems: the program and a testlib-style interactor (`interactor input output`, talking to
// the program over its stdin and stdout, its exit code the verdict) run at once, each in its own sandbox,
// joined by two pipes. The time limit is the program's; a deadlock (both waiting to read) ends when the
// program's wall clock runs out, and whenever one of them is stopped, the other is stopped with it.
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { Sample, TestResult, Verdict } from '../types';
import { exitOutcome, ToolError, type CheckOutcome, type ToolHost } from './checker';
import { isAbortError } from '../abort';
import type { Limiter } from '../limiter';
import { settleAll } from '../settle-all';
import { interactiveRefusal } from './checker/find';
import { expandArgv } from './compile';
import { writeFiles } from './file-io';
import { MEMORY_RLIMIT, STARTUP_MARGIN_MS } from './limits';
import type { RunContext } from './request';
import { runProcess, type RunOptions, type RunResult } from './run';
import { SANDBOX_MARGIN_MS } from './sandbox';
import { announce, runFailure, testResult } from './test-result';

export interface InteractiveRequest {
  program: { argv: string[]; opts: Omit<RunOptions, 'stdin' | 'stdoutTo' | 'signal'> };
  interactor: { argv: string[]; opts: Omit<RunOptions, 'stdin' | 'stdoutTo' | 'signal'> };
  signal?: AbortSignal;
}

/** A process the judge stopped because its partner ended first (or ran out of time). */
function stoppedRun(what: string): RunResult {
  return {
    exitCode: null, signal: 'SIGKILL', stdout: '', stderr: `[judge] ${what} stopped with the other side`, timeMs: 0,
    timedOut: false, memoryExceeded: false, truncated: false, outputLimitExceeded: false,
  };
}

/** Runs both, joined; rejects only with an AbortError of the caller's signal, after both are gone. */
export async function runInteractive(req: InteractiveRequest): Promise<{ program: RunResult; interactor: RunResult }> {
  const toInteractor = new PassThrough();
  const toProgram = new PassThrough();
  for (const s of [toInteractor, toProgram]) s.on('error', () => undefined); // a write after the reader left
  const stop = new AbortController();
  const signal = req.signal ? AbortSignal.any([req.signal, stop.signal]) : stop.signal;
  const stoppable = (p: Promise<RunResult>, what: string) => p.catch((e: unknown) => {
    if (isAbortError(e) && !req.signal?.aborted) return stoppedRun(what);
    throw e;
  });
  const program = stoppable(runProcess(req.program.argv, { ...req.program.opts, stdin: toProgram, stdoutTo: toInteractor, signal }), 'the program');
  const interactor = stoppable(runProcess(req.interactor.argv, { ...req.interactor.opts, stdin: toInteractor, stdoutTo: toProgram, signal }), 'the interactor');
  // A program out of time, or an interactor that has decided against it (or failed): nobody to talk to.
  void program.then((r) => r.timedOut && stop.abort(), () => stop.abort());
  void interactor.then((r) => r.exitCode !== 0 && stop.abort(), () => stop.abort());
  const [p, i] = await Promise.allSettled([program, interactor]);
  if (p.status === 'rejected') throw p.reason;
  if (i.status === 'rejected') throw i.reason;
  return { program: p.value, interactor: i.value };
}

/**
 * The verdict: the program's time or memory first (an interactor cut off by it says nothing), then the
 * interactor's word (its wrong answer ends the program, which may then die of a broken pipe), then a
 * program that failed on its own.
 */
export function interactiveVerdict(programFailure: Verdict | undefined, interactor: RunResult): CheckOutcome | { verdict: Verdict; message?: string } {
  if (programFailure === 'TLE') return { verdict: 'TLE', message: 'the program ran out of time (waiting for a reply it never asked for? flush after every line)' };
  if (programFailure === 'MLE') return { verdict: 'MLE' };
  const said = exitOutcome(interactor, 'interactor');
  if (said.verdict !== 'AC') return said;
  return programFailure ? { verdict: programFailure, message: said.message } : said;
}

/** What the per-test loop of an interactive problem borrows from the judge. */
export interface InteractionHost {
  limiter: Limiter;
  /** Builds the interactor and runs it in the judge's sandbox. */
  tools: ToolHost;
  /** The limits and surroundings of every run of the candidate. */
  limits: Omit<RunOptions, 'stdin' | 'stdoutTo' | 'wallLimitMs' | 'cwd'>;
}

/**
 * Each test as a conversation with the problem's interactor, which gets the test's input as its file;
 * without an interactor every test is a judge error that says how to give one.
 */
export async function runInteractions(ctx: RunContext, cases: Sample[], host: InteractionHost): Promise<TestResult[]> {
  const refusal = interactiveRefusal(ctx.req.problem);
  const tool = ctx.req.problem.interactor;
  const judgeErrors = (message: string | undefined) =>
    cases.map((c, index) => announce(ctx, { index, verdict: 'JE', input: c.input, expected: c.outputs, actual: '', stderr: '', timeMs: 0, message }));
  if (refusal || !tool) return judgeErrors(refusal);
  let interactor: string[];
  try {
    interactor = await host.tools.command(tool);
  } catch (e) {
    if (!(e instanceof ToolError)) throw e;
    return judgeErrors(e.message);
  }
  const argv = [...expandArgv(ctx.run, { ...ctx.build.vars, mem: String(ctx.memoryLimitMb) }), ...(ctx.req.args ?? [])];
  const wallMs = ctx.timeLimitMs + STARTUP_MARGIN_MS[ctx.req.lang] + (ctx.machine.sandbox ? SANDBOX_MARGIN_MS : 0);
  const ticket = { signal: ctx.signal, priority: ctx.req.priority, weight: Math.min(2, host.limiter.size) };
  return settleAll(cases.map((c, index) => host.limiter.run(async () => {
    const [pdir, idir] = await Promise.all([mkdtemp(join(ctx.root, 'run-')), mkdtemp(join(ctx.root, 'run-'))]);
    try {
      await writeFiles(idir, { 'input.txt': c.input });
      const { program, interactor: said } = await runInteractive({
        program: { argv, opts: { ...host.limits, cwd: pdir, wallLimitMs: wallMs } },
        interactor: { argv: [...interactor, 'input.txt', 'output.txt'], opts: { ...host.limits, memoryRlimit: MEMORY_RLIMIT[tool.lang], cwd: idir, wallLimitMs: wallMs + STARTUP_MARGIN_MS[tool.lang] } },
        signal: ctx.signal,
      });
      const judged = interactiveVerdict(runFailure(program), said);
      // The sample's output is a transcript of one conversation, never what this one must say.
      return announce(ctx, { ...testResult(ctx, c, index, program, judged), expected: [] });
    } finally {
      await Promise.all([pdir, idir].map((d) => rm(d, { recursive: true, force: true })));
    }
  }, ticket)));
}
