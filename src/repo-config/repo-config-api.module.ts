import { Module } from '@nestjs/common';
import { RepoConfigController } from './repo-config.controller.js';
import { RepoConfigModule } from './repo-config.module.js';

/** The configuration API (management), for the roles that serve it. */
@Module({
  imports: [RepoConfigModule],
  controllers: [RepoConfigController],
})
export class RepoConfigApiModule {}
