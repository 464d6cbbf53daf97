import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { githubConfig } from '../config/index.js';
import { EventLifecycleService } from '../events/event-lifecycle.service.js';
import { longestCallMs } from '../github/octokit.factory.js';
import { InstallationsService } from '../installations/installations.service.js';
import { REVIEW_ENGINE, type ReviewEngine, type ReviewFile, type ReviewResult } from './engines/review-engine.js';
import { FileContentReader } from './file-content.reader.js';
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
    private readonly contents: FileContentReader,
    @Inject(REVIEW_ENGINE) private readonly engine: ReviewEngine,
    @Inject(githubConfig.KEY) private readonly github: ConfigType<typeof githubConfig>,
  ) {}

  async run(eventId: string): Promise<ReviewOutcome> {
    const event = await this.lifecycle.claim(eventId);
    if (!event) return 'skipped'; // superseded, already done, or no longer exists
    const installation = await this.installations.findById(event.installationId);
    if (!installation?.active) throw new PermanentReviewError(`${event.repo} is no longer installed`);
    if (event.prNumber === null || event.headSha === null)
      throw new PermanentReviewError('Event has no pull request to review');
    const { owner, name } = installation;
    const target = {
      owner,
      repo: name,
      number: event.prNumber,
      eventId,
      headSha: event.headSha,
      engine: this.engine.name,
    };

    // The three reads in parallel. Only a claim after the first (a retry, or a job re-run after its
    // worker died) can find this event's review already posted, so only then is it looked for.
    const [pull, posted, files] = await Promise.all([
      this.reader.get(owner, name, event.prNumber),
      event.attempts > 1 ? this.poster.findPosted(target) : null,
      this.reader.files(owner, name, event.prNumber),
    ]);
    if (pull.state !== 'open') {
      await this.lifecycle.supersede(eventId, `Pull request is ${pull.state}`);
      return 'superseded';
    }
    if (pull.headSha !== event.headSha && (await this.lifecycle.hasNewerHead(event))) {
      await this.lifecycle.supersede(eventId, `Head moved on to ${pull.headSha.slice(0, 7)}`);
      return 'superseded';
    }

    let url = posted;
    if (!url) {
      const result = await this.engine.review({
        repo: `${owner}/${name}`,
        number: pull.number,
        title: pull.title,
        body: pull.body,
        headSha: event.headSha,
        files,
        readFile: this.contents.at(owner, name, event.headSha),
      });
      url = await this.postOnce(target, result, files);
      if (url === null) return 'skipped'; // another run settled the event meanwhile
    }
    await this.lifecycle.complete(eventId, url);
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
