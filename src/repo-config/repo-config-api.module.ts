import { Module } from '@nestjs/common';
import { InstallationsModule } from '../installations/installations.module.js';
import { RepoConfigController } from './repo-config.controller.js';
import { RepoConfigModule } from './repo-config.module.js';

/** The configuration API (management), for the roles that serve it. */
@Module({
  imports: [InstallationsModule, RepoConfigModule],
  controllers: [RepoConfigController],
})
export class RepoConfigApiModule {}
