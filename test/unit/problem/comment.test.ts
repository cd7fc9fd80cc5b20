import { strict as assert } from 'node:assert';
import { leadingStatement, parseProblem } from '../../../src/core/problem';

const CPP = `/**
 * A. Watermelon
 * time limit per test: 1 second
 * memory limit per test: 64 megabytes
 *
 * Split w kilos into two even parts.
 *
 * Examples
 * input
 * 8
 * output
 * YES
 */
#include <bits/stdc++.h>
int main() { int w; std::cin >> w; }
`;

const PY = `#!/usr/bin/env python3
# -*- coding: utf-8 -*-
"""B. Sum Up

Read n and n numbers; print their sum.

Sample Input 1
3
1 2 3

Sample Output 1
6
"""
import sys

def main():
    print(sum(map(int, sys.stdin.read().split()[1:])))
`;

describe('problem/comment: leadingStatement', () => {
  it('reads a /** */ block, strips the stars and gives its offsets', () => {
    const lead = leadingStatement(CPP, 'a.cpp')!;
    assert.ok(lead.statement.startsWith('A. Watermelon\ntime limit per test: 1 second'));
    assert.ok(lead.statement.includes('\n\nExamples\ninput\n8\noutput\nYES'));
    assert.equal(lead.start, 0);
    assert.equal(CPP.slice(lead.end - 2, lead.end), '*/');
    assert.ok(CPP.slice(lead.end).startsWith('\n#include'));
  });

  it('reads a docstring after a shebang and a coding line', () => {
    const lead = leadingStatement(PY, 'b.py')!;
    assert.ok(lead.statement.startsWith('B. Sum Up\n\nRead n'));
    assert.equal(PY.slice(lead.start, lead.start + 3), '"""');
    assert.equal(PY.slice(lead.end - 3, lead.end), '"""');
    assert.ok(lead.statement.endsWith('Sample Output 1\n6'));
  });

  it('reads runs of // and # comments, dedenting them and keeping blank comment lines', () => {
    const js = '\n\n// Title\n//\n//   indented line\n// last\nconsole.log(1);\n';
    const lead = leadingStatement(js, 'x.js')!;
    assert.equal(lead.statement, 'Title\n\n  indented line\nlast');
    assert.equal(js.slice(lead.start, lead.end), '// Title\n//\n//   indented line\n// last');
    const py = '# Title\n#\n# text\n\nimport sys\n';
    assert.equal(leadingStatement(py, 'x.py')!.statement, 'Title\n\ntext');
  });

  it('keeps the right offsets with CRLF line ends', () => {
    const src = '// one\r\n// two\r\nint x;\r\n';
    const lead = leadingStatement(src, 'x.c')!;
    assert.equal(lead.statement, 'one\ntwo');
    assert.equal(src.slice(lead.end), '\r\nint x;\r\n');
  });

  it('is undefined when the file does not start with a comment, or for the wrong comment kind', () => {
    assert.equal(leadingStatement('int main() {}\n// late comment\n', 'a.cpp'), undefined);
    assert.equal(leadingStatement('#include <cstdio>\nint main() {}\n', 'a.cpp'), undefined);
    assert.equal(leadingStatement('# not a comment in C++\n', 'a.cpp'), undefined);
    assert.equal(leadingStatement('/* never closed\n', 'a.c'), undefined);
    assert.equal(leadingStatement('x = 1\n', 'a.py'), undefined);
  });
});

describe('problem/comment: parseProblem on source files', () => {
  it('parses the statement of a C++ file recursively', () => {
    const p = parseProblem(CPP, { fileName: '/home/u/a.cpp' });
    assert.equal(p.title, 'A. Watermelon');
    assert.equal(p.timeLimitMs, 1000);
    assert.equal(p.memoryLimitMb, 64);
    assert.deepEqual(p.samples, [{ input: '8\n', outputs: ['YES\n'] }]);
    assert.ok(!p.statement.includes('#include'), 'the code is not part of the statement');
  });

  it('parses a Python file with a shebang and a docstring; its main() does not make it function-style', () => {
    const p = parseProblem(PY, { fileName: 'b.py' });
    assert.equal(p.title, 'B. Sum Up');
    assert.deepEqual(p.style, { kind: 'stdio' });
    assert.deepEqual(p.samples, [{ input: '3\n1 2 3\n', outputs: ['6\n'] }]);
  });

  it('detects a leading comment without a file name when it clearly is one', () => {
    assert.equal(parseProblem(CPP).title, 'A. Watermelon');
    const hashed = '# C. Hashes\n# Sample Input 1\n# 1\n# Sample Output 1\n# 2\nimport sys\n';
    assert.deepEqual(parseProblem(hashed).samples, [{ input: '1\n', outputs: ['2\n'] }]);
  });

  it('treats a Markdown "# Title" as a heading, not a comment', () => {
    const md = '# Echo\n\nPrint the input.\n\n```input\nhi\n```\n```output\nhi\n```\n';
    const p = parseProblem(md);
    assert.equal(p.title, 'Echo');
    assert.ok(p.statement.startsWith('# Echo\n\nPrint the input.'));
  });

  it('takes a LeetCode skeleton after the comment as the function', () => {
    const src = '/*\nExample 1:\nInput: n = 2\nOutput: 2\n*/\nclass Solution {\npublic:\n    int climbStairs(int n) {\n    }\n};\n';
    const p = parseProblem(src, { fileName: 'climb.cpp' });
    assert.deepEqual(p.style, { kind: 'function', name: 'climbStairs', signature: 'int climbStairs(int n)' });
    assert.deepEqual(p.asserts, ['assert climbStairs(n=2) == 2']);
  });

  it('keeps a source file without any comment as the statement', () => {
    const p = parseProblem('print(1)\n', { fileName: 'a.py' });
    assert.equal(p.statement, 'print(1)');
    assert.deepEqual(p.samples, []);
  });
});
