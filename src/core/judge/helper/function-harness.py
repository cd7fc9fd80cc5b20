# The Python program that checks a function-style candidate: it reads the asserts from stdin (see
# `harnessInput`), loads the candidate as a module, then runs each assert under its own time budget (SIGALRM) and
# writes one JSON line per assert to stdout. The candidate's own output goes to /dev/null: the harness
# keeps stdout for itself on another descriptor before the candidate runs. An `assert L == R` is
# evaluated as its two sides so a failure can say what the function returned.
# argv: candidate path, budget per assert in ms.
# Only what a passing run needs is imported up front: every import costs start-up time on every judge.
# (No json: its import costs more than these few lines.)
import ast, os, signal, sys, time, types

candidate_path, budget_ms = sys.argv[1:3]
budget = int(budget_ms) / 1000.0
sys.argv = [candidate_path]


def read_asserts(data):
    """Each assert as its length in bytes, a newline, then its UTF-8 bytes."""
    asserts, at = [], 0
    while at < len(data):
        nl = data.index(b'\n', at)
        end = nl + 1 + int(data[at:nl])
        asserts.append(data[nl + 1:end].decode('utf-8'))
        at = end
    return asserts


asserts = read_asserts(sys.stdin.buffer.read())
results = os.dup(1)
quiet = os.open(os.devnull, os.O_WRONLY)
os.dup2(quiet, 1)
os.close(quiet)

ESCAPES = {i: '\\u%04x' % i for i in range(32)}
ESCAPES.update({ord('"'): '\\"', ord('\\'): '\\\\'})


def json_value(v):
    if v is None:
        return 'null'
    if v is True:
        return 'true'
    if isinstance(v, int):
        return str(v)
    return '"' + v.translate(ESCAPES) + '"'


def report(record):
    line = '{' + ','.join('"%s":%s' % (k, json_value(v)) for k, v in record.items()) + '}\n'
    data = line.encode('utf-8', 'backslashreplace')  # a lone surrogate becomes a JSON escape
    while data:
        data = data[os.write(results, data):]


class BudgetExceeded(BaseException):
    pass


def on_alarm(signum, frame):
    raise BudgetExceeded()


signal.signal(signal.SIGALRM, on_alarm)


def within_budget(fn):
    signal.setitimer(signal.ITIMER_REAL, budget)
    try:
        return fn()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def describe(e):
    text = str(e)
    return type(e).__name__ + (': ' + text if text else '')


def outcome(e):
    if isinstance(e, BudgetExceeded):
        return 'TLE', 'time limit exceeded', ''
    if isinstance(e, AssertionError):
        return 'WA', describe(e)[:2000], ''
    tb = e.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename == __file__:
        tb = tb.tb_next  # the harness's own frames say nothing about the candidate
    import traceback
    trace = ''.join(traceback.format_exception(type(e), e, tb))[-2048:]
    return ('MLE' if isinstance(e, MemoryError) else 'RE'), describe(e)[:2000], trace


def dedent(text):
    """The lines without the leading whitespace they all share (blank lines aside)."""
    lines = text.split('\n')
    margins = [l[:len(l) - len(l.lstrip())] for l in lines if l.strip()]
    prefix = margins[0] if margins else ''
    for m in margins[1:]:
        while not m.startswith(prefix):
            prefix = prefix[:-1]
    return '\n'.join(l[len(prefix):] if l.strip() else '' for l in lines)


def parse_assert(text):
    """The statement, and for 'assert L == R' the two sides and R's source."""
    source = dedent(text).strip()
    tree = ast.parse(source)
    stmt = tree.body[0] if len(tree.body) == 1 else None
    if (isinstance(stmt, ast.Assert) and isinstance(stmt.test, ast.Compare)
            and len(stmt.test.ops) == 1 and isinstance(stmt.test.ops[0], ast.Eq)):
        left, right = stmt.test.left, stmt.test.comparators[0]
        return tree, left, right, ast.get_source_segment(source, right)
    return tree, None, None, None


def evaluate(node, env):
    return eval(compile(ast.Expression(node), '<test>', 'eval'), env)


def check(tree, left, right, env):
    if left is None:
        exec(compile(tree, '<test>', 'exec'), env)
        return 'AC', ''
    actual = evaluate(left, env)
    if actual == evaluate(right, env):
        return 'AC', ''
    return 'WA', 'AssertionError: got ' + repr(actual)[:2000]


def main():
    with open(candidate_path, encoding='utf-8') as f:
        source = f.read()
    # A real module (not __main__): "if __name__ == '__main__'" blocks stay quiet, dataclasses work.
    module = types.ModuleType('solution')
    module.__file__ = candidate_path
    sys.modules['solution'] = module
    env = module.__dict__
    try:
        code = compile(source, candidate_path, 'exec')
        within_budget(lambda: exec(code, env))
    except BaseException as e:
        verdict, message, trace = outcome(e)
        if isinstance(e, SyntaxError):
            verdict = 'CE'
        report({'setup': True, 'verdict': verdict, 'message': message, 'trace': trace})
        return
    for i, text in enumerate(asserts):
        start = time.perf_counter()
        expected = None
        try:
            tree, left, right, expected = parse_assert(text)
            verdict, message = within_budget(lambda: check(tree, left, right, env))
            trace = ''
        except BaseException as e:
            verdict, message, trace = outcome(e)
        report({'index': i, 'verdict': verdict, 'message': message, 'expected': expected,
                'trace': trace, 'ms': round((time.perf_counter() - start) * 1000)})


main()
