import { Module } from '@nestjs/common';
import { ServicesModule } from '../services/services.module';
import { BuiltinCommands } from './builtin.commands';
import { ChatopsCommands } from './chatops-commands.registry';
import { ChatopsController } from './chatops.controller';
import { ChatopsService } from './chatops.service';

/** Chat commands; other modules import it and add theirs through ChatopsCommands.register. */
@Module({
  imports: [ServicesModule],
  controllers: [ChatopsController],
  providers: [ChatopsCommands, ChatopsService, BuiltinCommands],
  exports: [ChatopsCommands],
})
export class ChatopsModule {}
