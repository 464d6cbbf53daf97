import { Body, Controller, Delete, Get, HttpCode, Param, Post, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { ApiTokenGuard } from '../common/api-token.guard.js';
import { InstallRepoDto } from './dto/install-repo.dto.js';
import { RepoParamsDto } from './dto/repo-params.dto.js';
import { toView } from './installation.view.js';
import { InstallationsService } from './installations.service.js';

@Controller('api/v1/repos')
@UseGuards(ApiTokenGuard)
export class InstallationsController {
  constructor(private readonly installations: InstallationsService) {}

  @Get()
  async list() {
    return (await this.installations.list()).map(toView);
  }

  /** 201 when the hook is created, 200 when the repository was already installed. */
  @Post(':owner/:repo/install')
  async install(@Param() params: RepoParamsDto, @Body() body: InstallRepoDto, @Res({ passthrough: true }) res: Response) {
    const { installation, created } = await this.installations.install(params.owner, params.repo, body.events);
    res.status(created ? 201 : 200);
    return toView(installation);
  }

  @Delete(':owner/:repo/install')
  @HttpCode(204)
  async uninstall(@Param() params: RepoParamsDto): Promise<void> {
    await this.installations.uninstall(params.owner, params.repo);
  }

  @Post(':owner/:repo/install/rotate-secret')
  @HttpCode(200)
  async rotateSecret(@Param() params: RepoParamsDto) {
    const { installation, previousValidUntil } = await this.installations.rotateSecret(params.owner, params.repo);
    return { ...toView(installation), rotated_at: new Date().toISOString(), previous_secret_valid_until: previousValidUntil.toISOString() };
  }
}
