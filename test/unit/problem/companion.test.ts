import { strict as assert } from 'node:assert';
import { ProblemError, parseProblem } from '../../../src/core/problem';
import { SAMPLES_MARK, savedText } from '../../../src/core/problem/saved';

const COMPANION = {
  name: 'A. Theatre Square',
  group: 'Codeforces - Codeforces Beta Round #1',
  url: 'https://codeforces.com/problemset/problem/1/A',
  interactive: false,
  memoryLimit: 256,
  timeLimit: 1000,
  tests: [
    { input: '6 6 4\r\n', output: '4  \n' },
    { input: '1 1 1', output: '1' },
  ],
  testType: 'single',
  input: { type: 'stdin' },
  output: { type: 'stdout' },
  languages: { java: { mainClass: 'Main', taskClass: 'ATheatreSquare' } },
};

describe('problem/companion: Competitive Companion JSON', () => {
  it('reads name, url, limits and tests, the tests byte for byte (CRLF made LF, a missing final newline added)', () => {
    const p = parseProblem(JSON.stringify(COMPANION, null, 2));
    assert.equal(p.title, 'A. Theatre Square');
    assert.equal(p.url, 'https://codeforces.com/problemset/problem/1/A');
    assert.equal(p.timeLimitMs, 1000);
    assert.equal(p.memoryLimitMb, 256);
    assert.deepEqual(p.samples, [
      { input: '6 6 4\n', outputs: ['4  \n'] },
      { input: '1 1 1\n', outputs: ['1\n'] },
    ]);
    assert.deepEqual(p.style, { kind: 'stdio' });
    assert.deepEqual([p.interactive, p.io, p.javaClass], [undefined, undefined, 'ATheatreSquare']);
  });

  it('carries the interactive flag, input/output file names and the Java class; a taskClass that is no identifier is dropped', () => {
    const p = parseProblem(JSON.stringify({ ...COMPANION, interactive: true, input: { type: 'file', fileName: 'a.in' }, output: { type: 'file', fileName: 'a.out' } }));
    assert.deepEqual([p.interactive, p.io], [true, { input: 'a.in', output: 'a.out' }]);
    assert.match(p.statement, /Interactive problem\.\nReads its input from the file a\.in\.\nWrites its output to the file a\.out\./);
    const q = parseProblem(JSON.stringify({ ...COMPANION, input: { type: 'regex', pattern: 'x.*' }, languages: { java: { mainClass: 'Main', taskClass: 'not a class' } } }));
    assert.deepEqual([q.io, q.javaClass], [undefined, undefined]);
  });

  it('renders a statement that names the problem and parses back to the same samples and limits', () => {
    const p = parseProblem(JSON.stringify(COMPANION));
    assert.ok(p.statement.startsWith('A. Theatre Square\n\nURL: https://codeforces.com/problemset/problem/1/A\n'), p.statement);
    const again = parseProblem(p.statement);
    assert.deepEqual(again.samples, p.samples.map((s) => ({ input: s.input, outputs: s.outputs.map((o) => o.replace(/ +\n/g, '\n')) })));
    assert.equal(again.timeLimitMs, 1000);
    assert.equal(again.memoryLimitMb, 256);
  });

  it('throws ProblemError for malformed companion data', () => {
    const bad = [
      JSON.stringify({ ...COMPANION, tests: 'none' }),
      JSON.stringify({ ...COMPANION, tests: [{ input: 1, output: '2' }] }),
      JSON.stringify({ ...COMPANION, timeLimit: -5 }),
      '{"name": "A", "tests": [ {"input": "1"',
    ];
    for (const text of bad) {
      assert.throws(() => parseProblem(text), (e: unknown) => e instanceof ProblemError && /Competitive Companion/.test((e as Error).message));
    }
  });

  it('treats other text starting with "{" as a statement', () => {
    assert.equal(parseProblem('{ a brace-led statement }').statement, '{ a brace-led statement }');
    assert.equal(parseProblem('{"answer": 42}').statement, '{"answer": 42}');
  });
});

describe('problem: empty input', () => {
  it('throws ProblemError for empty or whitespace-only text', () => {
    for (const text of ['', '   ', '\n\r\n\t']) assert.throws(() => parseProblem(text), ProblemError);
  });
});

describe('problem/saved: a problem saved from Competitive Companion', () => {
  const meta = { name: 'A. Theatre Square', contest: 'Codeforces', url: 'https://codeforces.com/problemset/problem/1/A', timeLimitMs: 1000, memoryLimitMb: 256, interactive: true, input: 'in.txt', output: 'out.txt', javaClass: 'ATheatreSquare' };
  const samples = [{ input: '6 6 4\n', outputs: ['1  \n\n'] }, { input: '\n\n1\n', outputs: ['\n'] }, { input: '2\n', outputs: [''] }];

  it('reads back every fact of the front matter and every byte of the samples; the pasted statement is the agents\' text', () => {
    const text = savedText(meta, samples, '# My copy\n\nTime limit per test: 9 seconds\n\nExamples\ninput\n5\noutput\n6\n');
    const p = parseProblem(text);
    assert.deepEqual(
      [p.title, p.url, p.timeLimitMs, p.memoryLimitMb, p.interactive, p.io, p.javaClass, p.samples],
      [meta.name, meta.url, 1000, 256, true, { input: 'in.txt', output: 'out.txt' }, 'ATheatreSquare', samples],
    );
    assert.match(p.statement, /^A\. Theatre Square\n\nURL: https:\/\/codeforces\.com\/problemset\/problem\/1\/A\n/);
    assert.match(p.statement, /Reads its input from the file in\.txt\.\nWrites its output to the file out\.txt\.\n\n# My copy/);
    assert.ok(!p.statement.includes('---'), 'the front matter is not the agents\' text');
  });

  it('without its samples section, the pasted statement\'s samples and limits count', () => {
    const text = savedText({ name: 'X' }, samples, 'Time limit per test: 3 seconds\n\nExamples\ninput\n5\noutput\n6\n');
    const p = parseProblem(text.slice(0, text.indexOf(SAMPLES_MARK)));
    assert.deepEqual([p.samples, p.timeLimitMs], [[{ input: '5\n', outputs: ['6\n'] }], 3000]);
  });

  it('a front matter line it cannot read is one clear error; keys of others are left alone', () => {
    const text = savedText(meta, samples, 'S');
    assert.throws(() => parseProblem(text.replace('time-limit-ms: 1000', 'time-limit-ms: soon')), { name: 'ProblemError', message: 'The saved problem\'s "time-limit-ms" must be a positive number: time-limit-ms: soon' });
    assert.throws(() => parseProblem(text.replace('time-limit-ms: 1000', 'time-limit-ms: -1')), ProblemError);
    assert.throws(() => parseProblem(text.replace('name: "A. Theatre Square"', 'name: A. Theatre Square')), /"name" must be a JSON string/);
    assert.equal(parseProblem(text.replace('---\nsource: competitive-companion\n', '---\nsource: competitive-companion\ntags: [dp]\n')).title, 'A. Theatre Square');
  });
});
