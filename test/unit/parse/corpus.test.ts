import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  extractCode, parseConfidence, parseConfidenceExplanation, parseDebugReply, parsePlan, parseRetrieval, ParseIssue,
} from '../../../src/core/parse';
import type { Lang } from '../../../src/core/types';

// Every recorded reply in test/fixtures/replies/ parses to what expected.json says.
interface Expected {
  agent: string;
  parser: 'retrieval' | 'confidence' | 'code' | 'debug' | 'plan';
  ok: boolean;
  issues: string[];
  k?: number;
  lang?: Lang;
  exemplars?: number;
  algorithm?: boolean;
  confidence?: number;
  explanation?: boolean;
  codePrefix?: string;
  codeSuffix?: string;
  planPrefix?: string;
  planSuffix?: string;
}

const dir = join(__dirname, '..', '..', 'fixtures', 'replies');
const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Record<string, Expected>;
const kinds = (issues: ParseIssue[]) => [...new Set(issues.map((i) => i.kind))].sort();

function checkEnds(label: string, text: string, prefix?: string, suffix?: string) {
  if (prefix !== undefined) assert.ok(text.startsWith(prefix), `${label} starts with ${JSON.stringify(prefix)}: ${JSON.stringify(text.slice(0, 80))}`);
  if (suffix !== undefined) assert.ok(text.endsWith(suffix), `${label} ends with ${JSON.stringify(suffix)}: ${JSON.stringify(text.slice(-80))}`);
}

describe('parse: recorded reply corpus', () => {
  it('has at least 30 replies, each listed in expected.json', () => {
    const files = readdirSync(dir).filter((f) => f !== 'expected.json').sort();
    assert.ok(files.length >= 30, `${files.length} replies`);
    assert.deepEqual(files, Object.keys(expected).sort());
  });

  for (const [file, want] of Object.entries(expected)) {
    it(`${file}: ${want.issues.join(', ') || 'clean'}`, () => {
      const reply = readFileSync(join(dir, file), 'utf8');
      let got: { ok: boolean; issues: ParseIssue[] };
      switch (want.parser) {
        case 'retrieval': {
          const r = parseRetrieval(reply, want.k!);
          got = r;
          assert.equal(r.value.exemplars.length, want.exemplars);
          assert.equal(r.value.algorithm !== '', want.algorithm);
          if (want.exemplars) checkEnds('first exemplar code', r.value.exemplars[0].code, want.codePrefix, want.codeSuffix);
          for (const e of r.value.exemplars) {
            assert.ok(e.description && e.code && e.planning, `every exemplar complete: ${JSON.stringify(e).slice(0, 120)}`);
            assert.ok(!/<\/?(?:problem|description|code|planning|algorithm|root)\b/i.test(Object.values(e).join('\n')), 'no tag leaks into a field');
          }
          break;
        }
        case 'confidence': {
          const r = parseConfidence(reply);
          got = r;
          assert.equal(r.value, want.confidence);
          assert.equal(parseConfidenceExplanation(reply) !== '', want.explanation);
          break;
        }
        case 'code': {
          const r = extractCode(reply, want.lang!);
          got = r;
          checkEnds('code', r.value, want.codePrefix, want.codeSuffix);
          if (!want.ok) assert.equal(r.value, '');
          assert.ok(!r.value.includes('```') && !r.value.includes('~~~'), 'no fence in the code');
          break;
        }
        case 'debug': {
          const r = parseDebugReply(reply, want.lang!);
          got = r;
          checkEnds('code', r.value.code, want.codePrefix, want.codeSuffix);
          checkEnds('plan', r.value.plan, want.planPrefix, want.planSuffix);
          if (want.planPrefix === '') assert.equal(r.value.plan, '');
          break;
        }
        case 'plan': {
          const r = parsePlan(reply);
          got = r;
          checkEnds('plan', r.value, want.planPrefix);
          assert.ok(!/```|<\/?plan>/.test(r.value), 'wrapper removed');
          break;
        }
      }
      assert.equal(got.ok, want.ok, 'ok');
      assert.deepEqual(kinds(got.issues), [...want.issues].sort());
      for (const i of got.issues) assert.ok(i.detail.length > 0, `issue ${i.kind} has a detail`);
    });
  }
});
