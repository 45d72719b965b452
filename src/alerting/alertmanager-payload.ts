import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AppError, FieldError } from '../common/errors';

/**
 * Alertmanager's webhook notification, version 4 (webhook_config; the same JSON for every
 * Alertmanager since 0.x): a group of alerts that share a route, with the group's key.
 * Fields Alertmanager may add later without changing `version` (as it added truncatedAlerts)
 * are ignored; a missing or mistyped known field, or another version, is refused.
 */
export interface AlertmanagerAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string | null;
  generatorURL: string | null;
  /** Alertmanager's hash of the alert's labels: one alert, across notifications. */
  fingerprint: string;
}

export interface AlertmanagerNotification {
  version: '4';
  /** Identifies the group (route and group-by labels) across notifications. */
  groupKey: string;
  status: 'firing' | 'resolved';
  receiver: string | null;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string | null;
  truncatedAlerts: number;
  alerts: AlertmanagerAlert[];
}

/** At most this many alerts in one notification (Alertmanager's max_alerts; the body limit bounds it too). */
export const MAX_ALERTS = 1000;
const MAX_STRING = 4096;
const STATUSES = ['firing', 'resolved'] as const;
// RFC 3339 as Go writes it: fractional seconds of any length, Z or an offset.
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

class Checker {
  readonly errors: FieldError[] = [];

  fail(path: string, message: string): undefined {
    this.errors.push({ path, message });
    return undefined;
  }

  object(v: unknown, path: string): Record<string, unknown> | undefined {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return this.fail(path, 'must be an object');
    return v as Record<string, unknown>;
  }

  string(v: unknown, path: string, opts: { required?: boolean; nonEmpty?: boolean } = {}): string | null | undefined {
    if (v === undefined || v === null) return opts.required ? this.fail(path, 'is required') : null;
    if (typeof v !== 'string') return this.fail(path, 'must be a string');
    if (opts.nonEmpty && !v) return this.fail(path, 'must not be empty');
    if (v.length > MAX_STRING) return this.fail(path, `must be at most ${MAX_STRING} characters`);
    return v;
  }

  status(v: unknown, path: string): 'firing' | 'resolved' | undefined {
    if (v === undefined || v === null) return this.fail(path, 'is required');
    if (!STATUSES.includes(v as 'firing')) return this.fail(path, 'must be "firing" or "resolved"');
    return v as 'firing' | 'resolved';
  }

  /** A label or annotation map: string values only. */
  labels(v: unknown, path: string, required = false): Record<string, string> | undefined {
    if (v === undefined || v === null) return required ? this.fail(path, 'is required') : {};
    const o = this.object(v, path);
    if (!o) return undefined;
    const keys = Object.keys(o);
    if (keys.length > 200) return this.fail(path, 'must have at most 200 entries');
    for (const k of keys) {
      if (typeof o[k] !== 'string') return this.fail(`${path}.${k}`, 'must be a string');
      if ((o[k] as string).length > MAX_STRING) return this.fail(`${path}.${k}`, `must be at most ${MAX_STRING} characters`);
    }
    return o as Record<string, string>;
  }

  time(v: unknown, path: string, required: boolean): string | null | undefined {
    if (v === undefined || v === null || v === '') return required ? this.fail(path, 'is required') : null;
    if (typeof v !== 'string' || !RFC3339.test(v) || Number.isNaN(Date.parse(v))) return this.fail(path, 'must be an RFC 3339 time');
    return v;
  }
}

/** Validates a webhook body; every problem is reported with its path (`alerts.2.startsAt`). Pure. */
export function parseAlertmanagerNotification(body: unknown): AlertmanagerNotification {
  const c = new Checker();
  const top = c.object(body, 'body');
  if (!top) throw invalid(c.errors);
  if (top.version !== '4') {
    c.fail('version', top.version === undefined ? 'is required ("4": the Alertmanager webhook format)' : `must be "4" (the Alertmanager webhook format), got ${JSON.stringify(top.version)}`);
  }
  const groupKey = c.string(top.groupKey, 'groupKey', { required: true, nonEmpty: true });
  const status = c.status(top.status, 'status');
  const receiver = c.string(top.receiver, 'receiver');
  const externalURL = c.string(top.externalURL, 'externalURL');
  const groupLabels = c.labels(top.groupLabels, 'groupLabels');
  const commonLabels = c.labels(top.commonLabels, 'commonLabels');
  const commonAnnotations = c.labels(top.commonAnnotations, 'commonAnnotations');
  let truncatedAlerts = 0;
  if (top.truncatedAlerts !== undefined && top.truncatedAlerts !== null) {
    if (!Number.isInteger(top.truncatedAlerts) || (top.truncatedAlerts as number) < 0) c.fail('truncatedAlerts', 'must be a non-negative integer');
    else truncatedAlerts = top.truncatedAlerts as number;
  }
  const alerts: AlertmanagerAlert[] = [];
  if (!Array.isArray(top.alerts)) c.fail('alerts', top.alerts === undefined ? 'is required' : 'must be an array');
  else if (top.alerts.length > MAX_ALERTS) c.fail('alerts', `must hold at most ${MAX_ALERTS} alerts`);
  else {
    top.alerts.forEach((raw, i) => {
      const at = `alerts.${i}`;
      const a = c.object(raw, at);
      if (!a) return;
      const alert = {
        status: c.status(a.status, `${at}.status`),
        labels: c.labels(a.labels, `${at}.labels`, true),
        annotations: c.labels(a.annotations, `${at}.annotations`),
        startsAt: c.time(a.startsAt, `${at}.startsAt`, true),
        endsAt: c.time(a.endsAt, `${at}.endsAt`, false),
        generatorURL: c.string(a.generatorURL, `${at}.generatorURL`),
        fingerprint: c.string(a.fingerprint, `${at}.fingerprint`, { required: true, nonEmpty: true }),
      };
      alerts.push(alert as AlertmanagerAlert);
    });
  }
  if (c.errors.length) throw invalid(c.errors);
  return {
    version: '4',
    groupKey: groupKey!,
    status: status!,
    receiver: receiver ?? null,
    groupLabels: groupLabels!,
    commonLabels: commonLabels!,
    commonAnnotations: commonAnnotations!,
    externalURL: externalURL ?? null,
    truncatedAlerts,
    alerts,
  };
}

function invalid(errors: FieldError[]): AppError {
  const shown = errors.slice(0, 20);
  return new AppError('VALIDATION_FAILED', `not an Alertmanager webhook notification (version 4): ${shown.map((e) => `${e.path}: ${e.message}`).join('; ')}`, shown);
}

// ---- the body as documented in openapi.yaml (validation is parseAlertmanagerNotification) ----

export class AlertmanagerAlertBody {
  @ApiProperty({ enum: STATUSES }) status!: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, example: { alertname: 'SwarmServiceDown', service: 'web' } })
  labels!: Record<string, string>;
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } }) annotations?: Record<string, string>;
  @ApiProperty({ description: 'RFC 3339' }) startsAt!: string;
  @ApiPropertyOptional({ description: 'RFC 3339 (0001-01-01T00:00:00Z while firing)' }) endsAt?: string;
  @ApiPropertyOptional() generatorURL?: string;
  @ApiProperty({ description: "Alertmanager's hash of the alert's labels" }) fingerprint!: string;
}

export class AlertmanagerWebhookBody {
  @ApiProperty({ enum: ['4'] }) version!: string;
  @ApiProperty({ description: 'the alert group across notifications' }) groupKey!: string;
  @ApiProperty({ enum: STATUSES }) status!: string;
  @ApiPropertyOptional() receiver?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } }) groupLabels?: Record<string, string>;
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } }) commonLabels?: Record<string, string>;
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } }) commonAnnotations?: Record<string, string>;
  @ApiPropertyOptional() externalURL?: string;
  @ApiPropertyOptional({ type: 'integer' }) truncatedAlerts?: number;
  @ApiProperty({ type: [AlertmanagerAlertBody] }) alerts!: AlertmanagerAlertBody[];
}
