import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { githubConfig } from '../config/index.js';
import { EventLifecycleService } from '../events/event-lifecycle.service.js';
import { longestCallMs } from '../github/octokit.factory.js';
import { InstallationsService } from '../installations/installations.service.js';
import { PrCommandsService } from '../pr-commands/pr-commands.service.js';
import { filterFiles, skipReason, summaryOnly, withRepoConfig } from '../repo-config/apply-config.js';
import { RepoConfigService } from '../repo-config/repo-config.service.js';
import { REVIEW_ENGINE, type ReviewEngine, type ReviewFile, type ReviewResult } from './engines/review-engine.js';
import { PullRequestReader } from './pull-request.reader.js';
import { ReviewPoster, type PostTarget } from './review.poster.js';

export type ReviewOutcome = 'completed' | 'superseded' | 'skipped';

/** Errors that another attempt cannot fix: fail the event at once. */
export class PermanentReviewError extends Error {}

/** Another run of the same event is posting its review: try again later, never post alongside. */
export class PostInFlightError extends Error {}

/** One review job: claim the event, read the PR, run the engine, post once, record the outcome. */
@Injectable()
export class ReviewService {
  constructor(
    private readonly lifecycle: EventLifecycleService,
    private readonly installations: InstallationsService,
    private readonly reader: PullRequestReader,
    private readonly poster: ReviewPoster,
    private readonly repoConfig: RepoConfigService,
    private readonly commands: PrCommandsService,
    @Inject(REVIEW_ENGINE) private readonly engine: ReviewEngine,
    @Inject(githubConfig.KEY) private readonly github: ConfigType<typeof githubConfig>,
  ) {}

  async run(eventId: string): Promise<ReviewOutcome> {
    const event = await this.lifecycle.claim(eventId);
    if (!event) return 'skipped'; // superseded, already done, or no longer exists
    const installation = await this.installations.findById(event.installationId);
    if (!installation?.active) throw new PermanentReviewError(`${event.repo} is no longer installed`);
    if (event.prNumber === null) throw new PermanentReviewError('Event has no pull request to review');
    const { owner, name } = installation;
    // A `/nectr` command (👀 first): either a review of the PR's current head, or nothing more to do.
    const command = this.commands.isCommand(event) ? await this.commands.take(event, owner, name) : undefined;
    if (command && !command.review) return this.settle(eventId, command.note);
    if (!command && event.headSha === null) throw new PermanentReviewError('Event has no pull request to review');

    // The reads in parallel. Only a claim after the first (a retry, or a job re-run after its
    // worker died) can find this event's review already posted, so only then is it looked for.
    const where = { owner, repo: name, number: event.prNumber, eventId, engine: this.engine.name };
    const [pull, posted, files, settings] = await Promise.all([
      this.reader.get(owner, name, event.prNumber),
      event.attempts > 1 ? this.poster.findPosted({ ...where, headSha: event.headSha ?? '' }) : null,
      this.reader.files(owner, name, event.prNumber),
      this.repoConfig.forReview(owner, name),
    ]);
    if (pull.state !== 'open') {
      await this.lifecycle.supersede(eventId, `Pull request is ${pull.state}`);
      return 'superseded';
    }
    if (!command && pull.headSha !== event.headSha && (await this.lifecycle.hasNewerHead(event))) {
      await this.lifecycle.supersede(eventId, `Head moved on to ${pull.headSha.slice(0, 7)}`);
      return 'superseded';
    }
    const paused = !command && (await this.commands.isPaused(event.installationId, pull.number));
    const skip = skipReason(settings.config, pull, { paused, requested: !!command });
    if (skip) return this.settle(eventId, skip);
    // A command reviews the head the PR has now.
    const target = { ...where, headSha: event.headSha ?? pull.headSha };

    let url = posted;
    if (!url) {
      const scope = filterFiles(settings.config, files);
      const result =
        summaryOnly(settings.config, scope.files) ??
        (await this.engine.review({
          repo: `${owner}/${name}`,
          number: pull.number,
          title: pull.title,
          body: pull.body,
          headSha: target.headSha,
          files: scope.files,
          instructions: settings.config.instructions,
        }));
      url = await this.postOnce(target, withRepoConfig(settings, scope, result), files);
      if (url === null) return 'skipped'; // another run settled the event meanwhile
    }
    await this.lifecycle.complete(eventId, url);
    return 'completed';
  }

  /** Ends an event that posts no review; `why` becomes the event's note once events carry one. */
  private async settle(eventId: string, _why: string): Promise<ReviewOutcome> {
    await this.lifecycle.complete(eventId, null);
    return 'completed';
  }

  /** Posts under the event's posting lease; null when the event is no longer processing. */
  private async postOnce(target: PostTarget, result: ReviewResult, files: ReviewFile[]): Promise<string | null> {
    // Covers a whole post: up to two create calls (the 422 fallback) of the patient client.
    const lease = await this.lifecycle.startPosting(target.eventId, 2 * longestCallMs(this.github.timeoutMs));
    if (lease.state === 'gone') return null;
    if (lease.state === 'busy')
      throw new PostInFlightError('Another run of this event is posting its review; trying again later');
    try {
      const posted = lease.state === 'taken-over' ? await this.poster.findPosted(target) : null;
      return posted ?? (await this.poster.post(target, result, files));
    } catch (error) {
      await this.lifecycle.endPosting(target.eventId, lease.since).catch(() => undefined);
      throw error;
    }
  }
}
