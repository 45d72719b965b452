import { Inject, Injectable, Logger } from '@nestjs/common';
import { hash, timingSafeEqual } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { AppError } from '../errors';
import { Caller } from './roles';

const ANONYMOUS: Caller = Object.freeze({ name: 'anonymous', role: 'admin' });
const BEARER = /^Bearer\s+(\S+)$/i;

/** A configured token as this process knows it: its caller (one frozen object) and its digest. */
export interface KnownToken {
  caller: Caller;
  /** a key naming the token without revealing it (its digest's start): the rate limiter's bucket */
  key: string;
  digest: Buffer;
}

/** Turns an Authorization header (REST, GraphQL, graphql-ws connection_init) into a Caller. */
@Injectable()
export class AuthService {
  private readonly byHash = new Map<string, KnownToken>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    for (const t of config.tokens) {
      const caller = Object.freeze({ name: t.name, role: t.role, scope: t.scope });
      this.byHash.set(t.sha256, { caller, key: 't:' + t.sha256.slice(0, 22), digest: Buffer.from(t.sha256, 'hex') });
    }
    if (config.authDisabled) new Logger('Auth').warn('AUTH_DISABLED=true: every caller is an anonymous admin');
  }

  get disabled(): boolean {
    return this.config.authDisabled;
  }

  authenticate(header: unknown): Caller {
    if (this.config.authDisabled) return ANONYMOUS;
    if (typeof header !== 'string' || !header) throw new AppError('UNAUTHENTICATED', 'missing bearer token');
    const m = BEARER.exec(header.trim());
    if (!m) throw new AppError('UNAUTHENTICATED', 'expected "Authorization: Bearer <token>"');
    const known = this.known(m[1]);
    if (!known) throw new AppError('UNAUTHENTICATED', 'unknown token');
    return known.caller;
  }

  /**
   * The configured token a header carries, or undefined (no header, not a bearer token, unknown,
   * or authentication disabled): for what needs the caller before any route decides (the rate
   * limiter), without an error. `authenticate` gives the reason a route refuses.
   */
  identify(header: unknown): KnownToken | undefined {
    if (this.config.authDisabled || typeof header !== 'string') return undefined;
    const m = BEARER.exec(header.trim());
    return m ? this.known(m[1]) : undefined;
  }

  private known(token: string): KnownToken | undefined {
    const digest = hash('sha256', token, 'hex');
    const known = this.byHash.get(digest);
    // Map lookup by digest; compare again in constant time to keep the check explicit.
    return known && timingSafeEqual(known.digest, Buffer.from(digest, 'hex')) ? known : undefined;
  }
}
