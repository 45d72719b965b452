import { Injectable } from '@nestjs/common';

/** Replica bounds another module imposes on a service (an enabled autoscaling policy). */
export interface ScaleBounds {
  min: number;
  max: number;
  /** Names the policy, shown to the caller when a scale is refused: "autoscaling policy of web". */
  reason: string;
}

export type ScaleBoundsProvider = (serviceName: string) => Promise<ScaleBounds | null>;

/**
 * The extension point through which other modules (autoscaling) bound manual scaling. Every
 * provider is asked; the tightest range wins and a refusal names the provider's reason.
 */
@Injectable()
export class ScaleBoundsRegistry {
  private readonly providers: ScaleBoundsProvider[] = [];

  register(provider: ScaleBoundsProvider): () => void {
    this.providers.push(provider);
    return () => {
      const i = this.providers.indexOf(provider);
      if (i >= 0) this.providers.splice(i, 1);
    };
  }

  /** Every bound that applies to `serviceName` (none registered: no bounds beyond MAX_REPLICAS). */
  async boundsFor(serviceName: string): Promise<ScaleBounds[]> {
    if (!this.providers.length) return [];
    const all = await Promise.all(this.providers.map((p) => p(serviceName)));
    return all.filter((b): b is ScaleBounds => !!b);
  }
}
