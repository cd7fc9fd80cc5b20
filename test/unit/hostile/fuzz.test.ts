import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { javaMainClass } from '../../../src/core/judge/compile';
import { outputsMatch } from '../../../src/core/judge/compare';
import { assertResults } from '../../../src/core/judge/function-harness';
import type { RunResult } from '../../../src/core/judge/run';
import { normalizeErrorBody } from '../../../src/core/llm/errors';
import { parseRetryAfter } from '../../../src/core/llm/retry';
import { ProblemError, parseProblem } from '../../../src/core/problem';
import { savedText } from '../../../src/core/problem/saved';

// Parsers the parse/ and problem/ property tests do not reach: Competitive Companion JSON of every shape,
// the judge's output comparison and assert-result reading, and the endpoint's error bodies and headers.
// Generated cases per property: 2,800 in all.
const RUNS = { companionAny: 400, companionValid: 300, compare: 500, compareSelf: 300, asserts: 300, errorBody: 400, retryAfter: 300, javaClass: 300 };

const line = fc.string({ maxLength: 20 }).map((s) => s.replace(/[\r\n]/g, ' '));
const sampleText = fc.array(line, { minLength: 1, maxLength: 4 }).map((ls) => `${ls.join('\n')}\n`);

/** Competitive Companion-ish values: the right keys, any JSON in them. */
const companionish = fc.record(
  {
    name: fc.oneof(fc.string(), fc.anything()),
    group: fc.oneof(fc.string(), fc.anything()),
    url: fc.oneof(fc.webUrl(), fc.anything()),
    timeLimit: fc.oneof(fc.integer({ min: -5, max: 10_000 }), fc.double(), fc.anything()),
    memoryLimit: fc.oneof(fc.integer({ min: -5, max: 4096 }), fc.anything()),
    interactive: fc.oneof(fc.boolean(), fc.anything()),
    tests: fc.oneof(fc.array(fc.record({ input: fc.oneof(fc.string(), fc.anything()), output: fc.oneof(fc.string(), fc.anything()) })), fc.anything()),
    input: fc.oneof(fc.record({ type: fc.constantFrom('stdin', 'file'), fileName: fc.string() }), fc.anything()),
  },
  { requiredKeys: [] },
);

describe('hostile input: parsers never throw on arbitrary input (property)', () => {
  it('parseProblem on any Competitive Companion-ish JSON: a well-formed Problem or a ProblemError, nothing else', () => {
    fc.assert(fc.property(companionish, fc.boolean(), (obj, pretty) => {
      const text = JSON.stringify(obj, null, pretty ? 2 : undefined) ?? '{}';
      try {
        const p = parseProblem(text);
        assert.ok(p.title.length > 0);
        assert.ok(Array.isArray(p.samples));
      } catch (e) {
        if (!(e instanceof ProblemError)) throw e;
        assert.match(e.message, /Competitive Companion/);
      }
    }), { numRuns: RUNS.companionAny });
  });

  it('valid Competitive Companion JSON, surrounded by blank noise: every test byte for byte and every limit recovered, also from the file it is saved as', () => {
    const valid = fc.record({
      name: fc.string({ minLength: 1, maxLength: 30 }).filter((s) => s.trim() !== ''),
      group: fc.string({ maxLength: 20 }),
      timeLimit: fc.integer({ min: 1, max: 20_000 }),
      memoryLimit: fc.integer({ min: 1, max: 4096 }),
      tests: fc.array(fc.record({ input: sampleText, output: sampleText }), { minLength: 1, maxLength: 5 }),
    });
    fc.assert(fc.property(valid, fc.constantFrom('', '\n', '  \n\t'), (cc, pad) => {
      const p = parseProblem(`${pad}${JSON.stringify({ ...cc, url: 'https://codeforces.com/x' })}${pad}`);
      assert.equal(p.samples.length, cc.tests.length);
      assert.equal(p.timeLimitMs, cc.timeLimit);
      assert.equal(p.memoryLimitMb, cc.memoryLimit);
      assert.deepEqual(p.samples, cc.tests.map((t) => ({ input: t.input, outputs: [t.output] })));
      const meta = { name: cc.name, contest: cc.group, timeLimitMs: cc.timeLimit, memoryLimitMb: cc.memoryLimit };
      const saved = parseProblem(savedText(meta, p.samples, 'statement'));
      assert.deepEqual([saved.samples, saved.title, saved.timeLimitMs, saved.memoryLimitMb], [p.samples, p.title, cc.timeLimit, cc.memoryLimit]);
    }), { numRuns: RUNS.companionValid });
  });

  it('outputsMatch on arbitrary strings never throws', () => {
    const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.array(fc.constantFrom('1', '-0.5', '1e308', 'NaN', 'inf', ' ', '\n', '\r\n', 'yes', '1e-7'), { maxLength: 20 }).map((a) => a.join('')));
    fc.assert(fc.property(text, fc.array(text, { maxLength: 3 }), fc.double({ min: 0, max: 1, noNaN: true }), (actual, expected, tol) => {
      assert.equal(typeof outputsMatch(actual, expected, { absTol: tol, relTol: tol }), 'boolean');
    }), { numRuns: RUNS.compare });
  });

  it('outputsMatch: any output matches itself, with trailing spaces and blank lines added', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
      assert.ok(outputsMatch(s, [s]));
      assert.ok(outputsMatch(`${s.split('\n').map((l) => `${l}  `).join('\n')}\n\n`, [s]));
    }), { numRuns: RUNS.compareSelf });
  });

  it('assert results of any text (a program can write anything to its results file): one verdict per assert', () => {
    const run: RunResult = { exitCode: 0, signal: null, stdout: '', stderr: '', timeMs: 1, timedOut: false, memoryExceeded: false, truncated: false, outputLimitExceeded: false };
    const jsonish = fc.array(fc.oneof(fc.json(), fc.string(), fc.constant('{"index": 0, "ok": true}'), fc.constant('{"setup": "error"}')), { maxLength: 6 }).map((ls) => ls.join('\n'));
    fc.assert(fc.property(fc.array(fc.string({ maxLength: 20 }), { maxLength: 4 }), jsonish, (asserts, results) => {
      const tests = assertResults(asserts, results, run, (s) => s);
      assert.equal(tests.length, asserts.length);
      for (const t of tests) assert.ok(['AC', 'WA', 'TLE', 'MLE', 'RE', 'CE'].includes(t.verdict));
    }), { numRuns: RUNS.asserts });
  });

  it('error bodies of any text: an object or undefined, never a throw', () => {
    fc.assert(fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.json(), fc.anything().map((v) => JSON.stringify(v) ?? '')), (body) => {
      const b = normalizeErrorBody(body);
      assert.ok(b === undefined || typeof b === 'object');
    }), { numRuns: RUNS.errorBody });
  });

  it('Retry-After of any text: undefined or a non-negative number of ms', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.nat().map(String), fc.date({ noInvalidDate: true }).map((d) => d.toUTCString())), (v) => {
      const ms = parseRetryAfter(v);
      assert.ok(ms === undefined || (Number.isFinite(ms) && ms >= 0), String(ms));
    }), { numRuns: RUNS.retryAfter });
  });

  it('the Java main class of any text is a Java identifier', () => {
    const javaish = fc.array(fc.oneof(fc.constantFrom('public ', 'class ', 'final ', 'static void main(', '/*', '*/', '//', '\n', '{', '}', 'Main', 'A1', '$x'), fc.string({ maxLength: 5 })), { maxLength: 30 }).map((a) => a.join(''));
    fc.assert(fc.property(javaish, (code) => {
      assert.match(javaMainClass(code), /^[A-Za-z_$][\w$]*$/);
    }), { numRuns: RUNS.javaClass });
  });
});
