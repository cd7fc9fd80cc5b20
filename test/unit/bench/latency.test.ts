// The latency model behind `npm run bench`: its pacing, its batch slots and its token counts.
// Behaviour only (order of events, counts, the reply it builds); no timed assertion.
import { strict as assert } from 'node:assert';
import { countTokens, serviceMs, withLatency, type LatencyModel } from '../../fixtures/llm-server/latency';
import { startScriptedServer, type ScriptedServer } from '../../fixtures/llm-server/server';

const MODEL: LatencyModel = { ttftMs: 2, prefillMsPerToken: 0.01, tokenMs: 0.5, batchSize: 2, charsPerToken: 4, tokensPerChunk: 4 };

describe('bench/latency model', () => {
  let srv: ScriptedServer;
  afterEach(() => srv?.close());

  const chat = (content: string, signal?: AbortSignal) =>
    fetch(`${srv.url}/chat/completions`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, signal,
      body: JSON.stringify({ model: 'coding', messages: [{ role: 'user', content }], stream: true, stream_options: { include_usage: true } }),
    });

  /** Streams one request to the end and returns its usage chunk and the number of content chunks. */
  async function finish(res: Response): Promise<{ usage: any; chunks: number; text: string }> {
    const events = (await res.text()).split('\n\n').filter((e) => e.startsWith('data: {')).map((e) => JSON.parse(e.slice(6)));
    const content = events.map((e) => e.choices[0]?.delta?.content).filter((c) => c);
    return { usage: events.find((e) => e.usage)?.usage, chunks: content.length, text: content.join('') };
  }

  it('paces a reply as the model says and reports usage in its own token count', async () => {
    srv = await startScriptedServer();
    const lat = withLatency(() => ({ text: 'x'.repeat(50) }), MODEL, (i) => srv.replyOutcome(i));
    srv.setHandler(lat.handler);
    const r = await finish(await chat('p'.repeat(40)));
    assert.equal(r.text, 'x'.repeat(50));
    assert.equal(r.chunks, 4, '50 chars at 16 chars (4 tokens of 4 chars) a chunk');
    assert.deepEqual([r.usage.prompt_tokens, r.usage.completion_tokens], [10, 13]);
    assert.deepEqual(lat.records.map((x) => [x.promptTokens, x.completionTokens, x.serviceMs]), [[10, 13, serviceMs(10, 13, MODEL)]]);
  });

  it('computes service time from the first chunk and whole chunks of decode', () => {
    assert.equal(serviceMs(100, 1, MODEL), 2 + 1);
    assert.equal(serviceMs(100, 4, MODEL), 3, 'one chunk: only the time to first token');
    assert.equal(serviceMs(100, 5, MODEL), 3 + 4 * 0.5);
    assert.equal(serviceMs(0, 0, MODEL), 2);
    assert.equal(countTokens('abcde', MODEL), 2);
  });

  it('lets up to batchSize requests run at once and queues the rest in arrival order', async () => {
    srv = await startScriptedServer();
    const order: string[] = [];
    const lat = withLatency((req) => {
      order.push(`arrive ${req.messages[0].content}`);
      return { text: 'y'.repeat(64) };
    }, MODEL, (i) => srv.replyOutcome(i).then(() => void order.push(`end #${i}`)));
    srv.setHandler(lat.handler);
    const started: string[] = [];
    const one = async (name: string) => {
      const res = await chat(name);
      started.push(name);
      return finish(res);
    };
    await Promise.all(['a', 'b', 'c', 'd'].map(one));
    assert.equal(lat.peakRunning(), 2);
    assert.equal(lat.running(), 0, 'every slot released');
    assert.equal(lat.records.length, 4);
    // The third and fourth requests got their headers only after two earlier ones had ended.
    const ends = order.filter((o) => o.startsWith('end')).length;
    assert.equal(ends, 4);
    assert.ok(started.indexOf('c') >= 2 && started.indexOf('d') >= 2);
    assert.deepEqual(lat.records.map((r) => r.waited), [false, false, true, true]);
  });

  it('frees the slot of a request whose client hung up', async () => {
    srv = await startScriptedServer();
    const slow: LatencyModel = { ...MODEL, batchSize: 1, tokenMs: 20 };
    const lat = withLatency(() => ({ text: 'z'.repeat(400) }), slow, (i) => srv.replyOutcome(i));
    srv.setHandler(lat.handler);
    const ac = new AbortController();
    const first = await chat('first', ac.signal);
    const reader = first.body!.getReader();
    await reader.read();
    const second = chat('second');
    ac.abort();
    await reader.read().catch(() => undefined);
    const r = await finish(await second);
    assert.equal(r.text.length, 400, 'the queued request ran once the abandoned one let go');
    assert.equal(await srv.replyOutcome(0), 'closed');
    assert.equal(lat.peakRunning(), 1);
  });

  it('passes error replies through without taking a slot', async () => {
    srv = await startScriptedServer();
    const lat = withLatency(() => ({ status: 503, text: 'busy' }), MODEL, (i) => srv.replyOutcome(i));
    srv.setHandler(lat.handler);
    const res = await chat('x');
    assert.equal(res.status, 503);
    await res.text();
    assert.equal(lat.records.length, 0);
    assert.equal(lat.peakRunning(), 0);
  });

  it('refuses a model without a batch slot', () => {
    assert.throws(() => withLatency(() => ({ text: '' }), { ...MODEL, batchSize: 0 }, async () => undefined), RangeError);
  });
});
