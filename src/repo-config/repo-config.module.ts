import { Module } from '@nestjs/common';
import { InstallationsModule } from '../installations/installations.module.js';
import { RepoConfigController } from './repo-config.controller.js';
import { RepoConfigService } from './repo-config.service.js';

/** `.nectr.yml`: reading it, the config API; apply-config.ts holds what each key does to a review. */
@Module({
  imports: [InstallationsModule],
  controllers: [RepoConfigController],
  providers: [RepoConfigService],
  exports: [RepoConfigService],
})
export class RepoConfigModule {}
