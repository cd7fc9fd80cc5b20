import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { answerText, chooseLang, planTarget, siblingSource, siblingSources, siblingStatements, sourceLang, TargetError } from '../../../src/extension/target-logic';

const dir = join('/ws', 'probs');
const apply = (text: string, r: { start: number; end: number }, ins: string) => text.slice(0, r.start) + ins + text.slice(r.end);

describe('target logic', () => {
  describe('statement files', () => {
    it('puts the answer in a sibling source file named after the statement, per language', () => {
      const file = join(dir, 'A.md');
      const expected = { python3: 'A.py', cpp: 'A.cpp', c: 'A.c', java: 'A.java', javascript: 'A.js', rust: 'A.rs' } as const;
      for (const [lang, name] of Object.entries(expected)) {
        const plan = planTarget({ fileName: file, languageId: 'markdown', text: '# A\nstatement' }, lang as keyof typeof expected);
        assert.deepEqual(plan.answer, { kind: 'file', path: join(dir, name) });
        assert.equal(plan.problemText, '# A\nstatement');
        assert.equal(plan.problemFileName, file);
      }
      assert.equal(siblingSource(join(dir, 'B.txt'), 'cpp'), join(dir, 'B.cpp'));
      assert.equal(siblingSources(join(dir, 'B.json')).length, 6);
    });

    it('answers an untitled statement in an untitled document', () => {
      assert.deepEqual(planTarget({ languageId: 'plaintext', text: 'Sum two numbers' }, 'python3').answer, { kind: 'untitled' });
    });

    it('refuses an empty editor', () => {
      assert.throws(() => planTarget({ languageId: 'plaintext', text: '  \n' }, 'python3'), TargetError);
    });
  });

  describe('source files with a leading statement comment', () => {
    it('replaces the code below the comment and keeps the blank line after it', () => {
      const text = '# Read two ints and print their sum.\n\nprint(0)\n';
      const plan = planTarget({ fileName: join(dir, 'a.py'), languageId: 'python', text }, 'python3');
      assert.equal(plan.problemText, text);
      assert.equal(plan.answer.kind, 'in-file');
      if (plan.answer.kind !== 'in-file') return;
      assert.deepEqual(plan.answer.range, { start: text.indexOf('print(0)'), end: text.length });
      const code = 'a, b = map(int, input().split())\nprint(a + b)';
      assert.equal(apply(text, plan.answer.range, answerText(code, plan.answer.prefix, '\n')), `# Read two ints and print their sum.\n\n${code}\n`);
    });

    it('adds a blank line when nothing follows the comment', () => {
      const text = '/* Print 42. */\n';
      const plan = planTarget({ fileName: join(dir, 'a.cpp'), languageId: 'cpp', text }, 'cpp');
      if (plan.answer.kind !== 'in-file') return assert.fail('in-file expected');
      assert.deepEqual(plan.answer.range, { start: text.length, end: text.length });
      assert.equal(apply(text, plan.answer.range, answerText('int main(){}', plan.answer.prefix, '\n')), '/* Print 42. */\n\nint main(){}\n');
    });

    it('starts a new line when the comment ends the file without a line break, with CRLF kept', () => {
      const text = '// Print 42.\r\n// Nothing else.';
      const plan = planTarget({ fileName: join(dir, 'a.js'), languageId: 'javascript', text }, 'javascript');
      if (plan.answer.kind !== 'in-file') return assert.fail('in-file expected');
      const out = apply(text, plan.answer.range, answerText('console.log(42)\n', plan.answer.prefix, '\r\n'));
      assert.equal(out, '// Print 42.\r\n// Nothing else.\r\n\r\nconsole.log(42)\r\n');
    });

    it('uses a sibling statement file when the source file has no leading comment, replacing the whole file', () => {
      const text = 'print(1)\n';
      const stmt = { path: join(dir, 'a.md'), text: '# A\n' };
      const plan = planTarget({ fileName: join(dir, 'a.py'), languageId: 'python', text }, 'python3', stmt);
      assert.deepEqual(plan, { problemText: '# A\n', problemFileName: stmt.path, answer: { kind: 'in-file', range: { start: 0, end: text.length }, prefix: '' } });
      assert.deepEqual(siblingStatements(join(dir, 'a.py')), ['a.md', 'a.txt', 'a.json'].map((n) => join(dir, n)));
    });

    it('an accepted answer that starts with a comment without samples: the sibling statement is the problem (Run Sample Tests after Accept)', () => {
      const stmt = { path: join(dir, 'stair-tolls.md'), text: '# Stair tolls\n\n## Input\n\n```input\n3\n```\n\n## Output\n\n```output\n6\n```\n' };
      const answer = '# Read n and print the sum of 1..n.\nn = int(input())\nprint(n * (n + 1) // 2)\n';
      const plan = planTarget({ fileName: join(dir, 'stair-tolls.py'), languageId: 'python', text: answer }, 'python3', stmt);
      assert.equal(plan.problemFileName, stmt.path);
      // A leading comment that does hold samples is still the statement, sibling or not.
      const own = '"""\nPrint n.\n\nInput\n3\nOutput\n3\n"""\nprint(input())\n';
      assert.equal(planTarget({ fileName: join(dir, 'stair-tolls.py'), languageId: 'python', text: own }, 'python3', stmt).problemFileName, join(dir, 'stair-tolls.py'));
    });

    it('explains what to do when a source file has no statement at all', () => {
      assert.throws(() => planTarget({ fileName: join(dir, 'a.py'), languageId: 'python', text: 'print(1)\n' }, 'python3'), /Solve Selection/);
    });
  });

  describe('selections', () => {
    it('inserts below the selection in a source file, replacing nothing', () => {
      const text = 'x = 1\n# Print 7.\ny = 2\n';
      const selection = { start: text.indexOf('#'), end: text.indexOf('7.') + 2 };
      const plan = planTarget({ fileName: join(dir, 'a.py'), languageId: 'python', text, selection }, 'python3');
      assert.equal(plan.problemText, '# Print 7.');
      if (plan.answer.kind !== 'in-file') return assert.fail('in-file expected');
      assert.equal(apply(text, plan.answer.range, answerText('print(7)', plan.answer.prefix, '\n')), 'x = 1\n# Print 7.\n\nprint(7)\ny = 2\n');
    });

    it('handles a selection of whole lines and one at the end of a file without a final line break', () => {
      const text = 'stmt\nrest\n';
      const whole = planTarget({ fileName: join(dir, 'a.py'), languageId: 'python', text, selection: { start: 0, end: 5 } }, 'python3');
      if (whole.answer.kind !== 'in-file') return assert.fail('in-file expected');
      assert.equal(apply(text, whole.answer.range, answerText('code', whole.answer.prefix, '\n')), 'stmt\n\ncode\nrest\n');
      const end = planTarget({ fileName: join(dir, 'a.py'), languageId: 'python', text: 'stmt', selection: { start: 0, end: 4 } }, 'python3');
      if (end.answer.kind !== 'in-file') return assert.fail('in-file expected');
      assert.equal(apply('stmt', end.answer.range, answerText('code', end.answer.prefix, '\n')), 'stmt\n\ncode\n');
    });

    it('puts the answer of a selection in a statement file in the sibling source, or an untitled document', () => {
      const text = 'intro\nThe problem.\n';
      const selection = { start: 6, end: 18 };
      assert.deepEqual(planTarget({ fileName: join(dir, 'p.md'), languageId: 'markdown', text, selection }, 'rust').answer, { kind: 'file', path: join(dir, 'p.rs') });
      assert.deepEqual(planTarget({ languageId: 'markdown', text, selection }, 'rust').answer, { kind: 'untitled' });
      assert.throws(() => planTarget({ languageId: 'markdown', text, selection: { start: 0, end: 0 } }, 'rust'), TargetError);
    });
  });

  describe('language resolution', () => {
    it('reads the language of a source file from its language id, then its extension', () => {
      assert.equal(sourceLang({ languageId: 'python' }), 'python3');
      assert.equal(sourceLang({ languageId: 'cpp', fileName: 'x.txt' }), 'cpp');
      assert.equal(sourceLang({ languageId: 'plaintext', fileName: 'x.rs' }), 'rust');
      assert.equal(sourceLang({ languageId: 'markdown', fileName: 'x.md' }), undefined);
    });

    it('prefers the source file, then the one existing sibling, then the setting, else asks', () => {
      assert.equal(chooseLang('java', ['cpp'], 'python3'), 'java');
      assert.equal(chooseLang(undefined, ['cpp'], 'python3'), 'cpp');
      assert.equal(chooseLang(undefined, ['cpp', 'rust'], 'python3'), 'python3');
      assert.equal(chooseLang(undefined, [], 'c++'), 'cpp');
      assert.equal(chooseLang(undefined, [], ''), undefined);
      assert.equal(chooseLang(undefined, [], undefined), undefined);
    });
  });

  it('normalises the program\'s line breaks and trailing space', () => {
    assert.equal(answerText('a\nb\n\n  ', '', '\r\n'), 'a\r\nb\r\n');
    assert.equal(answerText('', '\n', '\n'), '\n');
  });
});
