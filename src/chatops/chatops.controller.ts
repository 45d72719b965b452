import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/auth/decorators';
import { ChatAnswer, ChatCommandInput } from './chatops.input';
import { ChatopsService } from './chatops.service';
import { ApiErrors } from '../common/openapi/api-errors';

@ApiTags('chatops')
@Controller('v1/chatops')
export class ChatopsController {
  constructor(private readonly chatops: ChatopsService) {}

  /** Public to the guard only: the handler requires a bearer token or a valid Slack signature. */
  @Post('commands')
  @Public()
  @ApiBearerAuth()
  @ApiSecurity('slackSignature')
  @ApiOperation({ summary: 'Run a chat command' })
  @ApiErrors('UNAUTHENTICATED', 'FORBIDDEN', 'SERVICE_NOT_FOUND')
  @HttpCode(200)
  @ApiConsumes('application/json', 'application/x-www-form-urlencoded')
  @ApiBody({ type: ChatCommandInput, description: 'JSON `{ text }` with a bearer token, or a Slack slash-command form post (text, user_name) signed with X-Slack-Signature' })
  @ApiOkResponse({ type: ChatAnswer })
  command(@Req() req: { headers: Record<string, string | string[] | undefined>; body: unknown; rawBody?: Buffer }): Promise<ChatAnswer> {
    return this.chatops.handle({ headers: req.headers, body: req.body, rawBody: req.rawBody });
  }
}
