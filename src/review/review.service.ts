import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { githubConfig } from '../config/index.js';
import {
  EventLifecycleService,
  type ClockReading,
  type LastReviewed,
  type PostingLease,
} from '../events/event-lifecycle.service.js';
import type { Event } from '../events/event.entity.js';
import { NOT_REVIEWED_NOTE } from '../events/event-status.js';
import { longestCallMs } from '../github/octokit.factory.js';
import { InstallationsService } from '../installations/installations.service.js';
import { PrCommandsService } from '../pr-commands/pr-commands.service.js';
import {
  applyRules,
  filterFiles,
  findingScope,
  SUMMARY_ONLY,
  pullRequestFacts,
  skipReason,
  summaryOnly,
  withCurrentCustomRules,
  withRepoConfig,
} from './apply-repo-config.js';
import { RepoConfigService } from '../repo-config/repo-config.service.js';
import { REVIEW_ENGINE, type ReviewEngine, type ReviewFile } from './engines/review-engine.js';
import { CommitStatusClient } from './commit-status.client.js';
import type { MarkedFinding } from './findings/fingerprint.js';
import { DEFAULT_FAIL_ON, markFindings, splitOpen, statusFor, type FailOn } from './findings/open-findings.js';
import { PostedFindingsReader, type PostedState } from './findings/posted-findings.reader.js';
import { ReviewThreads } from './findings/review-threads.service.js';
import { FileContentReader } from './file-content.reader.js';
import { MAX_PULL_FILES, PullRequestReader, type CompareResult } from './pull-request.reader.js';
import type { ReviewContent } from './review-body.js';
import { ReviewPoster, StalePostError, type PostTarget } from './review.poster.js';

export type ReviewOutcome = 'completed' | 'superseded' | 'skipped';

/** Errors that another attempt cannot fix: fail the event at once. */
export class PermanentReviewError extends Error {}

/** Another run is posting a review of this PR (this event's or another's): try again later, never post alongside. */
export class PostInFlightError extends Error {}

/** Per-repository choices (the repository configuration supplies them; these are the defaults). */
export interface ReviewSettings {
  failOn: FailOn;
}
export const DEFAULT_SETTINGS: ReviewSettings = { failOn: DEFAULT_FAIL_ON };

/** A review posted (or found posted by an earlier run), or nothing left to say since the head `since`. */
type Posted = { url: string } | { since: string };

/** How long a review waits for another review of the same PR to finish posting, polling every PULL_POLL_MS. */
const PULL_WAIT_MS = 60_000;
const PULL_POLL_MS = 500;

const short = (sha: string): string => sha.slice(0, 7);

/** `pull_request.base.ref` of a delivered pull request, when it has one (a command's event has none). */
function baseRef(pull: Record<string, unknown> | null): string | null {
  const base = pull?.base as { ref?: unknown } | undefined;
  return typeof base?.ref === 'string' ? base.ref : null;
}

/**
 * One review job: claim the event, set the `nectr` status pending, review the PR (or only the
 * commits since the last reviewed head), drop what Nectr already said, resolve the threads of fixed
 * findings and reopen those of findings back again, post once (nothing when nothing is new), set the
 * status, record the outcome.
 */
@Injectable()
export class ReviewService {
  private readonly logger = new Logger(ReviewService.name);

  constructor(
    private readonly lifecycle: EventLifecycleService,
    private readonly installations: InstallationsService,
    private readonly reader: PullRequestReader,
    private readonly postedFindings: PostedFindingsReader,
    private readonly threads: ReviewThreads,
    private readonly statuses: CommitStatusClient,
    private readonly poster: ReviewPoster,
    private readonly repoConfig: RepoConfigService,
    private readonly commands: PrCommandsService,
    private readonly contents: FileContentReader,
    @Inject(REVIEW_ENGINE) private readonly engine: ReviewEngine,
    @Inject(githubConfig.KEY) private readonly github: ConfigType<typeof githubConfig>,
  ) {}

  async run(eventId: string, settings: ReviewSettings = DEFAULT_SETTINGS): Promise<ReviewOutcome> {
    const event = await this.lifecycle.claim(eventId);
    if (!event) return 'skipped'; // superseded, already done, or no longer exists
    const installation = await this.installationOf(event);
    if (event.prNumber === null) throw new PermanentReviewError('Event has no pull request to review');
    // A `/nectr` command: 👀, then a full review of the PR's current head, or nothing more to do.
    const command = this.commands.isCommand(event)
      ? await this.commands.take(event, installation.owner, installation.name)
      : undefined;
    if (command && !command.review) return this.settle(eventId, command.note);
    const current = command ? await this.reader.get(installation.owner, installation.name, event.prNumber) : null;
    if (current && current.state !== 'open') return this.supersede(eventId, `Pull request is ${current.state}`);
    const target = this.targetOf(event, installation, current?.headSha);
    const { owner, repo, number } = target;
    if (await this.replaced(event, target, current?.headSha)) {
      // An earlier run of this event (a retry, or a worker that died) may have set `pending` here.
      if (event.attempts > 1) await this.leavePending(event, target, 'A newer head was delivered');
      return this.supersede(eventId, 'A newer head was delivered');
    }

    const [config, paused, delivered] = await Promise.all([
      this.repoConfig.forReview(owner, repo),
      command ? false : this.commands.isPaused(event.installationId, number),
      this.lifecycle.pullRequestOf(eventId),
    ]);
    const skip = skipReason(config.config, current ?? pullRequestFacts(delivered), { paused, requested: !!command });
    if (skip) {
      // A head that is not reviewed still gets a verdict, so a required `nectr` status does not
      // block the merge for ever (a skipped author's PR); one a review already judged keeps it.
      if (!(await this.lifecycle.reviewedBefore(event, target.headSha))) {
        const url = current?.htmlUrl ?? delivered?.html_url;
        await this.statuses.set(target, 'success', skip, typeof url === 'string' ? url : undefined);
      }
      return this.settle(eventId, skip);
    }
    settings = { ...settings, failOn: config.config.status.fail_on };
    if (command) await this.lifecycle.recordReviewedHead(eventId, target.headSha);
    await this.statuses.set(target, 'pending', 'Reviewing…');

    const last = await this.lifecycle.lastReviewed(event);
    const lastHead = last?.head ?? null;
    const pull = current ? { title: current.title, body: current.body, html_url: current.htmlUrl } : delivered;
    const findable = findingScope(config.config);
    const [allFiles, range] = await Promise.all([
      this.reader.files(owner, repo, number),
      event.action === 'synchronize' && last ? this.rangeSince(last, findable, delivered, target) : null,
    ]);
    // paths.ignore: ignored files are never sent to an engine, nor judged open or fixed.
    const scope = filterFiles(config.config, allFiles);
    const files = scope.files;
    const rangeFiles =
      range && 'files' in range ? filterFiles(config.config, renamedAsInPull(range.files, allFiles)).files : null;
    if (range && 'full' in range) this.logger.log(`Reviewing all of ${owner}/${repo}#${number}: ${range.full}`);
    // review.max_files counts the whole PR, on a push too: past it, no file is reviewed.
    const overLimit = summaryOnly(config.config, files);
    const reviewed = { files: overLimit ? [] : (rangeFiles ?? files), ignored: scope.ignored };
    const engineResult =
      overLimit ??
      (await this.engine.review({
        repo: `${owner}/${repo}`,
        number,
        title: typeof pull?.title === 'string' ? pull.title : '',
        body: typeof pull?.body === 'string' ? pull.body : null,
        headSha: target.headSha,
        files: reviewed.files,
        ...(rangeFiles ? { pullRequestFiles: files } : {}),
        instructions: config.config.instructions,
        readFile: this.contents.at(owner, repo, target.headSha),
      }));
    const result = withRepoConfig(config, reviewed, engineResult);
    const found = markFindings(result.findings, files, rangeFiles ?? []);

    const readAt = await this.lifecycle.readClock();
    const posted = await this.postedFindings.read(owner, repo, number, eventId);
    const fresh = newFindings(found, posted.findings);
    // A finding in an ignored file, or of a rule now `off` or gone from `custom_rules`, is neither
    // open nor fixed: its thread is left as it is. A re-graded rule's counts at its new severity.
    const ignoredPaths = new Set(scope.ignored.map((skipped) => skipped.path));
    const earlier = applyRules(
      config.config,
      withCurrentCustomRules(
        config.config,
        posted.findings.filter((finding) => !ignoredPaths.has(finding.path)),
      ),
      config.sources,
    );
    const { open, fixed } = splitOpen(
      earlier,
      files,
      allFiles.length < MAX_PULL_FILES,
      overLimit ? null : new Set(found.map((finding) => finding.fingerprint)),
    );
    await this.threads.sync({ installationId: event.installationId, prNumber: number }, target, { fixed, open });

    let url = posted.postedUrl;
    let since = lastHead;
    if (!url && (fresh.length > 0 || lastHead === null || command)) {
      const content: ReviewContent = {
        eventId,
        engine: this.engine.name,
        headSha: target.headSha,
        base: rangeFiles ? lastHead : null,
        ...(range && 'full' in range ? { whole: range.full } : {}),
        result,
        findings: fresh,
        earlier: { open: open.length, resolved: fixed.length },
      };
      let outcome: Posted | null;
      try {
        outcome = await this.postOnce(event, target, content, files, { posted, readAt, always: !!command });
      } catch (error) {
        if (!(error instanceof StalePostError)) throw error;
        await this.leavePending(event, target, error.message);
        return this.supersede(eventId, error.message);
      }
      if (outcome === null) return 'skipped'; // another run settled the event meanwhile
      if ('url' in outcome) url = outcome.url;
      else since = outcome.since;
    }
    if (!url && (await this.replaced(event, target))) {
      // Nothing to post, and a newer head arrived while this one was reviewed: its verdict is moot.
      await this.leavePending(event, target, 'A newer head was delivered');
      return this.supersede(eventId, 'A newer head was delivered');
    }
    const status = statusFor([...open, ...fresh], settings.failOn);
    const pullUrl = typeof pull?.html_url === 'string' ? pull.html_url : undefined;
    // With no review posted, the status says so too (REVIEW.md §1), beside the open findings' count.
    const note = url ? null : `No new findings since ${short(since!)}`;
    const description = !note
      ? status.description
      : `${note}; ${open.length + fresh.length ? status.description : 'none open'}`;
    await this.statuses.set(target, status.state, description, url ?? pullUrl);
    await this.lifecycle.complete(eventId, url, note, overLimit ? SUMMARY_ONLY : findable);
    return 'completed';
  }

  /** Sets the `error` status for an event that ended `failed`; never throws. */
  async reportFailure(eventId: string): Promise<void> {
    try {
      const event = await this.lifecycle.find(eventId);
      // A command's review records its head when it sets `pending` there.
      const headSha = event?.headSha ?? event?.reviewedHeadSha;
      if (!event || !headSha || event.prNumber === null) return;
      // An uninstalled repository is no longer Nectr's to mark: its events fail quietly.
      const installation = await this.installations.findById(event.installationId);
      if (!installation?.active) return;
      const target = { owner: installation.owner, repo: installation.name, headSha };
      await this.statuses.trySet(target, 'error', 'The review failed; Nectr retries it when asked');
    } catch (error) {
      this.logger.warn(`Could not report the failure of event ${eventId}: ${(error as Error).message}`);
    }
  }

  private async installationOf(event: Event): Promise<{ owner: string; name: string }> {
    const installation = await this.installations.findById(event.installationId);
    if (!installation?.active) throw new PermanentReviewError(`${event.repo} is no longer installed`);
    return installation;
  }

  /**
   * What a push changed since the last reviewed head (compare's range), or why the whole PR is
   * reviewed instead. A PR whose base branch changed since then is reviewed whole: the commits the
   * new base brought in were never reviewed. So is one whose last review ran no engine (over
   * `review.max_files`), or whose `.nectr.yml` changed what a review can find since (`findable`,
   * its findingScope now): lines pushed while the file hid them were never judged.
   */
  private async rangeSince(
    last: LastReviewed,
    findable: string,
    delivered: Record<string, unknown> | null,
    target: PostTarget,
  ): Promise<CompareResult> {
    const before = baseRef(await this.lifecycle.pullRequestOf(last.eventId));
    const now = baseRef(delivered);
    if (before && now && before !== now) return { full: `the base changed from ${before} to ${now}` };
    if (last.scope === SUMMARY_ONLY) return { full: `the review of ${short(last.head)} was a summary only` };
    if (last.scope && last.scope !== findable)
      return { full: `.nectr.yml changed what is reviewed since ${short(last.head)}` };
    return this.reader.compare(target.owner, target.repo, last.head, target.headSha);
  }

  /** A command's event has no head of its own: it reviews `currentHead`, the PR's head now. */
  private targetOf(event: Event, installation: { owner: string; name: string }, currentHead?: string): PostTarget {
    const headSha = event.headSha ?? currentHead;
    if (event.prNumber === null || !headSha) throw new PermanentReviewError('Event has no pull request to review');
    return {
      owner: installation.owner,
      repo: installation.name,
      number: event.prNumber,
      eventId: event.id,
      headSha,
      engine: this.engine.name,
    };
  }

  /**
   * A review stopped after it set `pending` (the PR closed, or a newer push replaced the head): the
   * head gets the verdict of a head Nectr does not review, rather than `pending` for ever. A head an
   * earlier review judged gets that verdict back.
   */
  private async leavePending(event: Event, target: PostTarget, why: string): Promise<void> {
    if (await this.lifecycle.reviewedBefore(event, target.headSha)) return this.statuses.restoreVerdict(target);
    const reason = why.charAt(0).toLowerCase() + why.slice(1);
    await this.statuses.trySet(target, 'success', `${NOT_REVIEWED_NOTE} ${reason}`);
  }

  /** Ends an event that posts no review (a skipped PR, a command done): `why` is its note. */
  private async settle(eventId: string, why: string): Promise<ReviewOutcome> {
    await this.lifecycle.complete(eventId, null, why);
    return 'completed';
  }

  /** The PR is still open at this event's head, or a newer delivered head replaced it. */
  private async assertCurrent(event: Event, target: PostTarget): Promise<void> {
    const current = await this.reader.get(target.owner, target.repo, target.number);
    if (current.state !== 'open') throw new StalePostError(`Pull request is ${current.state}`);
    if (current.headSha !== event.headSha && (await this.replaced(event, target, current.headSha)))
      throw new StalePostError(`Head moved on to ${short(current.headSha)}`);
  }

  /**
   * Whether a delivered head replaced this event's: one GitHub stamped later, or one stamped in the
   * same second that is the PR's head on GitHub (`currentHead`, read when not given).
   */
  private async replaced(event: Event, target: PostTarget, currentHead?: string): Promise<boolean> {
    if (await this.lifecycle.hasNewerHead(event)) return true;
    const tied = await this.lifecycle.tiedHeads(event);
    if (tied.length === 0) return false;
    const head = currentHead ?? (await this.reader.get(target.owner, target.repo, target.number)).headSha;
    return tied.includes(head);
  }

  private async supersede(eventId: string, reason: string): Promise<'superseded'> {
    await this.lifecycle.supersede(eventId, reason);
    return 'superseded';
  }

  /**
   * Posts under the event's posting lease, which no other event of the PR holds meanwhile. When an
   * event of the PR may have posted since `read.readAt` (another event's review, a `/nectr review`
   * beside a push's, or an earlier run of this event), what Nectr said on the PR is read again under
   * the lease, so that review is not repeated nor posted twice. Null when the event is no longer
   * processing; `since` when nothing is left to say after that reviewed head (a command's review
   * always posts).
   */
  private async postOnce(
    event: Event,
    target: PostTarget,
    content: ReviewContent,
    files: ReviewFile[],
    read: { posted: PostedState; readAt: ClockReading; always: boolean },
  ): Promise<Posted | null> {
    const lease = await this.postingLease(target.eventId, read.readAt);
    if (lease.state === 'gone') return null;
    if (lease.state === 'busy' || lease.state === 'pull-busy')
      throw new PostInFlightError('Another run is posting a review of this pull request; trying again later');
    try {
      const [said, last] = await Promise.all([
        lease.postedSinceRead
          ? this.postedFindings.read(target.owner, target.repo, target.number, target.eventId)
          : read.posted,
        this.lifecycle.lastReviewed(event),
      ]);
      if (said.postedUrl) return { url: said.postedUrl };
      const findings = newFindings(content.findings, said.findings);
      if (findings.length === 0 && last && !read.always) {
        await this.lifecycle.endPosting(target.eventId, lease.since);
        return { since: last.head };
      }
      const check = () => this.assertCurrent(event, target);
      return { url: await this.poster.post(target, { ...content, findings }, files, check) };
    } catch (error) {
      await this.lifecycle.endPosting(target.eventId, lease.since).catch(() => undefined);
      throw error;
    }
  }

  /** The event's posting lease, once no other event of its PR is posting (for up to PULL_WAIT_MS). */
  private async postingLease(eventId: string, readAt: ClockReading): Promise<PostingLease> {
    // Covers a post: reading what Nectr said (a page of each list, in parallel) and up to two create
    // calls (the 422 fallback) of the patient client.
    const leaseMs = 3 * longestCallMs(this.github.timeoutMs);
    const deadline = Date.now() + PULL_WAIT_MS;
    for (;;) {
      const lease = await this.lifecycle.startPosting(eventId, leaseMs, readAt);
      if (lease.state !== 'pull-busy' || Date.now() + PULL_POLL_MS > deadline) return lease;
      await new Promise((resume) => setTimeout(resume, PULL_POLL_MS));
    }
  }
}

/** Findings whose fingerprint Nectr has not posted on the PR yet, each once. */
function newFindings(found: MarkedFinding[], posted: Array<{ fingerprint: string }>): MarkedFinding[] {
  const seen = new Set(posted.map((f) => f.fingerprint));
  return found.filter((f) => !seen.has(f.fingerprint) && seen.add(f.fingerprint));
}

/**
 * A file the pushed range renamed, as the whole PR shows it. The path is part of every fingerprint:
 * the old path's findings are fixed now, so the new path's must be found again, but compare shows a
 * pure rename with no patch at all (and a rename with edits with only the edited lines).
 */
function renamedAsInPull(range: ReviewFile[], pull: ReviewFile[]): ReviewFile[] {
  const byPath = new Map(pull.map((file) => [file.filename, file]));
  return range.map((file) => (file.status === 'renamed' ? (byPath.get(file.filename) ?? file) : file));
}
