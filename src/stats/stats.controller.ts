import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiTokenGuard } from '../sessions/api-token.guard.js';
import { ApiErrors } from '../docs/api-errors.js';
import { OverviewQueryDto } from './dto/overview.query.dto.js';
import { OverviewView, RepoStatsView } from './stats.view.js';
import { StatsService } from './stats.service.js';

/** What the web UI shows beyond the resources themselves; the bearer token works here too. */
@ApiTags('stats')
@ApiBearerAuth()
@ApiErrors(401, 429)
@Controller('api/v1/stats')
@UseGuards(ApiTokenGuard)
export class StatsController {
  constructor(private readonly stats: StatsService) {}

  @Get('overview')
  @ApiOkResponse({ type: OverviewView })
  @ApiErrors(400)
  overview(@Query() query: OverviewQueryDto): Promise<OverviewView> {
    return this.stats.overview(query.window ?? 'hour');
  }

  @Get('repos')
  @ApiOkResponse({
    type: [RepoStatsView],
    description: 'Per repository that has events: counts by status and the latest delivery',
  })
  repos(): Promise<RepoStatsView[]> {
    return this.stats.repos();
  }
}
