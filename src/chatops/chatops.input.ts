import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';

export class ChatCommandInput {
  @ApiProperty({ description: 'the command as typed, e.g. "scale web=5 api=3", "status web", "help"', example: 'scale web=5' })
  @IsString()
  @MaxLength(2000)
  text!: string;
}

/** Slack's slash-command form post (the fields used; Slack sends more, which are ignored). */
export class SlackCommandForm {
  @ApiProperty() text!: string;
  @ApiPropertyOptional() user_name?: string;
}

export class ChatAnswer {
  @ApiProperty({ enum: ['in_channel', 'ephemeral'], description: 'Slack: in_channel for results, ephemeral for mistakes' })
  response_type!: 'in_channel' | 'ephemeral';
  @ApiProperty({ description: 'human-readable answer (Slack mrkdwn)' }) text!: string;
  @ApiPropertyOptional({ description: 'JSON posts: the structured result', type: 'object', additionalProperties: true }) data?: unknown;
}
