import { Controller, Get, NotFoundException, Param, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiTokenGuard } from '../sessions/api-token.guard.js';
import { ApiErrors } from '../docs/api-errors.js';
import { RepoParamsDto } from '../installations/dto/repo-params.dto.js';
import { toHttpError } from '../installations/github-hooks.client.js';
import { InstallationsService } from '../installations/installations.service.js';
import { RepoConfigService } from './repo-config.service.js';
import { RepoConfigView, toConfigView } from './repo-config.view.js';

@ApiTags('repositories')
@ApiBearerAuth()
@ApiErrors(401, 429)
@Controller('api/v1/repos')
@UseGuards(ApiTokenGuard)
export class RepoConfigController {
  constructor(
    private readonly installations: InstallationsService,
    private readonly configs: RepoConfigService,
  ) {}

  @Get(':owner/:repo/config')
  @ApiOkResponse({
    type: RepoConfigView,
    description:
      "The effective review configuration: defaults, the operator's REPO_CONFIG_DEFAULTS, then the repository's .nectr.yml (default branch); where each value came from; the file's error if it is broken",
  })
  @ApiErrors(400, 404, 502, 503)
  async show(@Param() params: RepoParamsDto): Promise<RepoConfigView> {
    const installation = await this.installations.findActive(`${params.owner}/${params.repo}`, false);
    if (!installation) throw new NotFoundException(`${params.owner}/${params.repo} is not installed`);
    try {
      return toConfigView(installation.fullName, await this.configs.forRequest(installation.owner, installation.name));
    } catch (error) {
      throw toHttpError(error, installation.fullName);
    }
  }
}
