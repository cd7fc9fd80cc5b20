import { strict as assert } from 'node:assert';
import { builtinCheck } from '../../../src/core/judge/checker';
import { builtinChecker } from '../../../src/core/judge/checker/find';

const TOL = { absTol: 1e-6, relTol: 1e-6 };

describe('judge/checker built-ins', () => {
  it('tokens: any layout, every token exact; the first difference named', () => {
    assert.equal(builtinCheck('tokens', '1  2\n3\n', '1 2 3', TOL).verdict, 'AC');
    const wa = builtinCheck('tokens', '1 2 4', '1 2 3', TOL);
    assert.deepEqual(wa, { verdict: 'WA', message: 'token 3 differs: expected \'3\', found \'4\'' });
    assert.match(builtinCheck('tokens', '1 2', '1 2 3', TOL).message, /expected 3 tokens, found 2/);
    assert.equal(builtinCheck('tokens', 'YES', 'yes', TOL).verdict, 'WA');
  });

  it('lines: trailing spaces and blank lines forgiven; the same tokens on other lines are a presentation error', () => {
    assert.equal(builtinCheck('lines', '1 2  \n3\n\n', '1 2\n3', TOL).verdict, 'AC');
    assert.equal(builtinCheck('lines', '1\n2 3', '1 2\n3', TOL).verdict, 'PE');
    assert.equal(builtinCheck('lines', '1 2\n4', '1 2\n3', TOL).verdict, 'WA');
  });

  it('floats: within the absolute or relative error; words exact', () => {
    assert.equal(builtinCheck('floats', '0.3333333 x', '0.333333333 x', TOL).verdict, 'AC');
    assert.equal(builtinCheck('floats', '0.334', '0.333333333', TOL).verdict, 'WA');
    assert.equal(builtinCheck('floats', '1000000.5', '1000000', TOL).verdict, 'AC', 'relative');
    assert.equal(builtinCheck('floats', '0.334', '0.333333333', { absTol: 1e-2, relTol: 1e-2 }).verdict, 'AC');
  });

  it('case-insensitive, unordered tokens and unordered lines', () => {
    assert.equal(builtinCheck('case-insensitive', 'Yes nO', 'YES no', TOL).verdict, 'AC');
    assert.equal(builtinCheck('unordered-tokens', '3 1 2 2', '2 1 2 3', TOL).verdict, 'AC');
    assert.equal(builtinCheck('unordered-tokens', '3 1 1 2', '2 1 2 3', TOL).verdict, 'WA');
    assert.equal(builtinCheck('unordered-lines', 'b c\na\n', 'a\nb c', TOL).verdict, 'AC');
    assert.equal(builtinCheck('unordered-lines', 'c b\na\n', 'a\nb c', TOL).verdict, 'WA');
  });

  it('names: floats takes tolerances, nothing else does; an unknown name is no built-in', () => {
    assert.deepEqual(builtinChecker('floats:1e-4'), { kind: 'builtin', name: 'floats', absTol: 1e-4, relTol: 1e-4 });
    assert.deepEqual(builtinChecker('floats:0,1e-9'), { kind: 'builtin', name: 'floats', absTol: 0, relTol: 1e-9 });
    assert.deepEqual(builtinChecker('lines'), { kind: 'builtin', name: 'lines' });
    assert.equal(builtinChecker('wcmp'), undefined);
    assert.throws(() => builtinChecker('tokens:1e-6'), /only floats takes tolerances/);
    assert.throws(() => builtinChecker('floats:abc'), /only floats takes tolerances/);
  });
});
