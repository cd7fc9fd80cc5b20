// Bundles the extension host entry, the worker its runs' core lives in, the CLI and the webview script. `vscode` stays external:
// the extension host provides it. Type-checking is `npm run typecheck` (tsc, one project for the node code
// and one for the webview), run on the side.
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'info',
};

const builds = [
  { ...common, entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js', platform: 'node', format: 'cjs', target: 'node18',
    banner: { js: '#!/usr/bin/env node' } },
];
if (existsSync('src/extension/main.ts')) {
  builds.push({ ...common, entryPoints: ['src/extension/main.ts'], outfile: 'dist/extension.js', platform: 'node',
    format: 'cjs', target: 'node18', external: ['vscode'] });
  // A run's core, in a worker thread of the extension host (src/extension/run/core-worker.ts).
  builds.push({ ...common, entryPoints: ['src/extension/run/core-worker.ts'], outfile: 'dist/core-worker.js', platform: 'node',
    format: 'cjs', target: 'node18' });
}
if (existsSync('src/webview/main.ts')) {
  builds.push({ ...common, entryPoints: ['src/webview/main.ts'], outfile: 'dist/webview.js', platform: 'browser',
    format: 'iife', target: 'es2022', tsconfig: 'src/webview/tsconfig.json' });
}

// The panel's icon font ships inside dist/, so the packaged extension needs nothing from node_modules.
mkdirSync('dist/codicons', { recursive: true });
for (const file of ['codicon.css', 'codicon.ttf']) copyFileSync(`node_modules/@vscode/codicons/dist/${file}`, `dist/codicons/${file}`);

// The bundles carry code of the runtime dependencies: their licences ship beside them (BSD and Apache ask
// for their notices with every copy), read from node_modules at each build so they cannot go stale.
const { dependencies } = JSON.parse(readFileSync('package.json', 'utf8'));
const notices = Object.keys(dependencies).map((name) => {
  const dir = `node_modules/${name}`;
  const { version, license } = JSON.parse(readFileSync(`${dir}/package.json`, 'utf8'));
  const texts = readdirSync(dir).filter((f) => /^licen[cs]e/i.test(f)).sort().map((f) => readFileSync(`${dir}/${f}`, 'utf8').replace(/^\uFEFF/, '').trim());
  return `${name} ${version} (${license})\n\n${texts.join('\n\n')}\n`;
});
mkdirSync('dist', { recursive: true });
writeFileSync('dist/ThirdPartyNotices.txt', `Third-party software bundled in MapCoder-Lite\n\n${notices.join(`\n${'-'.repeat(78)}\n\n`)}`);

// The programs that are not TypeScript, read at run time (helper-files.ts): the judge's (the sandbox
// helper's C, compiled on the user's machine by sandbox-helper.ts, the function harness) and the
// evaluation's hidden-test harness. All meet in dist/helper/, so no two may share a name; copied
// afresh, so a file removed from the source (and from the helper's build) does not stay in the bundles.
rmSync('dist/helper', { recursive: true, force: true });
mkdirSync('dist/helper', { recursive: true });
const shipped = new Map();
for (const dir of ['src/core/judge/helper', 'src/eval/judge/helper']) {
  for (const file of readdirSync(dir).filter((f) => /\.(c|h|py)$/.test(f))) {
    if (shipped.has(file)) throw new Error(`${dir}/${file} and ${shipped.get(file)}/${file} would both be dist/helper/${file}`);
    shipped.set(file, dir);
    copyFileSync(`${dir}/${file}`, `dist/helper/${file}`);
  }
}

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
