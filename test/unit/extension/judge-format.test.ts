import { strict as assert } from 'node:assert';
import type { TestResult } from '../../../src/core/types';
import { clipLines, compileCommandLine, compileLines, summaryLines, testLines } from '../../../src/extension/judge-format';

const GREEN = '\x1b[32m';
const RED = '\x1b[31m';
const YELLOW = '\x1b[33m';
const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');
const test = (over: Partial<TestResult>): TestResult => ({ index: 0, verdict: 'AC', input: '1 2\n', expected: ['3\n'], actual: '3\n', stderr: '', timeMs: 12, ...over });

describe('judge terminal lines', () => {
  it('colours verdicts: green AC, red WA/RE/CE, yellow TLE/MLE', () => {
    assert.ok(testLines(test({}))[0].includes(`${GREEN}`));
    for (const v of ['WA', 'RE'] as const) assert.ok(testLines(test({ verdict: v }))[0].includes(RED), v);
    for (const v of ['TLE', 'MLE'] as const) assert.ok(testLines(test({ verdict: v }))[0].includes(YELLOW), v);
    assert.ok(summaryLines({ verdict: 'CE', passed: 0, total: 2, tests: [] })[0].includes(RED));
  });

  it('shows an accepted sample on one line with its time', () => {
    assert.deepEqual(testLines(test({ index: 2 })).map(plain), ['  sample  3  AC   12 ms']);
    assert.deepEqual(testLines(test({ cpuMs: 9, memoryKb: 3174 })).map(plain), ['  sample  1  AC   12 ms (cpu 9 ms, 3.1 MB)'], 'with what the judge measured');
  });

  it('shows input, expected and actual for a wrong answer, and stderr for a runtime error', () => {
    assert.deepEqual(testLines(test({ verdict: 'WA', actual: '4\n' })).map(plain), [
      '  sample  1  WA   12 ms', '    input:', '      1 2', '    expected:', '      3', '    actual:', '      4',
      '    first difference: line 1, column 1: got "4", expected "3"',
    ]);
    const re = testLines(test({ verdict: 'RE', actual: '', stderr: 'Traceback\nZeroDivisionError\n' })).map(plain);
    assert.deepEqual(re.slice(-5), ['    actual:', '      (nothing)', '    stderr:', '      Traceback', '      ZeroDivisionError']);
    assert.ok(!testLines(test({ verdict: 'TLE' })).map(plain).includes('    actual:'));
  });

  it('shows the compile command with the judge\'s file names, and user overrides', () => {
    assert.equal(compileCommandLine('cpp'), 'g++ -O2 -std=c++17 -pipe -o main main.cpp');
    assert.equal(compileCommandLine('java'), 'javac -J-Xmx768m -J-XX:-UsePerfData -encoding UTF-8 -d . Main.java');
    assert.equal(compileCommandLine('python3'), undefined);
    assert.equal(compileCommandLine('cpp', { compile: ['clang++', '-D X=1', '{src}'] }), "clang++ '-D X=1' main.cpp");
    assert.deepEqual(compileLines({ ok: true, message: '', cached: true, timeMs: 0 }, 'g++ x').map(plain), ['$ g++ x', 'compiled (cached)']);
    const ce = compileLines({ ok: false, message: 'main.cpp:1: error: x', cached: false, timeMs: 5 }, undefined).map(plain);
    assert.deepEqual(ce, ['CE compilation failed', '  main.cpp:1: error: x']);
  });

  it('sums up a report', () => {
    assert.equal(plain(summaryLines({ verdict: 'WA', passed: 1, total: 3, tests: [] })[0]), 'WA 1/3 samples passed');
    assert.equal(plain(summaryLines({ verdict: 'CE', passed: 0, total: 3, tests: [] })[0]), 'CE did not compile');
  });

  it('clips long output and neutralises control characters from programs', () => {
    assert.deepEqual(clipLines('a\nb\nc\nd', 2, 100).map(plain), ['a', 'b', '…']);
    assert.deepEqual(clipLines('a\nb\nc\nd', 2, 100, true).map(plain), ['…', 'c', 'd']);
    assert.deepEqual(clipLines('x'.repeat(10), 5, 4), ['xxxx', '\x1b[2m…\x1b[0m']);
    assert.deepEqual(clipLines('\x1b[2Jboom\tok\x1b]0;pwned\x07 \u202eevil\x9b', 5, 100), ['\\x1b[2Jboom\tok\\x1b]0;pwned\\x07 \\u202eevil\\x9b']);
  });
});
