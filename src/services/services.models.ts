import { ObjectType } from '@nestjs/graphql';
import { Prop } from '../common/schema';
import { ServiceSummary } from '../swarm/swarm.types';

/** The services, one page of them. */
@ObjectType()
export class ServiceList {
  @Prop(ServiceSummary, { array: true }) items!: ServiceSummary[];
  @Prop('string', { optional: true, description: 'pass it as `cursor` for the next page; null on the last page' }) nextCursor!: string | null;
}
