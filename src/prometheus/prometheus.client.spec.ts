import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../config/app-config';
import { parseQueryResponse, PrometheusError, seriesName } from './prometheus.client';

const kindOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof PrometheusError, String(e));
    return e.kind;
  }
  return 'none';
};

describe('parseQueryResponse: Prometheus /api/v1/query answers', () => {
  it('an instant vector: one sample per series, with its labels', () => {
    const r = parseQueryResponse(200, {
      status: 'success',
      data: { resultType: 'vector', result: [{ metric: { job: 'a' }, value: [1, '12.5'] }, { metric: {}, value: [1, 'NaN'] }] },
    });
    assert.equal(r.resultType, 'vector');
    assert.deepEqual(r.samples[0], { labels: { job: 'a' }, value: 12.5 });
    assert.ok(Number.isNaN(r.samples[1].value));
  });

  it('an empty vector is no sample, not an error', () => {
    assert.deepEqual(parseQueryResponse(200, { status: 'success', data: { resultType: 'vector', result: [] } }).samples, []);
  });

  it('a scalar is one sample without labels', () => {
    assert.deepEqual(parseQueryResponse(200, { status: 'success', data: { resultType: 'scalar', result: [1, '+Inf'] } }).samples, [
      { labels: {}, value: Infinity },
    ]);
  });

  it('a range vector or a string is the query author\'s mistake', () => {
    assert.equal(kindOf(() => parseQueryResponse(200, { status: 'success', data: { resultType: 'matrix', result: [] } })), 'bad-result');
    assert.equal(kindOf(() => parseQueryResponse(200, { status: 'success', data: { resultType: 'string', result: [1, 'x'] } })), 'bad-result');
  });

  it('bad_data is a bad query; execution errors and 5xx are Prometheus being unavailable', () => {
    assert.equal(kindOf(() => parseQueryResponse(400, { status: 'error', errorType: 'bad_data', error: '1:5: parse error' })), 'bad-query');
    assert.equal(kindOf(() => parseQueryResponse(503, { status: 'error', errorType: 'timeout', error: 'query timed out' })), 'unavailable');
    assert.equal(kindOf(() => parseQueryResponse(502, 'Bad Gateway')), 'unavailable');
  });
});

describe('seriesName', () => {
  it('writes labels as PromQL does, sorted', () => {
    assert.equal(seriesName({ b: '2', a: 'x"y' }), '{a="x\\"y", b="2"}');
    assert.equal(seriesName({}), '{}');
  });
});

describe('PROMETHEUS_URL', () => {
  const env = (v?: string) => ({ AUTH_DISABLED: 'true', ...(v === undefined ? {} : { PROMETHEUS_URL: v }) });
  it('is optional and loses a trailing slash', () => {
    assert.equal(loadConfig(env()).prometheusUrl, null);
    assert.equal(loadConfig(env('http://prom:9090/')).prometheusUrl, 'http://prom:9090');
    assert.equal(loadConfig(env('https://u:p@prom.example/prometheus')).prometheusUrl, 'https://u:p@prom.example/prometheus');
  });
  it('refuses what is not an http(s) base URL, naming the variable', () => {
    for (const bad of ['prom:9090', 'ftp://prom', 'http://prom:9090/?x=1', 'not a url']) {
      assert.throws(() => loadConfig(env(bad)), (e: unknown) => e instanceof ConfigError && e.message.startsWith('PROMETHEUS_URL:'), bad);
    }
  });
});
