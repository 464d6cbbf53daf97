import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GithubHooksClient } from './github-hooks.client.js';
import { Installation } from './installation.entity.js';
import { InstallationsController } from './installations.controller.js';
import { InstallationsService } from './installations.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([Installation])],
  controllers: [InstallationsController],
  providers: [InstallationsService, GithubHooksClient],
  exports: [InstallationsService],
})
export class InstallationsModule {}
