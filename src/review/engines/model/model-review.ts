// The review loop both model engines share; each engine only says how to send one conversation.
// Transport errors (network, 408, 409, 429, 5xx after the SDK's own retries) propagate so the review
// job fails and Bull retries it; so does an answer still unreadable after the model was asked to fix
// it. An answer no attempt changes (a refused key or model, no credit left) fails the event at once.
import { addedLines } from '../../diff/patch.js';
import {
  PermanentEngineError,
  type Finding,
  type ReviewEngine,
  type ReviewInput,
  type ReviewResult,
} from '../review-engine.js';
import { parseAnswer, type ParsedAnswer } from './answer.js';
import { ContextOverflowError, engineError } from './model-errors.js';
import {
  buildPrompt,
  DEFAULT_BUDGET_TOKENS,
  planChunks,
  retryPrompt,
  shorterPrompt,
  SYSTEM_PROMPT,
  type PromptFile,
} from './prompt.js';

/** The model answered twice, and neither answer could be read: the review of its files failed. */
export class UnreadableAnswerError extends Error {}

export interface ChatTurn {
  role: 'user' | 'assistant';
  content: string;
}

/** One answer: its text, and whether the model stopped at the answer-length limit (cut off). */
export interface ModelAnswer {
  text: string;
  truncated: boolean;
  /** Why the provider's safety system stopped the answer (`stop_reason refusal`), if it did. */
  refusal?: string;
}

/** What the config hands an engine; the rest have defaults meant for production. */
export interface ModelEngineOptions {
  apiKey?: string;
  baseUrl?: string;
  model?: string;
  /** SDK retries per call on 408/409/429/5xx/network errors before the call throws. */
  maxRetries?: number;
  timeoutMs?: number;
  budgetTokens?: number;
}

export const DEFAULT_MAX_RETRIES = 2;
// Non-streaming answers of a few thousand tokens can take a couple of minutes on a busy model.
export const DEFAULT_TIMEOUT_MS = 180_000;
export const MAX_ANSWER_TOKENS = 4096;
/** What the calls for one part of the review share (a part is halved when it does not fit). */
interface Part {
  input: ReviewInput;
  /** 1-based, of `count`. */
  index: number;
  count: number;
  /** The PR's added lines by path: findings elsewhere are dropped. */
  diffLines: Map<string, Set<number>>;
}

interface ChunkResult {
  summary: string;
  findings: Finding[];
  dropped: number;
  skipped: ReviewResult['skipped'];
}

export abstract class ModelReviewEngine implements ReviewEngine {
  abstract readonly name: string;
  private readonly budgetTokens: number;

  protected constructor(options: ModelEngineOptions) {
    this.budgetTokens = options.budgetTokens ?? DEFAULT_BUDGET_TOKENS;
  }

  /** Sends one conversation and returns the model's answer. */
  protected abstract complete(system: string, turns: ChatTurn[]): Promise<ModelAnswer>;

  private async ask(turns: ChatTurn[]): Promise<ModelAnswer> {
    try {
      return await this.complete(SYSTEM_PROMPT, turns);
    } catch (error) {
      throw engineError(error, this.name);
    }
  }

  async review(input: ReviewInput): Promise<ReviewResult> {
    const { chunks, skipped } = planChunks(input.files, this.budgetTokens);
    if (chunks.length === 0) {
      return { summary: 'No file in this pull request was suitable for a model review.', findings: [], skipped };
    }
    // Added lines only: a finding is open while its line is among the PR's added lines (REVIEW.md),
    // so one on a context line would fail the status once and pass it on the next push, fixed or not.
    const diffLines = new Map(input.files.map((f) => [f.filename, new Set(addedLines(f.patch).map((l) => l.line))]));
    const results: ChunkResult[] = [];
    // One call at a time: parallel calls mostly buy 429s from the provider.
    for (const [i, files] of chunks.entries()) {
      results.push(await this.reviewChunk({ input, index: i + 1, count: chunks.length, diffLines }, files));
    }
    const summaries = results.map(
      (r) => r.summary || 'The model could not take these files (see the files not reviewed).',
    );
    if (chunks.length > 1)
      summaries.forEach((text, i) => (summaries[i] = `**Part ${i + 1}/${chunks.length}.** ${text}`));
    const dropped = results.reduce((n, r) => n + r.dropped, 0);
    if (dropped > 0) summaries.push(`_${dropped} finding(s) the model placed outside the added lines were left out._`);
    return {
      summary: summaries.join('\n\n'),
      findings: results.flatMap((r) => r.findings),
      skipped: [...skipped, ...results.flatMap((r) => r.skipped)],
    };
  }

  private async reviewChunk(part: Part, files: PromptFile[]): Promise<ChunkResult> {
    try {
      return await this.readChunk(part, files);
    } catch (error) {
      if (!(error instanceof ContextOverflowError)) throw error;
      if (files.length > 1) return this.reviewHalves(part, files);
      const reason = `too large for the model's context window (${error.message})`;
      return { summary: '', findings: [], dropped: 0, skipped: [{ path: files[0].path, reason }] };
    }
  }

  /** Each half of the files gets its own call(s), so none of their findings is lost. */
  private async reviewHalves(part: Part, files: PromptFile[]): Promise<ChunkResult> {
    const half = Math.ceil(files.length / 2);
    const first = await this.reviewChunk(part, files.slice(0, half));
    const second = await this.reviewChunk(part, files.slice(half));
    return {
      summary: [first.summary, second.summary].filter(Boolean).join('\n\n'),
      findings: [...first.findings, ...second.findings],
      dropped: first.dropped + second.dropped,
      skipped: [...first.skipped, ...second.skipped],
    };
  }

  private async readChunk(part: Part, files: PromptFile[]): Promise<ChunkResult> {
    const turns: ChatTurn[] = [{ role: 'user', content: buildPrompt(part.input, files, part.index, part.count) }];
    let answer = await this.ask(turns);
    // Asking a refusing model again for JSON is refused again, and so is every job attempt: the
    // event fails at once, saying so, rather than as an unreadable answer after ten calls.
    if (answer.refusal)
      throw new PermanentEngineError(
        `The model declined to review ${files.map((f) => f.path).join(', ')} (${answer.refusal})`,
      );
    let parsed: ParsedAnswer = parseAnswer(answer.text);
    if (!parsed.ok && answer.truncated && files.length > 1) {
      // The files' findings did not fit in one answer: each half gets its own, so none is lost.
      return this.reviewHalves(part, files);
    }
    if (!parsed.ok) {
      // Providers reject empty turns, and the model needs to see what it said to fix it. An answer
      // cut off at the length limit would be cut again: it is asked for a shorter one instead.
      turns.push(
        { role: 'assistant', content: answer.text.trim() || '(empty answer)' },
        { role: 'user', content: answer.truncated ? shorterPrompt() : retryPrompt(parsed.error) },
      );
      answer = await this.ask(turns);
      parsed = parseAnswer(answer.text);
    }
    if (!parsed.ok) {
      // Never a clean review of files the model did not review: the job fails and is retried (an
      // answer is not the same twice), and once its attempts are spent the status says `error`.
      const names = files.map((f) => f.path).join(', ');
      throw new UnreadableAnswerError(`The model's answer could not be read twice (${parsed.error}); files: ${names}`);
    }
    const findings: Finding[] = [];
    let dropped = 0;
    for (const f of parsed.answer.findings) {
      if (!part.diffLines.get(f.path)?.has(f.line)) {
        dropped++;
        continue;
      }
      findings.push({
        ruleId: `model/${this.name}`,
        severity: f.severity,
        path: f.path,
        line: f.line,
        message: f.message,
      });
    }
    return { summary: parsed.answer.summary || 'The model gave no summary.', findings, dropped, skipped: [] };
  }
}
