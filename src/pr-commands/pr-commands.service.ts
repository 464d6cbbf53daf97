import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { Event } from '../events/event.entity.js';
import { EventLifecycleService } from '../events/event-lifecycle.service.js';
import { GITHUB_CLIENT } from '../github/github.module.js';
import type { GithubClient } from '../github/octokit.factory.js';
import { commandOf, helpText } from './pr-command.js';
import { PullRequestPause } from './pull-request-pause.entity.js';

/** What a command asks of the review job: a review now, or nothing more (with why, for the event). */
export type CommandOutcome = { review: true } | { review: false; note: string };

interface CommentFacts {
  id: number;
  body: string;
  login: string;
}

/** Runs `/nectr` commands the intake took (an issue_comment event queued like any review). */
@Injectable()
export class PrCommandsService {
  constructor(
    @InjectRepository(PullRequestPause) private readonly pauses: Repository<PullRequestPause>,
    private readonly events: EventLifecycleService,
    @Inject(GITHUB_CLIENT) private readonly github: GithubClient,
  ) {}

  /** Whether this event is a command rather than a pull_request delivery. */
  isCommand(event: Event): boolean {
    return event.githubEvent === 'issue_comment';
  }

  isPaused(installationId: string, prNumber: number): Promise<boolean> {
    return this.pauses.existsBy({ installationId, prNumber });
  }

  /** Reacts 👀 on the comment (GitHub keeps one reaction per user, so a retry adds none), then acts. */
  async take(event: Event, owner: string, repo: string): Promise<CommandOutcome> {
    const comment = await this.comment(event.id);
    await this.github.rest.reactions.createForIssueComment({ owner, repo, comment_id: comment.id, content: 'eyes' });
    const number = event.prNumber!;
    const command = commandOf(comment.body);
    switch (command) {
      case 'review':
        return { review: true };
      case 'pause':
        await this.pauses
          .createQueryBuilder()
          .insert()
          .values({ installationId: event.installationId, prNumber: number, pausedBy: comment.login.slice(0, 100) })
          .orIgnore()
          .execute();
        return { review: false, note: `Automatic reviews paused by ${comment.login}` };
      case 'resume':
        await this.pauses.delete({ installationId: event.installationId, prNumber: number });
        return { review: false, note: `Automatic reviews resumed by ${comment.login}` };
      default: {
        const unknown = command === 'unknown' ? comment.body.split(/\r?\n/, 1)[0].trim().slice(0, 100) : undefined;
        await this.replyOnce(
          { owner, repo, number, eventId: event.id, retried: event.attempts > 1 },
          helpText(unknown),
        );
        return { review: false, note: 'Replied with the list of commands' };
      }
    }
  }

  /**
   * Posts one reply per event, like ReviewPoster's review: a hidden marker names the event, the POST
   * is never resent blindly (a timeout may come after GitHub created it), and a retried job looks
   * for the marker first.
   */
  private async replyOnce(
    where: { owner: string; repo: string; number: number; eventId: string; retried: boolean },
    text: string,
  ): Promise<void> {
    const { owner, repo, number } = where;
    const marker = `<!-- nectr-command:event=${where.eventId} -->`;
    const posted = async () =>
      (
        await this.github.paginate(this.github.rest.issues.listComments, {
          owner,
          repo,
          issue_number: number,
          per_page: 100,
        })
      ).some((comment) => comment.body?.includes(marker));
    if (where.retried && (await posted())) return;
    try {
      await this.github.rest.issues.createComment({
        owner,
        repo,
        issue_number: number,
        body: `${text}\n\n${marker}`,
        request: { retries: 0 },
      });
    } catch (error) {
      if (await posted().catch(() => false)) return;
      throw error;
    }
  }

  private async comment(eventId: string): Promise<CommentFacts> {
    const payload = await this.events.payloadOf(eventId);
    const comment = payload?.comment as { id?: unknown; body?: unknown; user?: { login?: unknown } } | undefined;
    if (typeof comment?.id !== 'number' || typeof comment.body !== 'string')
      throw new Error(`Event ${eventId} carries no comment`);
    return {
      id: comment.id,
      body: comment.body,
      login: typeof comment.user?.login === 'string' ? comment.user.login : 'someone',
    };
  }
}
