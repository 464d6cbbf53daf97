import { Module } from '@nestjs/common';
import { InstallationsModule } from '../installations/installations.module.js';
import { RepoConfigService } from './repo-config.service.js';

/** `.nectr.yml`: reading it (the API is RepoConfigApiModule); review/apply-repo-config.ts holds what each key does to a review. */
@Module({
  imports: [InstallationsModule],
  providers: [RepoConfigService],
  exports: [RepoConfigService],
})
export class RepoConfigModule {}
