import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { AppConfig } from '../../config/app-config';
import { AuthService } from './auth.service';

const sha = (t: string) => createHash('sha256').update(t).digest('hex');
const config = (authDisabled = false) =>
  ({ authDisabled, tokens: [{ name: 'ops', role: 'operator', sha256: sha('secret-token-1'), scope: { labels: { team: 'a' } } }] }) as unknown as AppConfig;

describe('AuthService', () => {
  it('authenticates a configured bearer token as its caller, one frozen object per token', () => {
    const auth = new AuthService(config());
    const a = auth.authenticate('Bearer secret-token-1');
    assert.deepEqual({ ...a }, { name: 'ops', role: 'operator', scope: { labels: { team: 'a' } } });
    assert.equal(auth.authenticate('bearer  secret-token-1 '), a);
    assert.ok(Object.isFrozen(a));
  });

  it('refuses a missing, malformed or unknown token, each with its reason', () => {
    const auth = new AuthService(config());
    assert.throws(() => auth.authenticate(undefined), /missing bearer token/);
    assert.throws(() => auth.authenticate('Basic abc'), /expected "Authorization: Bearer <token>"/);
    assert.throws(() => auth.authenticate('Bearer nope'), /unknown token/);
  });

  it('identifies a configured token without an error, by a key that does not reveal it', () => {
    const auth = new AuthService(config());
    const known = auth.identify('Bearer secret-token-1')!;
    assert.equal(known.caller, auth.authenticate('Bearer secret-token-1'));
    assert.match(known.key, /^t:[0-9a-f]{22}$/);
    assert.ok(!known.key.includes('secret'));
    for (const h of [undefined, '', 'Basic abc', 'Bearer nope', ['Bearer secret-token-1']]) assert.equal(auth.identify(h), undefined, String(h));
  });

  it('identifies nobody with authentication disabled (every caller is then the anonymous admin)', () => {
    const auth = new AuthService(config(true));
    assert.equal(auth.identify('Bearer secret-token-1'), undefined);
    assert.equal(auth.authenticate(undefined).role, 'admin');
  });
});
