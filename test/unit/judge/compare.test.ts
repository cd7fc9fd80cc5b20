import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { outputsMatch } from '../../../src/core/judge/compare';

describe('judge/compare outputsMatch', () => {
  const cases: Array<[string, string, string, boolean]> = [
    // [name, actual, expected, match]
    ['identical', '3\n', '3\n', true],
    ['missing final newline', '3', '3\n', true],
    ['trailing blank lines', '1 2\n\n\n', '1 2', true],
    ['trailing spaces on a line', '1 2   \n3\t\n', '1 2\n3', true],
    ['leading spaces on a line', '  1 2\n', '1 2\n', true],
    ['CRLF line ends', '1\r\n2\r\n', '1\n2\n', true],
    ['different number', '4\n', '3\n', false],
    ['extra line', '3\n4\n', '3\n', false],
    ['missing line', '3\n', '3\n4\n', false],
    ['empty vs non-empty', '', '0', false],
    ['both empty', '', '\n\n', true],
    ['tokens reflowed across lines', '1 2\n3', '1\n2 3', true],
    ['runs of spaces between tokens', '1    2', '1 2', true],
    ['float within abs tolerance', '0.3333333', '0.333333333', true],
    ['float within rel tolerance', '1000000.5', '1000000.9', true],
    ['float outside tolerance', '0.333', '0.334', false],
    ['float vs integer spelling', '2.000000', '2', true],
    ['exponent form', '1e-7', '0', true],
    ['exponent vs decimal', '1.5E3', '1500', true],
    ['negative floats', '-0.0000001', '0.0000001', true],
    ['integers compare exactly', '1000000008', '1000000007', false],
    ['big integers compare exactly', '123456789012345678901234567890', '123456789012345678901234567890', true],
    ['big integers differ by one', '123456789012345678901234567891', '123456789012345678901234567890', false],
    ['leading plus and zeros on integers', '+007', '7', true],
    ['number vs word', '1', 'one', false],
    ['YES vs yes', 'YES\n', 'yes\n', true],
    ['No vs NO', 'No', 'NO', true],
    ['True vs true', 'True', 'true', true],
    ['yes vs no', 'YES', 'NO', false],
    ['yes vs true', 'yes', 'true', false],
    ['other words stay case-sensitive', 'Alice', 'alice', false],
    ['nan never matches a number', 'nan', '0', false],
    ['inf is a word, not a huge number', 'inf', '1e400', false],
    ['several mixed tokens', 'YES 3 0.5000001\nabc', 'yes 3 0.5 abc', true],
    ['one token off among many', '1 2 3 4 5', '1 2 3 4 6', false],
  ];
  for (const [name, actual, expected, match] of cases) {
    it(`${name}: ${match ? 'matches' : 'differs'}`, () => {
      assert.equal(outputsMatch(actual, [expected]), match);
    });
  }

  it('accepts any of several expected outputs', () => {
    assert.ok(outputsMatch('2 1\n', ['1 2\n', '2 1\n']));
    assert.ok(!outputsMatch('2 2\n', ['1 2\n', '2 1\n']));
  });

  it('no expected output: nothing matches', () => {
    assert.ok(!outputsMatch('1', []));
  });

  it('uses the given tolerance', () => {
    assert.ok(!outputsMatch('0.5001', ['0.5']));
    assert.ok(outputsMatch('0.5001', ['0.5'], { absTol: 1e-3, relTol: 0 }));
    assert.ok(outputsMatch('1010', ['1000.0'], { absTol: 0, relTol: 0.02 }));
    assert.ok(!outputsMatch('1010', ['1000.0'], { absTol: 0, relTol: 0.005 }));
  });

  it('relative tolerance is taken against the expected value', () => {
    // |a - e| = 2e-6 > 1e-6 absolute, and relative to e = 1 it is 2e-6 > 1e-6.
    assert.ok(!outputsMatch('1.000002', ['1.0']));
    assert.ok(outputsMatch('1000000.000002', ['1000000.0']));
  });

  it('property: whitespace layout never changes the verdict of equal token lists', () => {
    const token = fc.stringMatching(/^[a-z0-9.]{1,6}$/);
    const sep = fc.constantFrom(' ', '  ', '\t', '\n', ' \n');
    fc.assert(fc.property(fc.array(fc.tuple(token, sep), { minLength: 1, maxLength: 8 }), (parts) => {
      const spaced = parts.map(([t, s]) => t + s).join('');
      const plain = parts.map(([t]) => t).join(' ');
      return outputsMatch(spaced, [plain]) && outputsMatch(plain, [spaced]);
    }));
  });

  it('property: a changed integer token never matches', () => {
    fc.assert(fc.property(fc.bigInt(), fc.bigInt({ min: 1n, max: 10n ** 30n }), (n, d) => !outputsMatch(`${n + d}`, [`${n}`])));
  });
});
