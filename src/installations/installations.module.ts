import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GithubHooksClient } from './github-hooks.client.js';
import { HookChanges } from './hook-changes.js';
import { Installation } from './installation.entity.js';
import { InstallationsService } from './installations.service.js';
import { SecretsBootCheck } from './secrets-boot-check.js';

@Module({
  imports: [TypeOrmModule.forFeature([Installation])],
  providers: [InstallationsService, HookChanges, GithubHooksClient, SecretsBootCheck],
  exports: [InstallationsService],
})
export class InstallationsModule {}
