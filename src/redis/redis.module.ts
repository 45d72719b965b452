import { Global, Module } from '@nestjs/common';
import { RedisLocks } from './redis-lock';
import { RedisService } from './redis.service';

@Global()
@Module({ providers: [RedisService, RedisLocks], exports: [RedisService, RedisLocks] })
export class RedisModule {}
