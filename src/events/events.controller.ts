import {
  Controller,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import { ApiErrors } from '../docs/api-errors.js';
import { Repository } from 'typeorm';
import { ApiTokenGuard } from '../sessions/api-token.guard.js';
import { ListEventsQueryDto } from './dto/list-events.query.dto.js';
import { Event } from './event.entity.js';
import { EventDetailView, EventView, toEventView } from './event.view.js';
import { EventLifecycleService } from './event-lifecycle.service.js';
import { listEventsQuery } from './events-list.query.js';
import { redactSecrets } from './payload-redaction.js';

const uuid = new ParseUUIDPipe({
  version: undefined,
  exceptionFactory: () => new NotFoundException('Event not found'),
});

@ApiTags('events')
@ApiBearerAuth()
@ApiErrors(401, 429)
@Controller('api/v1/events')
@UseGuards(ApiTokenGuard)
export class EventsController {
  constructor(
    @InjectRepository(Event) private readonly events: Repository<Event>,
    private readonly lifecycle: EventLifecycleService,
  ) {}

  /** Newest first, without payloads. */
  @Get()
  @ApiOkResponse({ type: [EventView], description: 'Newest first, without payloads' })
  @ApiErrors(400)
  async list(@Query() query: ListEventsQueryDto) {
    return (await listEventsQuery(this.events, query).getMany()).map(toEventView);
  }

  /** One event, with the payload GitHub delivered. */
  @Get(':id')
  @ApiOkResponse({ type: EventDetailView })
  @ApiErrors(404)
  async get(@Param('id', uuid) id: string): Promise<EventDetailView> {
    const event = await this.events.findOne({ where: { id }, select: selectAll(this.events) });
    if (!event) throw new NotFoundException('Event not found');
    return { ...toEventView(event), payload: redactSecrets(event.payload) as Record<string, unknown> };
  }

  /** A failed event back to pending and onto the queue (409 for any other status). */
  @Post(':id/retry')
  @HttpCode(200)
  @ApiOkResponse({ type: EventView, description: 'The event, pending again and queued' })
  @ApiErrors(404, 409)
  async retry(@Param('id', uuid) id: string) {
    return toEventView(await this.lifecycle.retry(id));
  }
}

function selectAll(repository: Repository<Event>) {
  return Object.fromEntries(repository.metadata.columns.map((c) => [c.propertyName, true]));
}
