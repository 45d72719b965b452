import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentCaller, RequireRole } from '../common/auth/decorators';
import { Caller } from '../common/auth/roles';
import { DeployInput, DeploymentsQuery, RollbackServiceInput } from './deploy.input';
import { DeploymentList, DeploymentView } from './deployment.types';
import { DeploymentsService } from './deployments.service';
import { ApiErrors } from '../common/openapi/api-errors';

@ApiTags('deployments')
@ApiBearerAuth()
@Controller()
export class DeploymentsController {
  constructor(private readonly deployments: DeploymentsService) {}

  @Post('v1/deployments')
  @HttpCode(202)
  @RequireRole('deployer')
  @ApiOperation({ summary: 'Deploy an image (rolling or blue-green)' })
  @ApiErrors('SERVICE_NOT_FOUND', 'INVALID_STATE')
  @ApiAcceptedResponse({ type: DeploymentView, description: 'queued; Location names the deployment', headers: { Location: { description: 'the deployment', schema: { type: 'string' } } } })
  async deploy(@Body() input: DeployInput, @CurrentCaller() caller: Caller, @Res({ passthrough: true }) reply: FastifyReply): Promise<DeploymentView> {
    return located(reply, await this.deployments.deploy(input, caller));
  }

  @Get('v1/deployments')
  @RequireRole('viewer')
  @ApiOperation({ summary: 'List deployments, newest first' })
  @ApiOkResponse({ type: DeploymentList })
  async list(@Query() q: DeploymentsQuery, @CurrentCaller() caller: Caller): Promise<DeploymentList> {
    return { items: await this.deployments.list(q, caller) };
  }

  @Get('v1/deployments/:id')
  @RequireRole('viewer')
  @ApiOperation({ summary: 'Get a deployment' })
  @ApiErrors('DEPLOYMENT_NOT_FOUND')
  @ApiOkResponse({ type: DeploymentView })
  get(@Param('id') id: string, @CurrentCaller() caller: Caller): Promise<DeploymentView> {
    return this.deployments.get(id, caller);
  }

  @Post('v1/deployments/:id/promote')
  @HttpCode(202)
  @RequireRole('deployer')
  @ApiOperation({ summary: 'Promote a blue-green deployment awaiting promotion' })
  @ApiErrors('DEPLOYMENT_NOT_FOUND', 'INVALID_STATE')
  @ApiAcceptedResponse({ type: DeploymentView })
  promote(@Param('id') id: string, @CurrentCaller() caller: Caller): Promise<DeploymentView> {
    return this.deployments.promote(id, caller);
  }

  @Post('v1/deployments/:id/cancel')
  @HttpCode(202)
  @RequireRole('deployer')
  @ApiOperation({ summary: 'Cancel a queued or running deployment' })
  @ApiErrors('DEPLOYMENT_NOT_FOUND', 'INVALID_STATE')
  @ApiAcceptedResponse({ type: DeploymentView })
  cancel(@Param('id') id: string, @CurrentCaller() caller: Caller): Promise<DeploymentView> {
    return this.deployments.cancel(id, caller);
  }

  @Post('v1/deployments/:id/rollback')
  @HttpCode(202)
  @RequireRole('deployer')
  @ApiOperation({ summary: 'Roll a deployment back' })
  @ApiErrors('DEPLOYMENT_NOT_FOUND', 'INVALID_STATE')
  @ApiAcceptedResponse({
    type: DeploymentView,
    description: 'the deployment (rolled back by its worker) or, for a succeeded one, the new rollback deployment',
    headers: { Location: { description: 'the deployment', schema: { type: 'string' } } },
  })
  async rollback(@Param('id') id: string, @CurrentCaller() caller: Caller, @Res({ passthrough: true }) reply: FastifyReply): Promise<DeploymentView> {
    return located(reply, await this.deployments.rollback(id, caller));
  }

  @Post('v1/services/:name/rollback')
  @HttpCode(202)
  @RequireRole('deployer')
  @ApiOperation({ summary: 'Roll a service back to its previous spec' })
  @ApiErrors('SERVICE_NOT_FOUND', 'INVALID_STATE')
  @ApiAcceptedResponse({ type: DeploymentView, description: 'a deployment back to the previous spec', headers: { Location: { description: 'the deployment', schema: { type: 'string' } } } })
  async rollbackService(
    @Param('name') name: string,
    @Body() input: RollbackServiceInput,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DeploymentView> {
    return located(reply, await this.deployments.rollbackService(name, input.reason, caller));
  }
}

function located(reply: FastifyReply, d: DeploymentView): DeploymentView {
  reply.header('Location', `/v1/deployments/${d.id}`);
  return d;
}
