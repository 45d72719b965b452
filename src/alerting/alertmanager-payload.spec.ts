import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '../common/errors';
import { parseAlertmanagerNotification } from './alertmanager-payload';

/** What Alertmanager 0.25 posts (webhook_config, one firing alert). */
const NOTIFICATION = {
  receiver: 'swarm-cp',
  status: 'firing',
  alerts: [
    {
      status: 'firing',
      labels: { alertname: 'SwarmServiceDown', service: 'web', severity: 'page' },
      annotations: { summary: 'web has no running task' },
      startsAt: '2026-12-06T10:00:01.123456789Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus:9090/graph?g0.expr=x',
      fingerprint: '1a30ba71cca2921f',
    },
  ],
  groupLabels: { alertname: 'SwarmServiceDown' },
  commonLabels: { alertname: 'SwarmServiceDown', service: 'web', severity: 'page' },
  commonAnnotations: { summary: 'web has no running task' },
  externalURL: 'http://alertmanager:9093',
  version: '4',
  groupKey: '{}:{alertname="SwarmServiceDown"}',
  truncatedAlerts: 0,
};

function paths(body: unknown): string[] {
  try {
    parseAlertmanagerNotification(body);
  } catch (e) {
    assert.ok(e instanceof AppError && e.code === 'VALIDATION_FAILED', String(e));
    return (e.errors ?? []).map((x) => x.path);
  }
  return [];
}

const without = (o: Record<string, unknown>, k: string) => Object.fromEntries(Object.entries(o).filter(([x]) => x !== k));
const alertWith = (patch: Record<string, unknown>) => ({ ...NOTIFICATION, alerts: [{ ...NOTIFICATION.alerts[0], ...patch }] });

describe('parseAlertmanagerNotification', () => {
  it("accepts Alertmanager's version-4 notification as sent", () => {
    const n = parseAlertmanagerNotification(NOTIFICATION);
    assert.equal(n.groupKey, NOTIFICATION.groupKey);
    assert.equal(n.alerts[0].fingerprint, '1a30ba71cca2921f');
    assert.equal(n.alerts[0].startsAt, '2026-12-06T10:00:01.123456789Z');
    assert.equal(n.alerts[0].labels.service, 'web');
  });

  it('ignores fields a later Alertmanager may add; optional ones may be missing', () => {
    const n = parseAlertmanagerNotification({ ...without(NOTIFICATION, 'truncatedAlerts'), orgId: 1, alerts: [{ ...without(NOTIFICATION.alerts[0], 'annotations'), silenceURL: 'x' }] });
    assert.equal(n.truncatedAlerts, 0);
    assert.deepEqual(n.alerts[0].annotations, {});
  });

  it('refuses another version or none, naming the field', () => {
    assert.deepEqual(paths({ ...NOTIFICATION, version: '3' }), ['version']);
    assert.deepEqual(paths({ ...NOTIFICATION, version: 4 }), ['version']);
    assert.deepEqual(paths(without(NOTIFICATION, 'version')), ['version']);
  });

  it('names every malformed field', () => {
    assert.deepEqual(paths(without(NOTIFICATION, 'groupKey')), ['groupKey']);
    assert.deepEqual(paths({ ...NOTIFICATION, status: 'burning' }), ['status']);
    assert.deepEqual(paths({ ...NOTIFICATION, alerts: {} }), ['alerts']);
    assert.deepEqual(paths(without(NOTIFICATION, 'alerts')), ['alerts']);
    assert.deepEqual(paths({ ...NOTIFICATION, commonLabels: { a: 1 } }), ['commonLabels.a']);
    assert.deepEqual(paths({ ...NOTIFICATION, truncatedAlerts: -1 }), ['truncatedAlerts']);
    assert.deepEqual(paths(alertWith({ startsAt: 'yesterday' })), ['alerts.0.startsAt']);
    assert.deepEqual(paths(alertWith({ startsAt: undefined })), ['alerts.0.startsAt']);
    assert.deepEqual(paths(alertWith({ fingerprint: '' })), ['alerts.0.fingerprint']);
    assert.deepEqual(paths(alertWith({ labels: undefined })), ['alerts.0.labels']);
    assert.deepEqual(paths(alertWith({ labels: { service: ['web'] } })), ['alerts.0.labels.service']);
    assert.deepEqual(paths(alertWith({ status: undefined, endsAt: 5 })), ['alerts.0.status', 'alerts.0.endsAt']);
    assert.deepEqual(paths({ ...NOTIFICATION, alerts: [NOTIFICATION.alerts[0], 'x'] }), ['alerts.1']);
  });

  it('refuses what is not a notification at all', () => {
    assert.deepEqual(paths([]), ['body']);
    assert.deepEqual(paths(null), ['body']);
    assert.deepEqual(paths({}), ['version', 'groupKey', 'status', 'alerts']);
  });
});
