// extensionTestsPath points at the bundle of this file: the extension host require()s it and awaits run().
// Each suite is bundled next to it as <name>.test.js. The harness starts the workbench twice: on a trusted
// folder (every suite but the untrusted one) and on an untrusted folder (only that one), and says which
// through the server's environment, which the extension host inherits.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

const UNTRUSTED_SUITE = 'untrusted.test.js';
// Lazy activation is only observable before any other suite has used the extension.
const FIRST_SUITE = 'activation.test.js';

export function run(): Promise<void> {
  const untrusted = process.env.MAPCODER_IT_WORKSPACE === 'untrusted';
  const files = fs.readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .filter((f) => (f === UNTRUSTED_SUITE) === untrusted)
    .sort((a, b) => Number(b === FIRST_SUITE) - Number(a === FIRST_SUITE) || a.localeCompare(b));
  const mocha = new Mocha({ ui: 'bdd', color: false, reporter: 'spec', timeout: 60_000 });
  for (const f of files) mocha.addFile(path.join(__dirname, f));
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      // The harness reads this line from the host's console and adds it up across workbench sessions.
      // Tests a failed hook kept from running count as failed.
      const passed = runner.stats?.passes ?? 0;
      console.log(`${passed} passed, ${Math.max(failures, runner.total - passed)} failed`);
      if (failures > 0) reject(new Error(`${failures} integration tests failed`));
      else resolve();
    });
  });
}
