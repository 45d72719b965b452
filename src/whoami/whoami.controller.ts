import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, RequireRole } from '../common/auth/decorators';
import { Caller } from '../common/auth/roles';
import { whoami, WhoamiView } from './whoami.types';

@ApiTags('auth')
@ApiBearerAuth()
@Controller('v1/whoami')
export class WhoamiController {
  @Get()
  @RequireRole('viewer')
  @ApiOperation({ summary: "The calling token's name, role and scope" })
  @ApiOkResponse({ type: WhoamiView, description: "the token's identity: clients show only the actions its role may use" })
  get(@CurrentCaller() caller: Caller): WhoamiView {
    return whoami(caller);
  }
}
