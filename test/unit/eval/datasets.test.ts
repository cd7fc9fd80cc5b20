import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatasetError, loadDataset } from '../../../src/eval/datasets';
import { argExpr, callAssert, paramCounts, pyRepr, splitArgs } from '../../../src/eval/datasets/python-values';
import { dataDir } from '../helpers/data';

describe('eval datasets', () => {
  const load = (name: string) => loadDataset(name, dataDir());

  // the whole files' counts (150, 164, 164, 397, 106) are checked by the real-ExecEval layer on the fetched data
  it('loads every benchmark format with MapCoder\'s k', () => {
    const counts = Object.fromEntries(['apps', 'humaneval', 'humaneval-et', 'mbpp', 'xcodeeval'].map((n) => [n, load(n).problems.length]));
    assert.deepEqual(counts, { apps: 5, humaneval: 8, 'humaneval-et': 2, mbpp: 8, xcodeeval: 8 });
    assert.equal(load('humaneval').defaultK, 5);
    assert.equal(load('apps').defaultK, 3);
  });

  it('gives repeated APPS ids a suffix so every item counts and ids stay unique', () => {
    const ids = load('apps').problems.map((p) => p.id);
    assert.equal(new Set(ids).size, 5);
    assert.deepEqual(ids.filter((id) => id.startsWith('2886')), ['2886', '2886#2']);
  });

  it('splits APPS into stdio problems and Python call-based ones', () => {
    const apps = load('apps').problems;
    const fn = apps.filter((p) => p.problem.style.kind === 'function');
    assert.equal(fn.length, 4);
    assert.equal(apps.length - fn.length, 1);
    const zonk = apps.find((p) => p.id === '3554')!;
    assert.deepEqual(zonk.problem.style, { kind: 'function', name: 'get_score', signature: 'def get_score(dice):' });
    assert.equal(zonk.problem.asserts[0], 'assert get_score([1, 2, 3]) == 100');
    assert.ok(zonk.hidden.kind === 'python' && zonk.hidden.snippets.includes('assert get_score([1]) == 100'));
    assert.deepEqual(zonk.langs, ['python3']);
    const stdio = apps.find((p) => p.problem.style.kind === 'stdio' && p.problem.samples.length)!;
    assert.equal(stdio.hidden.kind, 'stdio');
    assert.equal(stdio.langs, undefined);
    assert.equal(stdio.problem.asserts.length, 0);
  });

  it('turns flattened call inputs into arguments', () => {
    assert.deepEqual(splitArgs('0\n1\n0', paramCounts('def elevator(left, right, call):')), ['0', '1', '0']);
    assert.deepEqual(splitArgs('a b\nc', paramCounts('def f(s):')), ['a b\nc']);
    // a first argument with line breaks of its own takes the surplus lines
    assert.deepEqual(splitArgs("x # y\nz\n['#']", paramCounts('def solution(string,markers):')), ['x # y\nz', "['#']"]);
    assert.deepEqual(paramCounts('def converter(n, decimals=0, base=pi):'), { all: 3, required: 1 });
    assert.deepEqual(['[1, [2]]', '-4', '4.2', 'True', "'q'", 'Apple Banana', '{abc', ' '].map(argExpr), ['[1, [2]]', '-4', '4.2', 'True', "'q'", '"Apple Banana"', '"{abc"', '" "']);
    assert.equal(pyRepr({ a: [true, null, 1.5, 'x\n'] }), '{"a": [True, None, 1.5, "x\\n"]}');
    assert.equal(callAssert('f', ['1'], ['a', 'b']), 'assert f(1) in ("a", "b",)');
  });

  it('HumanEval: prompt as statement, docstring asserts as samples, check(entry_point) hidden', () => {
    const he = load('humaneval').problems[0];
    assert.equal(he.id, 'HumanEval/0');
    assert.equal(he.problem.style.kind, 'function');
    assert.match(he.problem.statement, /def has_close_elements/);
    assert.equal(he.problem.asserts.length, 2);
    assert.ok(he.hidden.kind === 'python' && he.hidden.snippets.length === 1 && he.hidden.snippets[0].trimEnd().endsWith('check(has_close_elements)'));
    const et = load('humaneval-et').problems[0];
    assert.ok(et.hidden.kind === 'python' && et.hidden.snippets.length > 50 && et.hidden.snippets.every((s) => s.startsWith('assert')));
  });

  it('MBPP: the test block is one hidden snippet; xCodeEval: hidden unit tests where the data has them, else samples; limits, statement', () => {
    const mb = load('mbpp').problems[0];
    assert.equal(mb.id, 'mbpp_234_volume_cube');
    assert.deepEqual(mb.problem.asserts, ['assert volume_cube(3) == 27']);
    assert.ok(mb.hidden.kind === 'python' && /test_check\(\)/.test(mb.hidden.snippets[0]));
    const xs = load('xcodeeval').problems;
    // the fixture's extract of unittest_db holds two of the eight problems
    assert.deepEqual(xs.filter((x) => x.hiddenAvailable).map((x) => x.id), ['5e74750f44142624e6da41d4b35beb9a', '3dc56bc08606a39dd9ca40a43c452f09']);
    const even = xs.find((x) => x.id === '5e74750f44142624e6da41d4b35beb9a')!;
    assert.deepEqual(even.hidden.kind === 'stdio' && even.hidden.tests[3], { input: '1000000000', outputs: ['Mahmoud'] });
    const x = xs[0];
    assert.ok(!x.hiddenAvailable && x.hidden.kind === 'stdio');
    assert.deepEqual(x.hidden.kind === 'stdio' && x.hidden.tests, x.problem.samples);
    assert.equal(x.problem.samples[0].input, '8\nbacabcab');
    assert.equal(x.problem.timeLimitMs, 2000);
    assert.equal(x.problem.memoryLimitMb, 256);
    assert.match(x.problem.statement, /\n\nInput\nThe only line[\s\S]*\n\nOutput\nPrint one integer[\s\S]*\n\nNote\nThe first example/);
  });

  describe('own JSONL files', () => {
    let dir: string;
    before(() => (dir = mkdtempSync(join(tmpdir(), 'eval-ds-'))));
    after(() => rmSync(dir, { recursive: true, force: true }));
    const file = (name: string, lines: unknown[]) => {
      const f = join(dir, name);
      writeFileSync(f, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
      return f;
    };

    it('reads stdio and function problems, with and without hidden tests', () => {
      const ds = loadDataset(file('mine.jsonl', [
        { id: 'sum', statement: 'add', samples: [{ input: '1 2\n', outputs: ['3\n'] }], hidden_tests: [{ input: '5 7\n', outputs: ['12\n'] }], time_limit_ms: 1000 },
        { id: 'dbl', statement: 'def double(x):', entry_point: 'double', asserts: ['assert double(2) == 4'], hidden_asserts: ['assert double(0) == 0'] },
        { id: 'bare', statement: 'echo', samples: [{ input: 'x\n', outputs: ['x\n'] }] },
      ]));
      assert.equal(ds.name, 'mine');
      const [sum, dbl, bare] = ds.problems;
      assert.deepEqual(sum.hidden, { kind: 'stdio', tests: [{ input: '5 7\n', outputs: ['12\n'] }] });
      assert.equal(sum.problem.timeLimitMs, 1000);
      assert.deepEqual(dbl.problem.style, { kind: 'function', name: 'double' });
      assert.deepEqual(dbl.hidden, { kind: 'python', snippets: ['assert double(0) == 0'] });
      assert.equal(bare.hiddenAvailable, false);
      assert.deepEqual(bare.hidden, { kind: 'stdio', tests: bare.problem.samples });
    });

    it('reports malformed items, duplicate ids and unknown names', () => {
      assert.throws(() => loadDataset(file('a.jsonl', [{ id: 'x' }])), /statement/);
      assert.throws(() => loadDataset(file('b.jsonl', [{ id: 'x', statement: 's', samples: [{ input: 1 }] }])), DatasetError);
      assert.throws(() => loadDataset(file('c.jsonl', [{ id: 'x', statement: 's' }, { id: 'x', statement: 't' }])), /appears twice/);
      assert.throws(() => loadDataset(join(dir, 'nope.jsonl')), /neither a dataset/);
      writeFileSync(join(dir, 'd.jsonl'), '{"id": "x", "statement": "s"}\n{broken\n');
      assert.throws(() => loadDataset(join(dir, 'd.jsonl')), /d\.jsonl:2: not valid JSON/);
    });
  });
});
