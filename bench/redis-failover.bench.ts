import 'reflect-metadata';
import { client, engineCreateService, removeServices, startApp, uniqueName, waitFor } from '../test/support/harness';
import { SentinelSet } from '../test/support/redis-sentinel';
import { fmtMs, line, sleep, stats } from './support';

/**
 * Redis failover, repeated (not a test): a master, a replica and three Sentinels; keyed writes
 * (an autoscaling policy: an idempotency record, the policy, an audit entry) fired every 50 ms
 * without waiting for each other; kill -9 of the master; then the killed server is started
 * again (it comes back as a replica) and the next round begins. Reports how long writes were
 * refused (first refusal to the first write accepted after it) and whether any acknowledged
 * write lost its audit entry or its idempotency record.
 *   FAILOVER_ROUNDS (5), FAILOVER_DOWN_AFTER_MS (Sentinel down-after-milliseconds, 1000),
 *   FAILOVER_WAIT_REPLICAS (REDIS_WAIT_REPLICAS, 1; 0: without WAIT. On one machine the replica is
 *   never measurably behind, so nothing is lost either way; WAIT matters with a replica that lags.)
 */
const ROUNDS = Number(process.env.FAILOVER_ROUNDS ?? 5);
const DOWN_AFTER_MS = Number(process.env.FAILOVER_DOWN_AFTER_MS ?? 1000);
const WAIT_REPLICAS = process.env.FAILOVER_WAIT_REPLICAS ?? '1';
const EVERY_MS = 50;

interface Answer {
  sentAt: number;
  status: number;
  code: string;
  key: string;
  body: unknown;
  requestId: string;
}

async function main(): Promise<void> {
  const ha = new SentinelSet({ downAfterMs: DOWN_AFTER_MS, failoverTimeoutMs: Math.max(5000, DOWN_AFTER_MS * 3) });
  await ha.start();
  const svc = uniqueName('rha-bench');
  await engineCreateService(svc, { replicas: 1, extra: { TaskTemplate: { Resources: { Limits: { NanoCPUs: 0.1e9 } } } } });
  const t = await startApp({ ...ha.env(), ROLE: 'api', REDIS_WAIT_REPLICAS: WAIT_REPLICAS, RATE_LIMIT_PER_MINUTE: '1000000' });
  const api = client(t.url, 'admin');
  await waitFor('service in the read model', async () => (await api.get(`/v1/services/${svc}`)).status === 200, 60_000);

  const refused: number[] = [];
  const killToAccepted: number[] = [];
  let acked = 0;
  let lostAudit = 0;
  let lostIdem = 0;
  let otherAnswers = 0;
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      await ha.settled(await ha.masterPort());
      const answers: Answer[] = [];
      const inflight = new Set<Promise<void>>();
      let n = 0;
      const timer = setInterval(() => {
        const key = `bench-${round}-${n}`;
        const body = { minReplicas: 1, maxReplicas: 2 + (n++ % 3), metric: 'cpu', targetPercent: 50 };
        const sentAt = Date.now();
        const p = api
          .put(`/v1/services/${svc}/autoscaling`, body, { 'idempotency-key': key })
          .then((r) => void answers.push({ sentAt, status: r.status, code: r.body?.code ?? '', key, body, requestId: r.headers.get('x-request-id') ?? '' }))
          .catch(() => void answers.push({ sentAt, status: 0, code: 'no answer', key, body, requestId: '' }))
          .finally(() => inflight.delete(p));
        inflight.add(p);
      }, EVERY_MS);
      await sleep(1000);
      const old = await ha.killMaster();
      const killedAt = Date.now();
      await waitFor('a new master', async () => (await ha.masterPort()) !== old, 60_000, 50);
      await waitFor('a write accepted after a refusal', async () => {
        const first = answers.find((a) => a.sentAt >= killedAt && a.status !== 200);
        return !!first && answers.some((a) => a.status === 200 && a.sentAt > first.sentAt);
      }, 60_000, 50);
      await sleep(1000);
      clearInterval(timer);
      await Promise.all([...inflight]);

      const firstRefused = answers.filter((a) => a.sentAt >= killedAt && a.status !== 200).sort((a, b) => a.sentAt - b.sentAt)[0];
      const backAt = answers.filter((a) => a.status === 200 && a.sentAt > firstRefused.sentAt).sort((a, b) => a.sentAt - b.sentAt)[0].sentAt;
      refused.push(backAt - firstRefused.sentAt);
      killToAccepted.push(backAt - killedAt);
      otherAnswers += answers.filter((a) => a.status !== 200 && !(a.status === 503 && a.code === 'REDIS_UNAVAILABLE')).length;

      const ok = answers.filter((a) => a.status === 200);
      acked += ok.length;
      const audit = await api.get(`/v1/audit?service=${svc}&since=${new Date(answers[0].sentAt - 1000).toISOString()}&limit=1000`);
      const audited = new Set((audit.body.items as any[]).map((e) => e.requestId));
      const roundLostAudit = ok.filter((a) => !audited.has(a.requestId)).length;
      let roundLostIdem = 0;
      for (const a of ok) {
        const r = await api.put(`/v1/services/${svc}/autoscaling`, a.body, { 'idempotency-key': a.key });
        if (r.headers.get('idempotent-replayed') !== 'true') roundLostIdem++;
      }
      lostAudit += roundLostAudit;
      lostIdem += roundLostIdem;
      console.log(
        `round ${round}: master ${old} killed; writes refused for ${fmtMs(refused.at(-1)!)} (kill -> accepted ${fmtMs(killToAccepted.at(-1)!)}); ` +
          `${ok.length} acknowledged, lost: ${roundLostAudit} audit entries, ${roundLostIdem} idempotency records`,
      );
      ha.restartData(old);
    }
  } finally {
    await t.close();
    await ha.stop();
    await removeServices('t-rha-bench');
  }
  console.log(`Redis failover x${ROUNDS} (Sentinel down-after-milliseconds ${DOWN_AFTER_MS}, REDIS_WAIT_REPLICAS ${WAIT_REPLICAS}), a keyed write every ${EVERY_MS} ms`);
  console.log(line('  writes refused (first refusal -> accepted)', stats(refused)));
  console.log(line('  kill -> first write accepted', stats(killToAccepted)));
  console.log(`  acknowledged ${acked}; lost: ${lostAudit} audit entries, ${lostIdem} idempotency records; answers other than 200 or 503 REDIS_UNAVAILABLE: ${otherAnswers}`);
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
