// Drives a generated history through the real app (api + two workers) and the fake GitHub: GitHub's
// state moves at each step, its deliveries are sent at once (settle mode: then processed before the
// next step) or held and sent shuffled, some twice (burst mode). It records what the model needs.
import { createHash, randomUUID } from 'node:crypto';
import { Rng } from '../fuzz/rng.js';
import {
  commentPayload,
  deliver,
  EXAMPLE_REPO,
  pullRequestPayload,
  settledEvent,
  type SettledEvent,
} from '../deliveries.js';
import type { FakeCommit, FakeTree } from '../fake-github-commits.js';
import { added } from '../patches.js';
import type { TestApp } from '../test-app.js';
import type { History, Step, Tree } from './generator.js';
import { CONFIGS } from './model.js';

const REPO = EXAMPLE_REPO.fullName;

interface Sent {
  event: string;
  payload: Record<string, unknown>;
  deliveryId: string;
}

/** What happened, for the invariants. */
export interface Run {
  number: number;
  head: string;
  tree: FakeTree;
  open: boolean;
  config: string;
  /** A review judged the head under the config in force (the model says it must have). */
  judged: boolean;
  /** Every head the PR had, and its tree. */
  heads: string[];
  trees: FakeTree[];
  events: SettledEvent[];
  /** Settle mode: reviews posted while the PR was paused by a command (must be none). */
  postedWhilePaused: number;
}

const toTree = (tree: Tree): FakeTree => new Map(Object.entries(tree));
const isTree = (tree: Tree | FakeTree): tree is FakeTree => tree instanceof Map;

export class HistoryDriver {
  private readonly commits: Map<string, FakeCommit>;
  private line: string[] = [];
  private sent: Sent[] = [];
  private held: Sent[] = [];
  private eventIds = new Set<string>();
  private minute = 0;
  private paused = false;
  private everPaused = false;
  readonly run: Run;

  constructor(
    private readonly t: TestApp,
    private readonly hook: { hookId: number; secret: string },
    private readonly history: History,
    number: number,
  ) {
    const repo = t.github.repo(REPO);
    repo.commits ??= new Map();
    this.commits = repo.commits;
    this.run = {
      number,
      head: '',
      tree: new Map(),
      open: true,
      config: 'none',
      judged: false,
      heads: [],
      trees: [],
      events: [],
      postedWhilePaused: 0,
    };
    this.commit('base', null, {});
  }

  private made = 0;

  private sha(label: string): string {
    return createHash('sha1').update(`${this.run.number}:${label}:${this.made++}`).digest('hex');
  }

  private commit(label: string, parent: string | null, tree: Tree | FakeTree): string {
    const sha = this.sha(label);
    this.commits.set(sha, { parent, tree: isTree(tree) ? tree : toTree(tree) });
    if (label === 'base') this.line = [sha];
    return sha;
  }

  /** GitHub's PR now has `sha` as its head: its files are the tree's, all added on the empty base. */
  private moveHead(sha: string): void {
    const tree = this.commits.get(sha)!.tree;
    const pull = this.t.github.repo(REPO).pulls.get(this.run.number);
    const files = [...tree].map(([path, lines]) => added(path, [...lines]));
    if (pull) Object.assign(pull, { head: { ...pull.head, sha }, files });
    else this.t.github.addPull(REPO, { number: this.run.number, head: { sha, ref: `h${this.run.number}` }, files });
    this.run.head = sha;
    this.run.tree = tree;
    if (!this.run.heads.includes(sha)) this.run.heads.push(sha);
    this.run.trees.push(tree);
  }

  private pullRequest(action: string, tie = false): Sent {
    if (tie) this.minute = Math.max(0, this.minute - 1);
    const updatedAt = new Date(Date.UTC(2026, 10, 30, 0, this.minute++)).toISOString();
    const payload = pullRequestPayload({ number: this.run.number, sha: this.run.head, action, updatedAt });
    if (action === 'closed') (payload.pull_request as Record<string, unknown>).state = 'closed';
    return { event: 'pull_request', payload, deliveryId: randomUUID() };
  }

  private async send(sent: Sent): Promise<void> {
    const res = await deliver(this.t, { ...sent, ...this.hook });
    if (res.status !== 200) throw new Error(`delivery answered ${res.status}: ${JSON.stringify(res.body)}`);
    const id = (res.body as { event_id?: string }).event_id;
    // A `closed` delivery is stored, not reviewed: it stays `received`.
    const reviewed = sent.event === 'issue_comment' || (sent.payload as { action?: string }).action !== 'closed';
    if (id && reviewed) this.eventIds.add(id);
  }

  /** Sends a delivery now (settle mode, then waits) or holds it (burst mode). */
  private async emit(sent: Sent): Promise<void> {
    this.sent.push(sent);
    if (this.history.mode === 'burst') return void this.held.push(sent);
    const before = this.t.github.reviewsOf(REPO, this.run.number).length;
    await this.send(sent);
    await this.settleAll();
    const isCommand = sent.event === 'issue_comment';
    if (this.paused && !isCommand)
      this.run.postedWhilePaused += this.t.github.reviewsOf(REPO, this.run.number).length - before;
  }

  async flush(order = 0): Promise<void> {
    const rng = new Rng(order);
    const batch = this.held.splice(0);
    for (let i = batch.length - 1; i > 0; i--) {
      const j = rng.int(0, i);
      [batch[i], batch[j]] = [batch[j], batch[i]];
    }
    await Promise.all(batch.map((sent) => this.send(sent)));
    await this.settleAll();
  }

  /** Waits until every event the history stored has ended. */
  async settleAll(): Promise<void> {
    for (const id of this.eventIds) {
      const event = await settledEvent(this.t, id, 60_000);
      this.run.events = [...this.run.events.filter((e) => e.id !== id), event];
    }
  }

  async step(step: Step): Promise<void> {
    switch (step.kind) {
      case 'open': {
        this.moveHead(this.commit('open', this.line[0], step.tree));
        this.line.push(this.run.head);
        this.run.judged = !this.paused;
        return this.emit(this.pullRequest('opened'));
      }
      case 'push': {
        // A shrunk history may ask for a step its branch no longer allows: it is left out.
        if ((step.how === 'revert' || step.how === 'reset') && this.line.length < 3) return;
        const head = this.run.head;
        const parent = this.line.at(-2) ?? this.line[0];
        if (step.how === 'ff') this.line.push(this.commit('ff', head, step.tree));
        else if (step.how === 'amend') this.line.splice(-1, 1, this.commit('amend', parent, step.tree));
        else if (step.how === 'unrelated')
          this.line = [this.line[0], this.commit('unrelated', this.line[0], step.tree)];
        else if (step.how === 'revert') this.line.push(this.commit('revert', head, this.commits.get(parent)!.tree));
        else this.line.pop();
        // GitHub collects a commit no branch holds: compare then answers 404.
        if ('gc' in step && step.gc) this.commits.delete(head);
        this.moveHead(this.line.at(-1)!);
        this.run.judged = !this.paused;
        return this.emit(this.pullRequest('synchronize', step.tie));
      }
      case 'config': {
        const text = CONFIGS.find((c) => c.name === step.name)?.text;
        const files = this.t.github.repo(REPO).files!;
        if (text === undefined) files.delete('.nectr.yml');
        else files.set('.nectr.yml', text);
        if (step.name !== this.run.config) this.run.judged = false;
        this.run.config = step.name;
        return;
      }
      case 'command': {
        if (step.command === 'pause') [this.paused, this.everPaused] = [true, true];
        if (step.command === 'resume') this.paused = false;
        if (step.command === 'review') this.run.judged = this.run.open;
        const payload = commentPayload(this.run.number, `/nectr ${step.command}`, {
          commentId: 700_000 + this.sent.length + this.run.number * 100,
        });
        return this.emit({ event: 'issue_comment', payload, deliveryId: randomUUID() });
      }
      case 'close':
      case 'reopen': {
        const pull = this.t.github.repo(REPO).pulls.get(this.run.number)!;
        pull.state = step.kind === 'close' ? 'closed' : 'open';
        this.run.open = step.kind === 'reopen';
        this.run.judged = this.run.open && !this.paused;
        return this.emit(this.pullRequest(step.kind === 'close' ? 'closed' : 'reopened'));
      }
      case 'redeliver': {
        const earlier = this.sent.at(-Math.min(step.back, this.sent.length));
        if (!earlier) return;
        if (this.history.mode === 'burst') return void this.held.push(earlier);
        await this.send(earlier);
        return this.settleAll();
      }
      case 'flush':
        return this.flush(step.order);
    }
  }

  /** Whether the model can say what a review of the final head must be (no pause raced a push). */
  get burstPaused(): boolean {
    return this.everPaused && this.history.mode === 'burst';
  }
}
