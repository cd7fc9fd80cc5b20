import { strict as assert } from 'node:assert';
import { formatLimits } from '../../../src/core/problem';
import { findLimits, parseDuration, parseMemory } from '../../../src/core/problem/limits';

describe('problem/limits', () => {
  it('parses durations and sizes', () => {
    assert.equal(parseDuration('2 seconds'), 2000);
    assert.equal(parseDuration('1 second'), 1000);
    assert.equal(parseDuration('2.5 s'), 2500);
    assert.equal(parseDuration('0.4 seconds'), 400);
    assert.equal(parseDuration('1000 ms'), 1000);
    assert.equal(parseDuration('2 sec'), 2000);
    assert.equal(parseDuration('fast'), undefined);
    assert.equal(parseMemory('256 megabytes'), 256);
    assert.equal(parseMemory('256 MiB'), 256);
    assert.equal(parseMemory('1024 MB'), 1024);
    assert.equal(parseMemory('65536 KB'), 64);
    assert.equal(parseMemory('1 GB'), 1024);
    assert.equal(parseMemory('lots'), undefined);
  });

  it('finds labelled limits in Codeforces, AtCoder and Markdown headers', () => {
    assert.deepEqual(findLimits('time limit per test\n2 seconds\nmemory limit per test\n256 megabytes'), { timeLimitMs: 2000, memoryLimitMb: 256 });
    assert.deepEqual(findLimits('time limit per test: 1.5 seconds'), { timeLimitMs: 1500 });
    assert.deepEqual(findLimits('Time Limit: 2 sec / Memory Limit: 1024 MB'), { timeLimitMs: 2000, memoryLimitMb: 1024 });
    assert.deepEqual(findLimits('**Time limit:** 1000 ms | **Memory limit:** 512 MiB'), { timeLimitMs: 1000, memoryLimitMb: 512 });
  });

  it('ignores durations and sizes that are not labelled limits', () => {
    assert.deepEqual(findLimits('The robot waits 2 seconds and stores 256 megabytes.'), {});
  });

  it('formats limits for the CLI', () => {
    assert.equal(formatLimits({ timeLimitMs: 2000, memoryLimitMb: 256 }), 'time 2 s, memory 256 MB');
    assert.equal(formatLimits({ timeLimitMs: 500 }), 'time 0.5 s');
    assert.equal(formatLimits({}), 'no limits given');
  });
});
