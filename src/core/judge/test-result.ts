// A run of the candidate read as a test result: its verdict when it did not end cleanly, and the stderr
// the debugging agent sees (its tail, with a line saying what the judge did).
import type { Sample, TestResult, Verdict } from '../types';
import type { OutputVerdict } from './checker';
import { relativeToBuild } from './compile';
import type { RunContext } from './request';
import type { RunResult } from './run';

/** End of stderr kept in a test result. */
const STDERR_TAIL_BYTES = 2048;

/** A run judged on CPU time: past the limit is TLE whether or not the wall clock stopped it (unless it died of memory first). */
export function cpuJudged(r: RunResult, timeLimitMs: number): RunResult {
  return r.cpuMs !== undefined && r.cpuMs > timeLimitMs && !r.memoryExceeded ? { ...r, timedOut: true } : r;
}

/** The verdict of a run that did not end cleanly; undefined when its output is to be judged. */
export function runFailure(r: RunResult): Verdict | undefined {
  if (r.timedOut) return 'TLE';
  if (r.memoryExceeded) return 'MLE';
  if (r.outputLimitExceeded) return 'WA';
  if (r.spawnError !== undefined || r.exitCode !== 0 || r.signal !== null) return 'RE';
  return undefined;
}

/** The test result of sample `index`'s run, judged `judged`. */
export function testResult(ctx: RunContext, sample: Sample, index: number, r: RunResult, judged: OutputVerdict): TestResult {
  const { verdict, message } = judged;
  return {
    index, verdict, input: sample.input, expected: sample.outputs, actual: r.stdout,
    stderr: withNote(tail(relativeToBuild(r.stderr, ctx.build.vars.dir)), runNote(r, verdict, ctx.timeLimitMs)), timeMs: r.timeMs,
    ...(r.cpuMs !== undefined ? { cpuMs: r.cpuMs } : {}), ...(r.memoryKb !== undefined ? { memoryKb: r.memoryKb } : {}),
    ...(r.truncated ? { truncated: true } : {}), ...(message ? { message } : {}),
  };
}

/** A test result told to the caller as it finishes (`onTest`). */
export function announce(ctx: RunContext, result: TestResult): TestResult {
  ctx.req.onTest?.(result);
  return result;
}

/** A line for the debugging agent saying what the judge did, when stderr alone would not tell. */
function runNote(r: RunResult, verdict: Verdict, timeLimitMs: number): string | undefined {
  if (verdict === 'TLE') {
    if (r.cpuMs === undefined) return `time limit exceeded (${timeLimitMs} ms): killed after ${r.timeMs} ms`;
    return r.cpuMs > timeLimitMs
      ? `time limit exceeded (${timeLimitMs} ms): ${r.cpuMs} ms of CPU time`
      : `time limit exceeded (${timeLimitMs} ms) on the wall clock only: killed after ${r.timeMs} ms with ${r.cpuMs} ms of CPU time, twice`;
  }
  if (r.outputLimitExceeded) return 'output limit exceeded: stdout was cut and the program killed';
  if (r.spawnError !== undefined) return `could not start: ${r.spawnError}`;
  if (verdict === 'MLE' && r.oomKilled) return 'memory limit exceeded: the memory of all its processes together passed the limit, and the kernel ended one';
  if (verdict === 'MLE' && r.exitCode === 0 && r.memoryKb !== undefined) return `memory limit exceeded: peak ${Math.round(r.memoryKb / 1024)} MB`;
  if (verdict === 'RE' || verdict === 'MLE') return r.signal ? `killed by ${r.signal}` : `exit code ${r.exitCode}`;
  return undefined;
}

function withNote(stderr: string, note: string | undefined): string {
  if (!note) return stderr;
  return `${stderr}${stderr && !stderr.endsWith('\n') ? '\n' : ''}[judge] ${note}`;
}

/** The end of `s`, at most STDERR_TAIL_BYTES. */
export function tail(s: string): string {
  const b = Buffer.from(s, 'utf8');
  return b.length <= STDERR_TAIL_BYTES ? s : b.subarray(b.length - STDERR_TAIL_BYTES).toString('utf8');
}
