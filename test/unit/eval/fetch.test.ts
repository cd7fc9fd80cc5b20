import { strict as assert } from 'node:assert';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli';
import { loadDataset } from '../../../src/eval/datasets';
import { fetchData } from '../../../src/eval/datasets/fetch';
import { readUnitTests, type UnitTest } from '../../../src/eval/datasets/unittest-db';
import { startDataMirror, type DataMirror } from '../../fixtures/data-mirror';
import { freePort } from '../../fixtures/net';
import { dataDir, readJsonl } from '../helpers/data';
import { sink } from '../helpers/streams';

// data fetch against a loopback mirror of the fixtures (MAPCODER_DATA_URL). The excerpts are not the
// pinned files, so a pinned file fetched from them must fail its checksum; the unpinned xCodeEval
// database is made here, for the fixture's problems and many others.

const XCODE = readJsonl<{ src_uid: string; sample_inputs: string[]; sample_outputs: string[] }>('prog_syn_val.jsonl');
const OWN = JSON.parse(readFileSync(join(dataDir(), 'xcodeeval_unittests.json'), 'utf8')) as Record<string, UnitTest[]>;

/** A unittest_db.json (1.2 MB) for the fixture's problems among 4000 others, whose strings hold JSON's hard characters. */
function database(leaveOut?: string): Record<string, UnitTest[]> {
  const db: Record<string, UnitTest[]> = {};
  for (let i = 0; i < 4000; i++) db[`decoy${i}`] = [{ input: `"[${i}]"\\ {}, é\n`, output: [`}${'x'.repeat(i % 600)}]`] }];
  for (const x of XCODE) {
    if (x.src_uid !== leaveOut) db[x.src_uid] = OWN[x.src_uid] ?? x.sample_inputs.map((input, k) => ({ input, output: [x.sample_outputs[k]] }));
  }
  return db;
}

describe('data fetch: the benchmarks from a mirror', function () {
  this.timeout(30000);
  let work: string;
  let mirrorDir: string;
  let mirror: DataMirror;
  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'data-fetch-'));
    mirrorDir = join(work, 'mirror');
    mkdirSync(mirrorDir);
    writeFileSync(join(mirrorDir, 'unittest_db.json'), JSON.stringify(database()));
    mirror = await startDataMirror([mirrorDir, dataDir()]);
  });
  after(async () => {
    await mirror.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('reads the wanted problems out of a unittest_db.json streamed in chunks', async () => {
    const db = database();
    const file = join(work, 'db.json');
    writeFileSync(file, JSON.stringify(db, null, 1));
    const got = await readUnitTests(file, new Set(['decoy7', 'decoy3999', XCODE[0].src_uid, 'absent']));
    assert.deepEqual(Object.fromEntries(got), { decoy7: db.decoy7, decoy3999: db.decoy3999, [XCODE[0].src_uid]: db[XCODE[0].src_uid] });
    writeFileSync(file, JSON.stringify(db).slice(0, 70000));
    await assert.rejects(readUnitTests(file, new Set(['decoy7'])), /not a whole JSON object/);
  });

  it('xCodeEval: resumes a cut download, keeps the problems\' hidden tests, and the loader judges on them', async () => {
    const dir = join(work, 'x');
    mkdirSync(dir);
    copyFileSync(join(dataDir(), 'prog_syn_val.jsonl'), join(dir, 'prog_syn_val.jsonl')); // already there: kept
    mirror.cutOnce('unittest_db.json', 600_000);
    const notes: string[] = [];
    await assert.rejects(fetchData(['xcodeeval'], dir, { mirror: mirror.url, onNote: (n) => notes.push(n) }), /the download broke at .*the next run resumes it/);
    await fetchData(['xcodeeval'], dir, { mirror: mirror.url, onNote: (n) => notes.push(n) });
    assert.match(mirror.requests.join('\n'), /^GET \/unittest_db\.json bytes=[1-9]\d*-$/m, 'the second fetch resumed');
    assert.ok(!mirror.requests.includes('GET /prog_syn_val.jsonl'));
    assert.match(notes.join('\n'), /unittest_db.json has no pinned sha256/);
    assert.match(notes.join('\n'), /the hidden unit tests of all 8 xCodeEval problems/);
    const problems = loadDataset('xcodeeval', dir).problems;
    assert.ok(problems.every((p) => p.hiddenAvailable));
    const sticks = problems.find((p) => p.id === '3dc56bc08606a39dd9ca40a43c452f09')!;
    assert.equal(sticks.hidden.kind === 'stdio' && sticks.hidden.tests.length, 6);
    const before = mirror.requests.length;
    assert.deepEqual(await fetchData(['xcodeeval'], dir, { mirror: mirror.url }), { fetched: [] });
    assert.equal(mirror.requests.length, before, 'a second fetch asks nothing');
  });

  it('a database without one of the problems is refused, and nothing is kept of it', async () => {
    const dir = join(work, 'partial');
    mkdirSync(dir);
    copyFileSync(join(dataDir(), 'prog_syn_val.jsonl'), join(dir, 'prog_syn_val.jsonl'));
    writeFileSync(join(dir, 'unittest_db.json'), JSON.stringify(database(XCODE[3].src_uid)));
    await assert.rejects(fetchData(['xcodeeval'], dir, {}), new RegExp(`no unit tests for 1 of the 8 problems \\(first: ${XCODE[3].src_uid}\\)`));
    assert.ok(!existsSync(join(dir, 'xcodeeval_unittests.json')));
    assert.ok(loadDataset('xcodeeval', dir).problems.every((p) => !p.hiddenAvailable), 'judged on samples, as before');
  });

  it('the CLI: a file that is not the pinned one fails its checksum, offline is one line, both exit 2', async () => {
    const dir = join(work, 'apps');
    // the pinned size, other bytes
    writeFileSync(join(mirrorDir, 'selected150.jsonl'), 'x'.repeat(390742));
    const run = async (argv: string[], env: Record<string, string>) => {
      const out = sink();
      const err = sink();
      // the variables set on process.env itself and put back one by one: process.env must stay the real one
      const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
      Object.assign(process.env, env);
      try {
        return { code: await main(argv, out.s, err.s, new AbortController().signal), out: out.text(), err: err.text() };
      } finally {
        for (const [k, v] of Object.entries(saved)) {
          if (v === undefined) delete process.env[k];
          else process.env[k] = v;
        }
      }
    };
    const bad = await run(['data', 'fetch', 'apps', '--data', dir], { MAPCODER_DATA_URL: mirror.url });
    assert.equal(bad.code, 2);
    assert.match(bad.err, /selected150\.jsonl: checksum mismatch \(sha256 [0-9a-f]{64}, expected 0f27851c[0-9a-f]+\); the file was removed/);
    assert.ok(!existsSync(join(dir, 'selected150.jsonl')) && !existsSync(join(dir, 'selected150.jsonl.partial')));
    const dead = await freePort();
    const offline = await run(['data', 'fetch', 'humaneval', '--data', dir], { MAPCODER_DATA_URL: `http://127.0.0.1:${dead}` });
    assert.equal(offline.code, 2);
    assert.match(offline.err, new RegExp(String.raw`^mapcoder-lite data: HumanEvalWST\.jsonl: cannot reach 127\.0\.0\.1:${dead} \(ECONNREFUSED\); offline\? set MAPCODER_DATA_URL to a mirror`, 'm'));
    assert.equal(offline.err.trim().split('\n').filter((l) => l.startsWith('mapcoder-lite')).length, 1);
    const unknown = await run(['data', 'fetch', 'codecontests'], {});
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /unknown dataset "codecontests"/);
  });
});
