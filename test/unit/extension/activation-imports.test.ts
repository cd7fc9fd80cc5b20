import { strict as assert } from 'node:assert';
import { resolve } from 'node:path';
import * as esbuild from 'esbuild';

// What the extension host evaluates when it loads dist/extension.js is everything main.ts reaches by
// static import (a dynamic `import()` waits for its command). The heavy parts belong to the core's
// worker thread or to a command's first use: the openai SDK, the model client, the judge's process
// runner and sandbox, the pipeline (but its words, the results' wording the panel shows). This follows the import graph esbuild bundles and names the chain
// that reaches one.

const ROOT = resolve(__dirname, '../../..');
// Paths are relative to the repository; node_modules may be a link to elsewhere (then ../…/node_modules/…).
const HEAVY = [/(^|\/)node_modules\/openai\//, /^src\/core\/llm\/client\.ts$/, /^src\/core\/judge\/(index|run|sandbox|batch)\.ts$/, /^src\/core\/pipeline\/(?!words\.ts$)/];

describe('activation: what loading the extension evaluates', function () {
  this.timeout(60000);

  it('static imports from main.ts reach neither the openai SDK, the model client, the judge runner nor the pipeline', async () => {
    const built = await esbuild.build({
      entryPoints: [resolve(ROOT, 'src/extension/main.ts')], absWorkingDir: ROOT, bundle: true, platform: 'node', format: 'cjs',
      external: ['vscode'], write: false, metafile: true, outfile: resolve(ROOT, 'dist/extension.js'), logLevel: 'silent',
    });
    const { inputs } = built.metafile;
    const start = 'src/extension/main.ts';
    assert.ok(inputs[start], 'the entry is in the graph');
    const from = new Map<string, string | undefined>([[start, undefined]]);
    const queue = [start];
    while (queue.length) {
      const file = queue.shift()!;
      for (const i of inputs[file]?.imports ?? []) {
        if (i.external || (i.kind !== 'import-statement' && i.kind !== 'require-call') || from.has(i.path)) continue;
        from.set(i.path, file);
        queue.push(i.path);
      }
    }
    // The graph is the real one: the bundle does hold these parts, behind a dynamic import.
    assert.ok(Object.keys(inputs).some((f) => HEAVY[0].test(f)), 'openai is in the bundle (Check Endpoint loads it)');
    const chain = (file: string) => {
      const path: string[] = [];
      for (let f: string | undefined = file; f; f = from.get(f)) path.unshift(f);
      return path.join(' -> ');
    };
    assert.deepEqual([...from.keys()].filter((f) => HEAVY.some((h) => h.test(f))).map(chain), []);
  });
});
