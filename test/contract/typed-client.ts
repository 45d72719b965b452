import { createSwarmClient, data, type Schemas } from '../../clients/typescript/src';

/**
 * Compiled with the tests, never run: it uses the client types generated from openapi.yaml the
 * way deploy automation does, so renaming or retyping one of these fields in the API (and
 * regenerating the contract) breaks `tsc` here before it breaks a pipeline.
 */
export async function deployAndScale(baseUrl: string, token: string): Promise<string> {
  const api = createSwarmClient({ baseUrl, token });
  const svc: Schemas['ServiceDetail'] = data(await api.rest.GET('/v1/services/{name}', { params: { path: { name: 'web' } } }));
  const running: number = svc.replicas.running;
  const desired: number | null | undefined = svc.replicas.desired;

  const queued = data(
    await api.rest.POST('/v1/deployments', {
      body: { service: svc.name, image: 'registry.example/web:2', strategy: 'rolling', rolling: { parallelism: 1, failureAction: 'rollback' }, reason: 'release 2' },
    }),
  );
  const done = await api.waitForDeployment(queued.id, { onUpdate: (d) => void `${d.progress.updated}/${d.progress.total}` });
  const status: 'queued' | 'running' | 'awaiting-promotion' | 'succeeded' | 'failed' | 'rolled-back' | 'cancelled' = done.status;

  const batch = data(await api.rest.POST('/v1/scale', { body: { services: { web: 3, api: 2 }, atomic: true, dryRun: false } }));
  const outcomes: string[] = batch.results.map((r) => `${r.service}: ${r.previous ?? '?'} -> ${r.requested} ${r.status}`);

  const problem = await api.rest.PUT('/v1/services/{name}/replicas', { params: { path: { name: 'web' } }, body: { replicas: 2 } });
  const code: Schemas['ErrorResponse']['code'] | undefined = problem.error?.code;

  for await (const e of api.events({ types: ['deployment'], service: svc.name })) {
    if (e.type === 'deployment' && e.data.id === queued.id) break;
  }
  return [running, desired, status, ...outcomes, code].join(' ');
}
