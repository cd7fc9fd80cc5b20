import type { TestResult, Verdict } from '../types';
import { helperFile } from './helper-files';
import type { RunResult } from './run';

/**
 * The Python program that checks a function-style candidate (helper/function-harness.py, read once): it reads the asserts from stdin (see
 * `harnessInput`), loads the candidate as a module, then runs each assert under its own time budget (SIGALRM) and
 * writes one JSON line per assert to stdout. The candidate's own output goes to /dev/null: the harness
 * keeps stdout for itself on another descriptor before the candidate runs. An `assert L == R` is
 * evaluated as its two sides so a failure can say what the function returned.
 * argv: candidate path, budget per assert in ms.
 */
export const PYTHON_HARNESS = helperFile('function-harness.py');

/** The harness's stdin: each assert as its length in bytes, a newline, then the assert. */
export function harnessInput(asserts: string[]): string {
  return asserts.map((a) => `${Buffer.byteLength(a, 'utf8')}\n${a}`).join('');
}

interface AssertRecord {
  index: number;
  verdict: Verdict;
  message: string;
  expected: string | null;
  trace: string;
  ms: number;
}

interface SetupRecord {
  setup: true;
  verdict: Verdict;
  message: string;
  trace: string;
}

/**
 * Test results from the harness's output and the process outcome. An assert without a record
 * was running when the process died (or had not started): the first gets the cause, the rest say
 * they did not run.
 */
export function assertResults(asserts: string[], resultsText: string, run: RunResult, tail: (s: string) => string): TestResult[] {
  const records = new Map<number, AssertRecord>();
  let setup: SetupRecord | undefined;
  for (const line of resultsText.split('\n')) {
    const rec = parseLine(line);
    if (!rec) continue;
    if ('setup' in rec) setup = rec;
    else records.set(rec.index, rec);
  }
  const death = processDeath(run, tail);
  let firstMissing = true;
  return asserts.map((input, index): TestResult => {
    const rec = records.get(index);
    if (rec) {
      return {
        index, verdict: rec.verdict, input, expected: rec.expected === null ? [] : [rec.expected],
        actual: rec.message, stderr: rec.trace, timeMs: rec.ms,
      };
    }
    if (setup) {
      return {
        index, verdict: setup.verdict, input, expected: [], actual: `while loading the solution: ${setup.message}`,
        stderr: setup.trace, timeMs: 0,
      };
    }
    const base = { index, verdict: death.verdict, input, expected: [], timeMs: 0, truncated: run.truncated || undefined };
    if (!firstMissing) return { ...base, actual: `not run: ${death.message}`, stderr: '' };
    firstMissing = false;
    return { ...base, actual: death.message, stderr: death.stderr };
  });
}

function processDeath(run: RunResult, tail: (s: string) => string): { verdict: Verdict; message: string; stderr: string } {
  const stderr = tail(run.stderr);
  if (run.timedOut) return { verdict: 'TLE', message: 'the process was killed on the time limit', stderr };
  if (run.memoryExceeded) return { verdict: 'MLE', message: 'the process ran out of memory', stderr };
  if (run.outputLimitExceeded) return { verdict: 'RE', message: 'the process was killed: output limit exceeded', stderr };
  if (run.spawnError) return { verdict: 'RE', message: `could not start: ${run.spawnError}`, stderr };
  const how = run.signal ? `killed by ${run.signal}` : `exit code ${run.exitCode}`;
  return { verdict: 'RE', message: `the process ended early (${how})`, stderr };
}

function parseLine(line: string): AssertRecord | SetupRecord | undefined {
  if (!line.trim()) return undefined;
  try {
    const rec = JSON.parse(line) as AssertRecord | SetupRecord;
    return typeof rec === 'object' && rec !== null && typeof rec.verdict === 'string' ? rec : undefined;
  } catch {
    return undefined; // a line cut by the kill
  }
}
