import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { client, removeServices, startApp, TestApp, TOKENS, uniqueName, waitFor } from '../support/harness';
import { createReplicated, engineSpec } from '../support/scale-helpers';
import { slackSignature } from '../../src/chatops/slack-signature';
import { quietCluster } from '../support/quiet';

const PREFIX = 't-chat-';
const SECRET = 'test-slack-signing-secret';

describe('chatops: text commands from bots and signed Slack posts', () => {
  let t: TestApp;
  let web: string;
  let api: string;

  async function slack(form: Record<string, string>, opts: { secret?: string; timestamp?: number; signature?: string } = {}) {
    const body = new URLSearchParams(form).toString();
    const ts = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
    const res = await fetch(`${t.url}/v1/chatops/commands`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': ts,
        'x-slack-signature': opts.signature ?? slackSignature(opts.secret ?? SECRET, ts, body),
      },
      body,
    });
    return { status: res.status, body: (await res.json()) as any };
  }

  const say = (text: string, token: keyof typeof TOKENS = 'scaler') => client(t.url, token).post('/v1/chatops/commands', { text });

  before(async () => {
    await quietCluster();
    web = uniqueName('chat-web');
    api = uniqueName('chat-api');
    await Promise.all([createReplicated(web, 1, { parked: true }), createReplicated(api, 1, { parked: true })]);
    t = await startApp({ SLACK_SIGNING_SECRET: SECRET });
    await waitFor('services in the read model', async () => (await client(t.url).get(`/v1/services/${api}`)).status === 200);
  });

  after(async () => {
    await t?.close();
    await removeServices(PREFIX);
  });

  it('JSON `scale a=2 b=3` with a bearer token scales both as one batch, audited as chatops', async () => {
    const res = await say(`scale ${web}=2 ${api}=3`);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.response_type, 'in_channel');
    assert.match(res.body.text, new RegExp(`${web} 1 → 2`));
    assert.deepEqual(res.body.data.results.map((r: any) => r.status), ['scaled', 'scaled']);
    assert.deepEqual([(await engineSpec(web)).replicas, (await engineSpec(api)).replicas], [2, 3]);
    const audit = await client(t.url).get(`/v1/audit?service=${web}&actor=scaler`);
    const entry = audit.body.items[0];
    assert.deepEqual([entry.via, entry.action, entry.request.text], ['chatops', 'services.scale', `scale ${web}=2 ${api}=3`]);
    assert.deepEqual(entry.after, { [web]: 2, [api]: 3 });
  });

  it('`status` reports replicas, image, tasks by state and update status', async () => {
    // The engine's orchestrator makes the scale's new task a moment after the update, and the read
    // model lists tasks after the service's event: wait until it holds both parked tasks.
    await waitFor('the read model holds both tasks of the scale', async () => (await client(t.url).get(`/v1/services/${web}/tasks`)).body?.items?.length === 2);
    const res = await say(`status ${web}`, 'viewer');
    assert.equal(res.status, 200, res.text);
    assert.match(res.body.text, new RegExp(`\\*${web}\\*: 0/2 running · image lab/web:v1`));
    assert.match(res.body.text, /tasks: .*pending 2/);
    assert.match(res.body.text, /update: /);
    assert.deepEqual(res.body.data.replicas, { desired: 2, running: 0 });
  });

  it('a signed Slack form post acts as slack:<user> with the configured role, answered in Slack shape', async () => {
    const res = await slack({ text: `scale ${web}=1`, user_name: 'alice', command: '/swarm', team_id: 'T1' });
    assert.equal(res.status, 200);
    assert.equal(res.body.response_type, 'in_channel');
    assert.match(res.body.text, /Scaled/);
    assert.equal((await engineSpec(web)).replicas, 1);
    const audit = await client(t.url).get(`/v1/audit?actor=slack:alice`);
    assert.equal(audit.body.items[0].role, 'scaler');
    assert.equal(audit.body.items[0].via, 'chatops');
  });

  it('a wrong signature, another secret, a stale timestamp or no credentials are refused with 401', async () => {
    const cases = [
      await slack({ text: `scale ${web}=4`, user_name: 'mallory' }, { secret: 'not-the-secret' }),
      await slack({ text: `scale ${web}=4`, user_name: 'mallory' }, { signature: 'v0=deadbeef' }),
      await slack({ text: `scale ${web}=4`, user_name: 'mallory' }, { timestamp: Math.floor(Date.now() / 1000) - 600 }),
    ];
    for (const r of cases) {
      assert.equal(r.status, 401);
      assert.equal(r.body.code, 'UNAUTHENTICATED');
    }
    assert.match(cases[2].body.message, /5 minutes/);
    const none = await client(t.url, null).post('/v1/chatops/commands', { text: 'help' });
    assert.equal(none.status, 401);
    assert.equal((await engineSpec(web)).replicas, 1);
  });

  it('mistakes get helpful answers: unknown command, unknown service with a close name, bad syntax', async () => {
    const typo = await say('scael web=1');
    assert.equal(typo.status, 400);
    assert.match(typo.body.message, /did you mean `scale`\?/);
    assert.match(typo.body.message, /Commands:[\s\S]*scale <service>=<replicas>[\s\S]*status <service>/);
    const missing = await say(`status ${web.slice(0, -1)}`, 'viewer');
    assert.equal(missing.status, 404);
    assert.match(missing.body.message, new RegExp(`did you mean "${web}"`));
    const scaleMissing = await say(`scale ${api}x=2`);
    assert.equal(scaleMissing.status, 404);
    assert.match(scaleMissing.body.message, new RegExp(`did you mean "${api}"`));
    const syntax = await say(`scale ${web}=two`);
    assert.equal(syntax.status, 400);
    assert.match(syntax.body.message, /usage/);
    const help = await say('help', 'viewer');
    assert.match(help.body.text, /scale <service>=<replicas>/);
    // Slack gets the same help as an ephemeral 200, since Slack shows errors as a bare failure
    const slackTypo = await slack({ text: 'stauts web', user_name: 'alice' });
    assert.equal(slackTypo.status, 200);
    assert.equal(slackTypo.body.response_type, 'ephemeral');
    assert.match(slackTypo.body.text, /did you mean `status`\?/);
    assert.deepEqual([(await engineSpec(web)).replicas, (await engineSpec(api)).replicas], [1, 3]);
  });

  it('each command checks its role: a viewer may ask status but not scale', async () => {
    const res = await say(`scale ${web}=3`, 'viewer');
    assert.equal(res.status, 403);
    assert.equal(res.body.code, 'FORBIDDEN');
    assert.match(res.body.message, /needs the scaler role/);
    assert.equal((await engineSpec(web)).replicas, 1);
    const audit = await client(t.url).get('/v1/audit?actor=viewer');
    assert.deepEqual([audit.body.items[0]?.action, audit.body.items[0]?.outcome.code], ['chatops.scale', 'FORBIDDEN']);
  });

  it('bad JSON bodies are 400 VALIDATION_FAILED naming the field', async () => {
    for (const [body, path] of [
      [{ text: 5 }, 'text'],
      [{}, 'text'],
      [{ text: 'help', channel: 'x' }, 'channel'],
    ] as const) {
      const res = await client(t.url, 'scaler').post('/v1/chatops/commands', body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.ok(res.body.errors.some((e: any) => e.path === path), JSON.stringify(res.body));
    }
  });
});
