import { Body, Controller, Delete, Get, HttpCode, Param, Post, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiErrors } from '../docs/api-errors.js';
import { ApiTokenGuard } from '../sessions/api-token.guard.js';
import { InstallRepoDto } from './dto/install-repo.dto.js';
import { RepoParamsDto } from './dto/repo-params.dto.js';
import { InstallationView, RotatedInstallationView, toView } from './installation.view.js';
import { InstallationsService } from './installations.service.js';

@ApiTags('repositories')
@ApiBearerAuth()
@ApiErrors(401, 429)
@Controller('api/v1/repos')
@UseGuards(ApiTokenGuard)
export class InstallationsController {
  constructor(private readonly installations: InstallationsService) {}

  @Get()
  @ApiOkResponse({ type: [InstallationView], description: 'Installations, never a secret' })
  async list() {
    return (await this.installations.list()).map(toView);
  }

  /** 201 when the hook is created, 200 when the repository was already installed. */
  @Post(':owner/:repo/install')
  @ApiCreatedResponse({
    type: InstallationView,
    description: 'Hook created on GitHub with a new 32-byte secret, stored encrypted',
  })
  @ApiOkResponse({
    type: InstallationView,
    description: 'Already installed: the same hook (re-created if it was deleted on GitHub)',
  })
  @ApiErrors(400, 404, 422, 502, 503)
  async install(
    @Param() params: RepoParamsDto,
    @Body() body: InstallRepoDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { installation, created } = await this.installations.install(params.owner, params.repo, body.events);
    res.status(created ? 201 : 200);
    return toView(installation);
  }

  @Delete(':owner/:repo/install')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Hook deleted on GitHub (or already gone), installation deactivated' })
  @ApiErrors(400, 404, 502, 503)
  async uninstall(@Param() params: RepoParamsDto): Promise<void> {
    await this.installations.uninstall(params.owner, params.repo);
  }

  @Post(':owner/:repo/install/rotate-secret')
  @HttpCode(200)
  @ApiOkResponse({
    type: RotatedInstallationView,
    description: 'New secret on GitHub and here; the previous one still verifies for SECRET_ROTATION_GRACE_SECONDS',
  })
  @ApiErrors(400, 404, 422, 502, 503)
  async rotateSecret(@Param() params: RepoParamsDto): Promise<RotatedInstallationView> {
    const { installation, previousValidUntil } = await this.installations.rotateSecret(params.owner, params.repo);
    return {
      ...toView(installation),
      rotated_at: new Date().toISOString(),
      previous_secret_valid_until: previousValidUntil.toISOString(),
    };
  }
}
