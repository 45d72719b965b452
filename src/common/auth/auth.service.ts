import { Inject, Injectable, Logger } from '@nestjs/common';
import { hash, timingSafeEqual } from 'node:crypto';
import { APP_CONFIG, AppConfig, TokenEntry } from '../../config/app-config';
import { AppError } from '../errors';
import { Caller } from './roles';

const ANONYMOUS: Caller = { name: 'anonymous', role: 'admin' };

/** Turns an Authorization header (REST, GraphQL, graphql-ws connection_init) into a Caller. */
@Injectable()
export class AuthService {
  private readonly byHash = new Map<string, TokenEntry>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    for (const t of config.tokens) this.byHash.set(t.sha256, t);
    if (config.authDisabled) new Logger('Auth').warn('AUTH_DISABLED=true: every caller is an anonymous admin');
  }

  get disabled(): boolean {
    return this.config.authDisabled;
  }

  authenticate(header: unknown): Caller {
    if (this.config.authDisabled) return ANONYMOUS;
    if (typeof header !== 'string' || !header) throw new AppError('UNAUTHENTICATED', 'missing bearer token');
    const m = /^Bearer\s+(\S+)$/i.exec(header.trim());
    if (!m) throw new AppError('UNAUTHENTICATED', 'expected "Authorization: Bearer <token>"');
    const digest = hash('sha256', m[1], 'hex');
    const entry = this.byHash.get(digest);
    // Map lookup by digest; compare again in constant time to keep the check explicit.
    if (!entry || !timingSafeEqual(Buffer.from(entry.sha256, 'hex'), Buffer.from(digest, 'hex'))) {
      throw new AppError('UNAUTHENTICATED', 'unknown token');
    }
    return { name: entry.name, role: entry.role, scope: entry.scope };
  }
}
