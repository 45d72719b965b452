import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { AppError } from '../errors';
import { Caller } from '../auth/roles';

/**
 * Long-lived streams per token on this process (SSE events, followed logs, GraphQL
 * subscriptions), together bounded by MAX_CONNECTIONS_PER_TOKEN.
 */
@Injectable()
export class StreamConnections {
  private readonly open = new Map<string, number>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Counts one stream for the caller's token; call the returned function (once) when it ends. */
  acquire(caller: Caller): () => void {
    const n = this.open.get(caller.name) ?? 0;
    if (n >= this.config.maxConnectionsPerToken) {
      throw new AppError('TOO_MANY_CONNECTIONS', `token "${caller.name}" already has ${n} open streams (MAX_CONNECTIONS_PER_TOKEN)`);
    }
    this.open.set(caller.name, n + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(caller.name) ?? 1) - 1;
      if (left > 0) this.open.set(caller.name, left);
      else this.open.delete(caller.name);
    };
  }
}
