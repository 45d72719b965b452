import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '../common/errors';
import { parseScaleArgs } from './builtin.commands';
import { ChatopsCommands } from './chatops-commands.registry';
import { slackSignature, slackSignatureProblem } from './slack-signature';

describe('parseScaleArgs', () => {
  it('reads service=replicas pairs', () => assert.deepEqual(parseScaleArgs(['web=5', 'api=0']), { web: 5, api: 0 }));
  const bad: Array<[string[], RegExp]> = [
    [[], /usage/],
    [['web'], /not <service>=<replicas>/],
    [['web=-1'], /not <service>=<replicas>/],
    [['web=1.5'], /not <service>=<replicas>/],
    [['web=five'], /not <service>=<replicas>/],
    [['web=1', 'web=2'], /named twice/],
  ];
  for (const [args, msg] of bad) {
    it(`refuses ${JSON.stringify(args)}`, () => assert.throws(() => parseScaleArgs(args), (e: AppError) => e.code === 'VALIDATION_FAILED' && msg.test(e.message)));
  }
});

describe('Slack request signatures', () => {
  const secret = 'shhh-secret';
  const body = 'text=status+web&user_name=alice';
  const now = 1_700_000_000;
  const ts = String(now);
  const good = slackSignature(secret, ts, body);
  it('Slack documentation example verifies', () => {
    // https://api.slack.com/authentication/verifying-requests-from-slack
    const raw =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    assert.equal(
      slackSignatureProblem('8f742231b10e8888abcd99yyyzzz85a5', { signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503', timestamp: '1531420618' }, raw, 1531420618),
      null,
    );
  });
  const cases: Array<[string, { signature?: unknown; timestamp?: unknown }, number, RegExp | null]> = [
    ['valid', { signature: good, timestamp: ts }, now, null],
    ['valid within 5 minutes', { signature: good, timestamp: ts }, now + 299, null],
    ['stale', { signature: good, timestamp: ts }, now + 301, /5 minutes/],
    ['future', { signature: good, timestamp: ts }, now - 301, /5 minutes/],
    ['wrong signature', { signature: 'v0=' + '0'.repeat(64), timestamp: ts }, now, /does not match/],
    ['short signature', { signature: 'v0=abc', timestamp: ts }, now, /does not match/],
    ['missing', {}, now, /missing/],
    ['bad timestamp', { signature: good, timestamp: 'yesterday' }, now, /Unix time/],
  ];
  for (const [what, h, at, want] of cases) {
    it(what, () => {
      const p = slackSignatureProblem(secret, h, body, at);
      if (want) assert.match(p ?? '', want);
      else assert.equal(p, null);
    });
  }
});

describe('ChatopsCommands registry', () => {
  it('refuses a second registration of one name and lists usage in help', () => {
    const r = new ChatopsCommands();
    r.register('deploy', 'deploy <service> <image>', async () => ({ text: '' }), { role: 'deployer', summary: 'roll out an image' });
    assert.throws(() => r.register('deploy', 'x', async () => ({ text: '' }), { role: 'admin', summary: '' }), /twice/);
    assert.match(r.help(), /deploy <service> <image>.*roll out an image \(deployer\)/);
    assert.equal(r.get('DEPLOY')?.name, 'deploy');
  });
});
