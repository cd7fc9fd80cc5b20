import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addUserTest, parseUserTests, readUserTests, userTestsPath, userTestsText, withUserTests, writeUserTests } from '../../../src/core/problem/user-tests';
import type { Problem } from '../../../src/core/types';

describe('problem: the user\'s own tests file', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'mcl-user-tests-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('sits beside the problem: one file for the statement and the program', () => {
    assert.deepEqual([userTestsPath('/p/a.md'), userTestsPath('/p/a.py'), userTestsPath('/p/a.tests.md'), userTestsPath('/p/A. Sum.cpp')],
      ['/p/a.tests.md', '/p/a.tests.md', '/p/a.tests.md', '/p/A. Sum.tests.md']);
  });

  it('writes what it reads back, outputs with fences in them, empty outputs and CRLF included', async () => {
    const tests = [{ input: '1 2\n', outputs: ['3\n'] }, { input: 'x\n', outputs: ['```\n'] }, { input: '0\n', outputs: [''] }];
    const path = join(dir, 'p.tests.md');
    await writeUserTests(path, tests);
    assert.deepEqual(await readUserTests(path), tests);
    assert.deepEqual(parseUserTests(userTestsText(tests).replace(/\n/g, '\r\n')), tests);
    assert.deepEqual(await readUserTests(join(dir, 'none.tests.md')), []);
  });

  it('a file the user edited by hand reads as they wrote it', () => {
    const text = '# Tests\n\n## big one\n\n```input\n5\n1 2 3 4 5\n```\n\n```output\n15\n```\n\n## Test 2\n```input\n1\n7\n```\n```output\n7\n```\n';
    assert.deepEqual(parseUserTests(text), [{ input: '5\n1 2 3 4 5\n', outputs: ['15\n'] }, { input: '1\n7\n', outputs: ['7\n'] }]);
  });

  it('adds a test once (a counterexample kept twice is one test), and the problem gets them after its samples', async () => {
    const path = join(dir, 'p.tests.md');
    assert.equal(await addUserTest(path, { input: '3\n1 2 9\n', outputs: ['9\n'] }), true);
    assert.equal(await addUserTest(path, { input: '3\n1 2 9\n', outputs: ['9\n'] }), false);
    writeFileSync(path, readFileSync(path, 'utf8') + '\n## Test 2\n\n```input\n1 2\n```\n\n```output\n3\n```\n');
    const problem: Problem = { title: 't', statement: '', samples: [{ input: '1 2\n', outputs: ['3\n'] }], asserts: [], style: { kind: 'stdio' } };
    const merged = withUserTests(problem, await readUserTests(path));
    assert.deepEqual(merged.samples.map((s) => s.input), ['1 2\n', '3\n1 2 9\n']);
  });
});
