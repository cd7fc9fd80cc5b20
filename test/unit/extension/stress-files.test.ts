import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stressOptions, userStressPrograms } from '../../../src/extension/stress-files';
import { readSettings } from '../../../src/extension/settings/read';

describe('extension: the user\'s own stress programs and the stressTests setting', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'mcl-stress-files-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('finds brute.<ext> and gen.<ext> (or generator.<ext>) beside the problem, each in its own language', () => {
    writeFileSync(join(dir, 'brute.cpp'), 'int main(){}\n');
    writeFileSync(join(dir, 'generator.py'), 'print(1)\n');
    writeFileSync(join(dir, 'problem.md'), '# P\n');
    const own = userStressPrograms(dir);
    assert.deepEqual([own.brute?.lang, own.brute?.file, own.generator?.lang], ['cpp', join(dir, 'brute.cpp'), 'python3']);
    assert.deepEqual(stressOptions(7, own), { tests: 7, brute: { code: 'int main(){}\n', lang: 'cpp' }, generator: { code: 'print(1)\n', lang: 'python3' } });
  });

  it('ignores what is not one: an unknown extension, a folder, a missing folder', () => {
    writeFileSync(join(dir, 'brute.txt'), 'not a program');
    mkdirSync(join(dir, 'gen.py'));
    assert.deepEqual(userStressPrograms(dir), {});
    assert.deepEqual(userStressPrograms(join(dir, 'nowhere')), {});
    assert.deepEqual(stressOptions(20, {}), { tests: 20 });
  });

  it('stressTests: 20 by default, 0 turns it off, bad values fall back with a message, past 1000 is 1000', () => {
    const read = (v: unknown) => readSettings((k) => (k === 'stressTests' ? v : undefined));
    assert.equal(read(undefined).settings.stressTests, 20);
    assert.deepEqual([read(0).settings.stressTests, read(5).settings.stressTests, read(50_000).settings.stressTests], [0, 5, 1000]);
    const bad = read('many');
    assert.equal(bad.settings.stressTests, 20);
    assert.match(bad.problems[0], /stressTests must be an integer >= 0/);
  });
});
