import { Module } from '@nestjs/common';
import { InstallationsController } from './installations.controller.js';
import { InstallationsModule } from './installations.module.js';

/** The repositories API (management), for the roles that serve it. */
@Module({
  imports: [InstallationsModule],
  controllers: [InstallationsController],
})
export class InstallationsApiModule {}
