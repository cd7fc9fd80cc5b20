import { strict as assert } from 'node:assert';
import { tokenize } from '../../../../src/webview/highlight';

describe('panel: code colours', () => {
  it('gives the code back exactly, with keywords, strings, numbers and comments told apart', () => {
    const py = 'def f(x):  # twice\n    return x * 2 + len("a#b")\n';
    const toks = tokenize(py, 'python3');
    assert.equal(toks.map((t) => t.text).join(''), py);
    const of = (kind: string) => toks.filter((t) => t.kind === kind).map((t) => t.text);
    assert.deepEqual([of('kw'), of('str'), of('num'), of('com')], [['def', 'return', 'len'], ['"a#b"'], ['2'], ['# twice']]);
    const cpp = '#include <cstdio>\n/* sum */ int main(){ printf("%d\\n", 1+2); } // done\n';
    const c = tokenize(cpp, 'cpp');
    assert.equal(c.map((t) => t.text).join(''), cpp);
    assert.deepEqual(c.filter((t) => t.kind === 'com').map((t) => t.text), ['/* sum */', '// done']);
    assert.ok(c.some((t) => t.kind === 'str' && t.text === '"%d\\n"'));
  });

  it('stays linear and whole on unclosed strings and comments', () => {
    for (const [code, lang] of [['"never closed', 'python3'], ['/* open', 'c'], ["'''a\n b", 'python3'], ['x = "a\\', 'javascript']] as const) {
      assert.equal(tokenize(code, lang).map((t) => t.text).join(''), code);
    }
    const big = 'x = "a" # c\n'.repeat(20000);
    assert.equal(tokenize(big, 'python3').map((t) => t.text).join('').length, big.length);
  });
});
