import { EngineService } from './engine.types';

/**
 * Labels the control plane writes on services. Blue-green state lives on the services
 * themselves, so it survives any restart of the control plane:
 *
 *   swarm-cp.deployment              id of the deployment that last wrote this spec (rolling)
 *   swarm-cp.bluegreen.of            the stable name both colours serve (e.g. "web")
 *   swarm-cp.bluegreen.color         blue | green
 *   swarm-cp.bluegreen.state         live (has the traffic) | candidate (being tried) | retired (kept for rollback)
 *   swarm-cp.bluegreen.deployment    deployment that created the colour (candidate) or made it live
 *   swarm-cp.bluegreen.since         epoch ms when the colour became live (newest live wins)
 *   swarm-cp.bluegreen.retired-by    deployment that retired the colour
 *   swarm-cp.bluegreen.retire-at     epoch ms after which a retired colour is removed
 *   swarm-cp.bluegreen.replicas      replicas to restore if a retired colour scaled to 0 goes live again
 *
 * Physical names alternate between the stable name (blue) and "<stable>-green", so the stable
 * name is a real service half of the time; reads resolve the stable name to the live colour.
 */
export const DEPLOYMENT_LABEL = 'swarm-cp.deployment';

export const BG = {
  of: 'swarm-cp.bluegreen.of',
  color: 'swarm-cp.bluegreen.color',
  state: 'swarm-cp.bluegreen.state',
  deployment: 'swarm-cp.bluegreen.deployment',
  since: 'swarm-cp.bluegreen.since',
  retiredBy: 'swarm-cp.bluegreen.retired-by',
  retireAt: 'swarm-cp.bluegreen.retire-at',
  replicas: 'swarm-cp.bluegreen.replicas',
} as const;

export type Colour = 'blue' | 'green';

/** The physical service name of a colour of `stable`. */
export function colourName(stable: string, colour: Colour): string {
  return colour === 'blue' ? stable : `${stable}-green`;
}

export function otherColour(c: Colour): Colour {
  return c === 'blue' ? 'green' : 'blue';
}

/** Stable name -> the live colour's service (the newest live one if a switch is half-way). */
export function liveColours(services: EngineService[]): Map<string, EngineService> {
  const out = new Map<string, EngineService>();
  for (const s of services) {
    const l = s.Spec.Labels ?? {};
    const of = l[BG.of];
    if (!of || l[BG.state] !== 'live') continue;
    const prev = out.get(of);
    if (!prev || Number(l[BG.since] ?? 0) > Number(prev.Spec.Labels?.[BG.since] ?? 0)) out.set(of, s);
  }
  return out;
}

/** The stable name a service answers to: its blue-green `of` label, else its own name. */
export function stableName(s: EngineService): string {
  return s.Spec.Labels?.[BG.of] ?? s.Spec.Name ?? s.ID;
}
