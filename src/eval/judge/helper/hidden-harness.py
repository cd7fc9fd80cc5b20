# The harness for hidden tests (python-harness.ts fills in the __NAME__ placeholders): it loads a
# candidate solution and runs test snippets against it, the candidate's prints going to a sink so its
# output cannot fake a result. Within ExecEval's limits as it runs Python (`python3 -W ignore -OO -s -S`,
# nofile 4): it opens no file (the candidate's stdout and stdin become in-memory objects, so fd 3 stays
# free for the imports of the code under test), compiles the code and the tests with optimize=0 (-OO
# would strip their asserts: a wrong answer would pass), and gives back exit()/quit(), which -S removes.
import builtins, io, json, os, signal, sys

# Filled in by harnessSource (python-harness.ts): the marks it reads back and the run's nonce.
PASSED = "__PASSED_MARK__"
RESULT = "__RESULT_MARK__"
NONCE = "__NONCE__"

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
    loaded = _run(code, "solution.py", ns, per_test, ((SyntaxError, "CE"), (_Timeout, "TLE")))
    for i in chosen:
        caught = ((AssertionError, "WA"), (_Timeout, "TLE"), (MemoryError, "MLE"))
        _report(out, which, loaded if loaded != "AC" else _run(snippets[i], "test_%d.py" % i, ns, per_test, caught))
    os._exit(0)

def _run(source, name, ns, per_test, caught):
    """Runs source in ns under the per-test alarm: AC, or the verdict `caught` pairs with what it raised (else RE)."""
    try:
        signal.setitimer(signal.ITIMER_REAL, per_test)
        exec(compile(source, name, "exec", optimize=0), ns)
        signal.setitimer(signal.ITIMER_REAL, 0)
        return "AC"
    except BaseException as e:
        signal.setitimer(signal.ITIMER_REAL, 0)
        return next((verdict for kind, verdict in caught if isinstance(e, kind)), "RE")

def _report(out, which, verdict):
    if which:
        out.write(PASSED + NONCE if verdict == "AC" else verdict + NONCE)
    else:
        out.write(RESULT + NONCE + "@" + verdict + "\n")
    out.flush()

_main()
