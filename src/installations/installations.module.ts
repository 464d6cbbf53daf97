import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GithubHooksClient } from './github-hooks.client.js';
import { Installation } from './installation.entity.js';
import { InstallationsService } from './installations.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([Installation])],
  providers: [InstallationsService, GithubHooksClient],
  exports: [InstallationsService],
})
export class InstallationsModule {}
