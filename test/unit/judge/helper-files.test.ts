import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { helperFile } from '../../../src/core/judge/helper-files';
import { SANDBOX_OOM_LINE, SANDBOX_SETUP_FAILED, SANDBOX_TAG } from '../../../src/core/judge/sandbox';
import { HELPER_FILES } from '../../../src/core/judge/sandbox-helper';

// The judge's programs in helper/ and the TypeScript that reads their output agree on the words and codes.
describe('judge: the programs in helper/', () => {
  it('the C helper says the same tag, exit status and out-of-memory line', () => {
    const setup = helperFile('helper.h');
    assert.ok(setup.includes(`#define SETUP_FAILED ${SANDBOX_SETUP_FAILED}\n`));
    assert.ok(setup.includes(`#define TAG "${SANDBOX_TAG}"\n`));
    assert.equal(SANDBOX_OOM_LINE, `${SANDBOX_TAG} out of memory in its control group`);
    assert.ok(setup.includes('#define OOM_LINE TAG " out of memory in its control group"'));
  });

  it('every C file is compiled, and each program the build copies exists', () => {
    const files = readdirSync(join(__dirname, '../../../src/core/judge/helper'));
    assert.deepEqual(files.filter((f) => /\.[ch]$/.test(f)).sort(), [...HELPER_FILES].sort());
    for (const f of ['function-harness.py', 'README.md']) assert.ok(files.includes(f), f);
  });
});
