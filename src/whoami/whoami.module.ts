import { Module } from '@nestjs/common';
import { WhoamiController } from './whoami.controller';
import { WhoamiResolver } from './whoami.resolver';

/** GET /v1/whoami and GraphQL `whoami`: the caller's token identity (name, role, scope). */
@Module({ controllers: [WhoamiController], providers: [WhoamiResolver] })
export class WhoamiModule {}
