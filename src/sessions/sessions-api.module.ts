import { Module } from '@nestjs/common';
import { SessionsController } from './sessions.controller.js';

/** The sign-in routes of the web UI, for the roles that serve the API (SessionsModule is global). */
@Module({
  controllers: [SessionsController],
})
export class SessionsApiModule {}
