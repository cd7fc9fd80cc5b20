import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { ensureLlama, type LlamaBuild } from './build';
import { startServer, type RunningServer, type ServerOptions } from './server';

// The real CLI against a real llama-server on a tiny random model: its replies are garbage, which is
// the point. Every solve must run to its end (exit 0 or 1; 3 is for a server that refuses everything).
const ROOT = resolve(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const SUM = join(ROOT, 'test/fixtures/problems/sum.md');
// Short replies: a random model at the default max_tokens writes thousands of tokens per call.
const SHORT = ['--max-tokens', '48'];

interface CliRun {
  code: number | null;
  out: string;
  err: string;
  ms: number;
}

function cli(args: string[], timeoutMs = 300_000): Promise<CliRun> {
  const started = Date.now();
  return new Promise((resolve_) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve_({ code, out, err, ms: Date.now() - started });
    });
  });
}

/** Processes other than this one whose command line mentions `mark`. */
function processesWith(mark: string): string[] {
  return readdirSync('/proc').filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid).flatMap((p) => {
    try {
      const cmd = readFileSync(`/proc/${p}/cmdline`, 'latin1');
      return cmd.includes(mark) ? [cmd.replace(/\0/g, ' ')] : [];
    } catch {
      return [];
    }
  });
}

describe('real llama-server', function () {
  this.timeout(900_000);
  let build: LlamaBuild;
  let dir: string;
  const servers: RunningServer[] = [];
  const serve = async (opts: ServerOptions) => {
    const s = await startServer(build, opts);
    servers.push(s);
    return s;
  };
  before(() => {
    build = ensureLlama((s) => process.stderr.write(`${s}\n`));
    dir = mkdtempSync(join(tmpdir(), 'mcl-servers-'));
  });
  after(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    rmSync(dir, { recursive: true, force: true });
    assert.deepEqual(processesWith(build.server), [], 'no llama-server left');
  });

  const solve = async (s: RunningServer, lang: string, extra: string[] = [], problem = SUM) => {
    const out = join(dir, `out-${Math.random().toString(36).slice(2)}`);
    const r = await cli(['solve', problem, '--backend', 'llamacpp', '--endpoint', s.baseUrl, '--lang', lang, '--k', '3', '--t', '1', '--json', '--out', out, ...extra]);
    process.stderr.write(`    solve ${basename(problem)} ${lang} ${extra.join(' ')}: exit ${r.code} in ${(r.ms / 1000).toFixed(1)} s\n`);
    assert.deepEqual(processesWith(out), [], 'nothing of the run is left');
    return r;
  };
  const summary = (r: CliRun) => JSON.parse(r.out) as { status: string; calls: number; formatFailures?: unknown };

  describe('with the four adapters (clean model, -c 8192 -np 2)', () => {
    let s: RunningServer;
    before(async () => {
      s = await serve({ model: 'clean', adapters: true });
    });

    it('check: every agent has its adapter', async () => {
      const r = await cli(['check', '--backend', 'llamacpp', '--endpoint', s.baseUrl]);
      assert.equal(r.code, 0, r.out + r.err);
      assert.match(r.out, /Ready: all four agents have their adapter on the server/);
      for (const a of ['retrieval', 'planning', 'coding', 'debugging']) assert.match(r.out, new RegExp(`ok +${a} +-> ${a} +\\(adapter \\d: ${a}\\.gguf\\)`));
    });

    for (const lang of ['python3', 'cpp']) {
      it(`solve with k = 3 in ${lang} runs to the end`, async () => {
        const trace = join(dir, `trace-${lang}.jsonl`);
        const r = await solve(s, lang, [...SHORT, '--trace', trace]);
        // The server's own account of its prefix cache over the solve (usage.prompt_tokens_details.cached_tokens).
        const usages = readFileSync(trace, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((e) => e.type === 'agent-finished').map((e) => e.usage);
        const prompt = usages.reduce((n, u) => n + u.promptTokens, 0);
        const cached = usages.reduce((n, u) => n + (u.cachedTokens ?? 0), 0);
        process.stderr.write(`    ${lang}: ${usages.length} calls, ${prompt} prompt tokens, ${cached} from the server's cache (${((100 * cached) / prompt).toFixed(1)} %)\n`);
        assert.ok(usages.every((u) => typeof u.cachedTokens === 'number'), 'llama.cpp says what it reused');
        assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.err.slice(-2000)}`);
        assert.ok(['passed', 'partial', 'failed'].includes(summary(r).status));
      });
    }

    it('plain-model mode (no adapters asked) runs to the end', async () => {
      const r = await solve(s, 'python3', [...SHORT, '--model', 'tiny']);
      assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.err.slice(-2000)}`);
    });
  });

  it('one slot, two solves at once: the queued requests wait for the slot, not for the idle time-out', async () => {
    const s = await serve({ model: 'clean', adapters: true, ctx: 4096, slots: 1 });
    // Replies of several seconds against a 2 s idle time-out: the other solve's requests wait longer than that for headers.
    const slow = ['--k', '1', '--t', '0', '--max-tokens', '1000', '--idle-timeout', '2'];
    const [a, b] = await Promise.all([solve(s, 'python3', slow), solve(s, 'python3', slow)]);
    for (const r of [a, b]) assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.err.slice(-2000)}`);
    await s.stop();
  });

  it('the raw random model (invalid UTF-8: the server fails replies mid-stream): the solve runs to the end, failures counted', async () => {
    const s = await serve({ model: 'raw', adapters: true });
    const r = await solve(s, 'python3', SHORT);
    assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.err.slice(-2000)}`);
    await s.stop();
  });

  it('a server without adapters: check names what is missing (exit 3); the plain model solves', async () => {
    const s = await serve({ model: 'clean', adapters: false });
    const check = await cli(['check', '--backend', 'llamacpp', '--endpoint', s.baseUrl]);
    assert.equal(check.code, 3);
    assert.match(check.out, /MISSING retrieval/);
    const r = await solve(s, 'python3', [...SHORT, '--model', 'tiny']);
    assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.err.slice(-2000)}`);
    await s.stop();
  });

  describe('constrained replies on the raw random model (grammar on llama.cpp), a 1536-token slot', () => {
    let s: RunningServer;
    before(async () => {
      // Small slots: a long statement with the plans and programs it quotes does not fit, so prompts are cut before they are sent.
      s = await serve({ model: 'raw', adapters: true, ctx: 3072, slots: 2 });
    });
    after(() => s.stop());

    /** A solve at the default max_tokens (sized to the slot) with its trace: format failures per agent, the events. */
    const traced = async (problem: string, lang: string, constrain: string) => {
      const trace = join(dir, `trace-${Math.random().toString(36).slice(2)}.jsonl`);
      const r = await solve(s, lang, ['--constrain', constrain, '--trace', trace], join(ROOT, 'test/fixtures/problems', problem));
      assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.err.slice(-2000)}`);
      const events = readFileSync(trace, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      return { r, events, formatFailures: (summary(r) as unknown as { formatFailures: Record<string, number> }).formatFailures };
    };

    it('auto: ten solves (two languages, three problems) run to the end with 0 format failures; clipped prompts are said in one line, never as a failure', async () => {
      const totals: Record<string, number> = {};
      let clips = 0;
      const problems = ['lanterns.md', 'sum.md', 'max.md', 'lanterns.md', 'lanterns.md'];
      for (const [i, lang] of ['python3', 'cpp', 'python3', 'cpp', 'python3', 'cpp', 'python3', 'cpp', 'python3', 'cpp'].entries()) {
        const { r, events, formatFailures } = await traced(problems[i % problems.length], lang, 'auto');
        for (const [a, n] of Object.entries(formatFailures)) totals[a] = (totals[a] ?? 0) + n;
        assert.equal(events.find((e) => e.type === 'retrieval-done')?.result.exemplars.length, 3);
        const finished = events.filter((e) => e.type === 'agent-finished');
        assert.ok(finished.length > 0 && finished.every((e) => e.constrained === true), 'every reply constrained');
        assert.ok(finished.filter((e) => e.step.kind === 'confidence').every((e) => e.ok && typeof e.parsed?.confidence === 'number'));
        assert.ok(finished.filter((e) => e.step.agent === 'coding').every((e) => e.ok && String(e.parsed).length > 0));
        assert.deepEqual(events.filter((e) => e.type === 'agent-failed').map((e) => e.error), [], 'no call failed');
        assert.doesNotMatch(r.err, /failed:|\[attempt \d\]/);
        const notes = events.filter((e) => e.type === 'agent-started' && e.note).map((e) => e.note as string);
        for (const n of notes) assert.match(n, /^clipped .+ to fit the 1536-token context$/);
        assert.equal(r.err.split('\n').filter((l) => / clipped .* to fit the 1536-token context$/.test(l)).length, notes.length, 'each clip one line in the log');
        clips += notes.length;
      }
      process.stderr.write(`    constrained over 10 solves: format failures ${JSON.stringify(totals)}, ${clips} prompts clipped up front\n`);
      assert.deepEqual(Object.values(totals).reduce((a, b) => a + b, 0), 0, JSON.stringify(totals));
      assert.ok(clips > 0, 'the long statement made some prompts too long for the slot');
    });

    it('off: the same model without a grammar still runs to the end, its failures counted', async () => {
      const { formatFailures, events } = await traced('sum.md', 'python3', 'off');
      const failed = events.filter((e) => e.type === 'agent-failed').length;
      const counted = Object.values(formatFailures).reduce((a, b) => a + b, 0);
      process.stderr.write(`    free: ${counted} format failures, ${failed} replies failed by the server\n`);
      assert.ok(counted > 0);
    });
  });

  it('default sizing on a 4096-token slot: k = 3 solves run to the end in both languages', async () => {
    const s = await serve({ model: 'clean', adapters: true, ctx: 4096, slots: 1 });
    // Default max_tokens (4096, the whole slot): replies are shortened to fit and long plans cut. No debugging round (t = 0) keeps it short.
    for (const lang of ['python3', 'cpp']) {
      const r = await solve(s, lang, ['--t', '0']);
      assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.err.slice(-2000)}`);
    }
    await s.stop();
  });
});
