import { strict as assert } from 'node:assert';
import { extractCode } from '../../../src/core/parse';

const kinds = (r: { issues: { kind: string }[] }) => r.issues.map((i) => i.kind);

describe('parse/code', () => {
  it('takes the block whose tag names the target language', () => {
    const r = extractCode('Plan done.\n```cpp\nint main() { return 0; }\n```\nThis runs in O(n).', 'cpp');
    assert.deepEqual(r, { value: 'int main() { return 0; }', ok: true, issues: [] });
  });

  it('matches tags exactly: `c` never matches C++, `cpp` never matches C', () => {
    const reply = '```cpp\nint main() { std::cout << 1; }\n```\n\n```c\nint main(void) { puts("1"); }\n```\n';
    assert.equal(extractCode(reply, 'cpp').value, 'int main() { std::cout << 1; }');
    assert.equal(extractCode(reply, 'c').value, 'int main(void) { puts("1"); }');
    assert.deepEqual(kinds(extractCode(reply, 'cpp')), []);
  });

  it('accepts every alias and an info string with attributes', () => {
    for (const tag of ['cpp', 'C++', 'cc', 'cxx', 'cpp title="main.cpp"', 'c++17']) {
      assert.equal(extractCode('```' + tag + '\nx;\n```', 'cpp').value, 'x;', tag);
    }
    for (const tag of ['python', 'py', 'python3', 'Python']) assert.equal(extractCode('```' + tag + '\nx = 1\n```', 'python3').value, 'x = 1', tag);
  });

  it('takes the last complete matching block', () => {
    const r = extractCode('```python\nprint(1)\n```\nBetter:\n```python\nprint(2)\n```\nAnd a fragment:\n```python\nprint(', 'python3');
    assert.equal(r.value, 'print(2)');
    assert.deepEqual(kinds(r), []);
  });

  it('runs an unclosed final fence to the end of the reply', () => {
    const r = extractCode('Here:\n```python\nimport sys\nprint(sys.argv)\n', 'python3');
    assert.equal(r.value, 'import sys\nprint(sys.argv)');
    assert.deepEqual(kinds(r), ['unclosed_fence']);
  });

  it('falls back to an untagged block, then to a block of another language, noting it', () => {
    const untagged = extractCode('```\nprint(1)\n```\n```text\n1\n```', 'python3');
    assert.equal(untagged.value, 'print(1)');
    assert.deepEqual(kinds(untagged), ['untagged_fence']);
    const other = extractCode('```c\nint main(void) { return 0; }\n```\nOutput:\n```text\n0\n```', 'cpp');
    assert.equal(other.value, 'int main(void) { return 0; }');
    assert.deepEqual(kinds(other), ['fence_language_mismatch']);
    assert.match(other.issues[0].detail, /`c`/);
  });

  it('reads ~~~ fences, longer fences holding ```, and fences indented up to three spaces', () => {
    assert.equal(extractCode('~~~python\nx = 1\n~~~', 'python3').value, 'x = 1');
    assert.equal(extractCode('````python\ns = """\n```\n"""\n````', 'python3').value, 's = """\n```\n"""');
    assert.equal(extractCode('1. Code:\n   ```python\n   def f():\n       return 1\n   ```', 'python3').value, 'def f():\n    return 1');
  });

  it('skips empty blocks', () => {
    assert.equal(extractCode('```python\nx = 1\n```\n```python\n```', 'python3').value, 'x = 1');
  });

  it('keeps code bytes: <, >, &, backslashes and inner indentation', () => {
    const code = '#include <bits/stdc++.h>\nint main() {\n\tvector<pair<int,int>> v;\n\tif (a < b && c > d) cout << "\\n";\n}';
    assert.equal(extractCode('```cpp\n' + code + '\n```', 'cpp').value, code);
  });

  it('with no fence, the whole reply when it looks like code', () => {
    const r = extractCode('\nn = int(input())\nprint(n * 2)\n', 'python3');
    assert.deepEqual(r, { value: 'n = int(input())\nprint(n * 2)', ok: true, issues: r.issues });
    assert.deepEqual(r.issues.map((i) => [i.kind, i.recovered]), [['no_fence', true]]);
  });

  it('with no fence, code inside <code> tags', () => {
    const r = extractCode('<root><code>\nint main() { return a < b; }\n</code></root>', 'cpp');
    assert.equal(r.value, 'int main() { return a < b; }');
    assert.deepEqual(kinds(r), ['code_in_tags']);
  });

  it('prose with no code at all is a failure with an empty value', () => {
    for (const reply of ['', 'Sorry, I cannot solve this problem (it is too hard).', 'The answer is to sort the array and then take the median.']) {
      const r = extractCode(reply, 'cpp');
      assert.deepEqual([r.value, r.ok], ['', false], reply);
      assert.deepEqual(r.issues.map((i) => [i.kind, i.recovered]), [['no_code', false]]);
    }
  });
});
