// A Python program that loads a candidate solution and runs test snippets against it (HumanEval's
// `check(candidate)` blocks, MBPP's test blocks, assert lists). The candidate's own prints go to a
// sink, so its output cannot fake a result; the harness writes results on the real stdout.
//
// Why not the core's function harness (src/core/judge/function-harness.ts), which the agents' sample
// tests use: that one reads single asserts from stdin and explains each failure (expected vs returned,
// trace) for the debugging agent. Hidden tests are never shown to an agent, are whole multi-line blocks,
// and must also run on ExecEval, which takes one self-contained source file and a stdin per unit test:
// so this harness embeds the code and the snippets, takes a snippet index on stdin, and says only the
// verdict. The local hidden judge runs the same source, so both judges grade alike.
import type { Verdict } from '../../core/types';

/** Line prefix of the harness's result in run-all mode. */
export const RESULT_MARK = '@@mapcoder-hidden@@';
/** What the harness prints in one-snippet mode (stdin holds the index) when the snippet passed. */
export const PASSED_MARK = 'PASSED';

// Within ExecEval's limits as it runs Python (`python3 -W ignore -OO -s -S`, nofile 4): the harness opens
// no file (the candidate's stdout and stdin become in-memory objects, so fd 3 stays free for the imports
// of the code under test), compiles the code and the tests with optimize=0 (-OO would strip their
// asserts: a wrong answer would pass), and gives back exit()/quit(), which -S removes.
const HARNESS = String.raw`
import builtins, io, json, os, signal, sys

class _Timeout(BaseException):
    pass

class _Sink(io.TextIOBase):
    def write(self, s):
        return len(s)

def _alarm(signum, frame):
    raise _Timeout()

def _main():
    code = json.loads(__CODE__)
    snippets = json.loads(__SNIPPETS__)
    per_test = __PER_TEST__
    which = sys.stdin.read().strip()
    chosen = [int(which)] if which else list(range(len(snippets)))
    out = sys.stdout
    sys.stdout = _Sink()
    sys.stdin = io.StringIO("")
    if not hasattr(builtins, "exit"):
        builtins.exit = builtins.quit = sys.exit
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10000))
    signal.signal(signal.SIGALRM, _alarm)
    ns = {"__name__": "solution"}
    try:
        signal.setitimer(signal.ITIMER_REAL, per_test)
        exec(compile(code, "solution.py", "exec", optimize=0), ns)
        signal.setitimer(signal.ITIMER_REAL, 0)
        loaded = None
    except SyntaxError:
        loaded = "CE"
    except _Timeout:
        loaded = "TLE"
    except BaseException:
        loaded = "RE"
    signal.setitimer(signal.ITIMER_REAL, 0)
    for i in chosen:
        if loaded:
            _report(out, which, loaded)
            continue
        try:
            signal.setitimer(signal.ITIMER_REAL, per_test)
            exec(compile(snippets[i], "test_%d.py" % i, "exec", optimize=0), ns)
            signal.setitimer(signal.ITIMER_REAL, 0)
            verdict = "AC"
        except AssertionError:
            verdict = "WA"
        except _Timeout:
            verdict = "TLE"
        except MemoryError:
            verdict = "MLE"
        except BaseException:
            verdict = "RE"
        signal.setitimer(signal.ITIMER_REAL, 0)
        _report(out, which, verdict)
    os._exit(0)

def _report(out, which, verdict):
    if which:
        out.write("${PASSED_MARK}__NONCE__" if verdict == "AC" else verdict + "__NONCE__")
    else:
        out.write("${RESULT_MARK}__NONCE__@" + verdict + "\n")
    out.flush()

_main()
`;

/**
 * The harness for `code` and `snippets`: with empty stdin it runs every snippet and prints
 * RESULT_MARK + nonce + "@" + the verdict on a line per snippet as it finishes (a random nonce keeps a
 * program that writes to the real stdout from passing for the harness); with an index on stdin it runs
 * that snippet and prints PASSED_MARK + nonce, or the verdict + nonce (ExecEval compares the first
 * with the expected output; the second tells a failing test's verdict apart in its WRONG_ANSWER).
 */
export function harnessSource(code: string, snippets: string[], perTestMs: number, nonce = ''): string {
  const lit = (v: unknown) => JSON.stringify(JSON.stringify(v));
  const values: Record<string, string> = {
    CODE: lit(code),
    SNIPPETS: lit(snippets),
    PER_TEST: String(Math.max(perTestMs, 1) / 1000),
    NONCE: nonce.replace(/\W/g, ''),
  };
  // one pass, so placeholder-like text inside the code or the tests is never replaced
  return HARNESS.replace(/__(CODE|SNIPPETS|PER_TEST|NONCE)__/g, (_, k: string) => values[k]).trimStart();
}

/**
 * Verdicts from the harness's stdout in run-all mode. Snippets it never reported (the process was
 * killed or died) get `missing`.
 */
export function parseHarnessOutput(stdout: string, count: number, missing: Verdict, nonce = ''): Verdict[] {
  const mark = `${RESULT_MARK}${nonce}@`;
  const seen = stdout
    .split('\n')
    .filter((l) => l.startsWith(mark))
    .map((l) => l.slice(mark.length) as Verdict);
  return Array.from({ length: count }, (_, i) => seen[i] ?? missing);
}

/**
 * A one-snippet run's verdict from the output ExecEval kept (its `result`, stripped): the harness's
 * last word, PASSED_MARK or a verdict, followed by the nonce. Anything else (the candidate wrote to the
 * real stdout and died, say) is RE.
 */
export function oneSnippetVerdict(result: string, nonce: string): Verdict {
  const m = new RegExp(`(${PASSED_MARK}|AC|WA|TLE|RE|CE|MLE)${nonce}$`).exec(result.trimEnd());
  if (!m) return 'RE';
  return m[1] === PASSED_MARK ? 'AC' : (m[1] as Verdict);
}
