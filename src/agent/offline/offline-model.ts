import { readScreen, sameScreen, type ScreenContext } from '../screen.js';
import type { LanguageModelV4, LanguageModelV4CallOptions, LanguageModelV4Content, LanguageModelV4Prompt, LanguageModelV4StreamPart, LanguageModelV4Usage } from '@ai-sdk/provider';
import type { Clock } from '../../crm/time/clock.js';
import { dayIn } from '../../crm/time/time-zone.js';
import { nextStep, type DoneCall, type Memory, type Step } from './offline-steps.js';
import { isToolName } from '../../tools/catalogue.js';
import { launchCampaign, planCampaign } from '../../tools/campaign-tools.js';
import { createSegment, previewSegment } from '../../tools/segment-tools.js';
import { rankCustomers } from '../../tools/customer-tools.js';
import { EVERYONE_RULE, readRequest } from './request-grammar.js';
import { Grounding } from '../language/grounding.js';
import { emptyVocabulary, type Vocabulary } from '../language/vocabulary.js';


// The person's own words: a text part that describes their screen is not something they wrote.
function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  return Array.isArray(content) ? content.filter((p) => p?.type === 'text' && !readScreen(p.text)).map((p) => p.text).join(' ') : '';
}

function screenOf(content: unknown): ScreenContext | null {
  if (!Array.isArray(content)) return null;
  for (const p of content) if (p?.type === 'text') { const screen = readScreen(p.text); if (screen) return screen; }
  return null;
}

function resultOf(output: any): Pick<DoneCall, 'output' | 'error' | 'denied'> {
  if (!output) return {};
  if (output.type === 'execution-denied') return { denied: { reason: output.reason } };
  if (output.type === 'error-text') return { error: String(output.value) };
  if (output.type === 'error-json') return { error: JSON.stringify(output.value) };
  if (output.type === 'json') return { output: output.value };
  if (output.type === 'text') {
    try {
      return { output: JSON.parse(output.value) };
    } catch {
      return { output: output.value };
    }
  }
  return { output: output.value };
}

/** Tool calls and their results in order, from a slice of the prompt. */
function callsIn(messages: LanguageModelV4Prompt): DoneCall[] {
  const calls = new Map<string, DoneCall>();
  for (const m of messages) {
    if (m.role !== 'assistant' && m.role !== 'tool') continue;
    for (const part of m.content as any[]) {
      // Only the catalogue's tools are followed; anything else in the prompt is not this model's doing.
      if ((part.type === 'tool-call' || part.type === 'tool-result') && !isToolName(part.toolName)) continue;
      if (part.type === 'tool-call') calls.set(part.toolCallId, { toolName: part.toolName, input: typeof part.input === 'string' ? JSON.parse(part.input) : part.input });
      if (part.type === 'tool-result') {
        const call = calls.get(part.toolCallId) ?? { toolName: part.toolName, input: {} };
        calls.set(part.toolCallId, { ...call, ...resultOf(part.output) });
      }
    }
  }
  return [...calls.values()];
}

function memoryOf(earlier: LanguageModelV4Prompt): Memory {
  const memory: Memory = { firstTurn: !earlier.some((m) => m.role === 'assistant') };
  for (const call of callsIn(earlier)) {
    if (call.error || call.denied) continue;
    if ((call.toolName === previewSegment.name || call.toolName === createSegment.name) && call.input?.rules) memory.rules = call.input.rules;
    // After a ranking, "them" is who was ranked: the rule it narrowed by, or everyone.
    if (call.toolName === rankCustomers.name) memory.rules = call.input?.rules ?? EVERYONE_RULE;
    if (call.toolName === planCampaign.name && call.output) {
      if (call.input?.rules) memory.rules = call.input.rules;
      memory.approvalId = call.output.approval?.id;
      memory.campaignId = call.output.campaignId;
    }
    if (call.toolName === launchCampaign.name && call.output) {
      memory.approvalId = undefined;
      memory.campaignId = call.output.campaignId;
    }
  }
  return memory;
}

// A rough count (four characters a token) so that usage and the per-turn token limit mean something offline too.
const tokens = (text: string) => Math.ceil(text.length / 4);
const usage = (input: number, output: number): LanguageModelV4Usage => ({
  inputTokens: { total: input, noCache: input, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: output, text: output, reasoning: 0 },
});

/**
 * The model used when no AI service is configured: deterministic, instant, and honest about being offline. It reads
 * the latest message with a parser grounded in the data's own names (request-grammar.ts, ../language/) and acts
 * through the same tools, approvals and limits as Gemini does.
 */
export class OfflineModel implements LanguageModelV4 {
  readonly specificationVersion = 'v4';
  readonly provider = 'crm';
  readonly modelId = 'offline';
  readonly supportedUrls = {};
  private calls = 0;

  private grounding: Grounding | null = null;

  /** `vocabulary` gives the data's names (places, products, tags…) each turn grounds its words in. */
  constructor(private readonly clock: Clock, private readonly zone: string, private readonly currency: string,
    private readonly vocabulary: () => Promise<Vocabulary> = async () => emptyVocabulary) {}

  decide(prompt: LanguageModelV4Prompt, vocabulary: Vocabulary = emptyVocabulary): Step {
    const lastUser = prompt.map((m) => m.role).lastIndexOf('user');
    const today = dayIn(this.clock(), this.zone);
    if (this.grounding?.vocabulary !== vocabulary) this.grounding = new Grounding(vocabulary);
    const request = readRequest(lastUser >= 0 ? textOf(prompt[lastUser].content) : '', { today, grounding: this.grounding, vocabulary, currency: this.currency });
    const memory = memoryOf(prompt.slice(0, Math.max(lastUser, 0)));
    // The customers on the person's screen are who "them" means once the screen changes (another page, an edited
    // rule); while it stays as it was, what the conversation narrowed since ("only those in Pune") still holds.
    const screen = lastUser >= 0 ? screenOf(prompt[lastUser].content) : null;
    const before = prompt.slice(0, Math.max(lastUser, 0)).map((m) => m.role).lastIndexOf('user');
    const earlierScreen = before >= 0 ? screenOf(prompt[before].content) : null;
    if (screen?.rules && (memory.rules === undefined || !sameScreen(screen, earlierScreen))) memory.rules = screen.rules;
    return nextStep(request, callsIn(prompt.slice(lastUser + 1)), memory, { today, currency: this.currency });
  }

  private async content(options: LanguageModelV4CallOptions): Promise<{ step: Step; content: LanguageModelV4Content[]; usage: LanguageModelV4Usage }> {
    const step = this.decide(options.prompt, await this.vocabulary());
    const inputTokens = tokens(JSON.stringify(options.prompt));
    if ('say' in step) return { step, content: [{ type: 'text', text: step.say }], usage: usage(inputTokens, tokens(step.say)) };
    const input = JSON.stringify(step.input);
    return { step, content: [{ type: 'tool-call', toolCallId: `offline-${++this.calls}-${Date.now().toString(36)}`, toolName: step.call, input }], usage: usage(inputTokens, tokens(input)) };
  }

  async doGenerate(options: LanguageModelV4CallOptions) {
    const { step, content, usage } = await this.content(options);
    return { content, usage, warnings: [], finishReason: { unified: 'say' in step ? 'stop' : 'tool-calls', raw: undefined } as const };
  }

  async doStream(options: LanguageModelV4CallOptions) {
    const { step, content, usage } = await this.content(options);
    const parts: LanguageModelV4StreamPart[] = [{ type: 'stream-start', warnings: [] }];
    for (const c of content) {
      if (c.type === 'text') {
        parts.push({ type: 'text-start', id: 't' });
        // Words arrive one by one, as from any streaming model.
        for (const word of c.text.match(/\S+\s*|\s+/g) ?? []) parts.push({ type: 'text-delta', id: 't', delta: word });
        parts.push({ type: 'text-end', id: 't' });
      } else if (c.type === 'tool-call') {
        parts.push({ type: 'tool-input-start', id: c.toolCallId, toolName: c.toolName }, { type: 'tool-input-delta', id: c.toolCallId, delta: c.input }, { type: 'tool-input-end', id: c.toolCallId }, c);
      }
    }
    parts.push({ type: 'finish', usage, finishReason: { unified: 'say' in step ? 'stop' : 'tool-calls', raw: undefined } });
    return { stream: new ReadableStream<LanguageModelV4StreamPart>({ start(controller) { for (const p of parts) controller.enqueue(p); controller.close(); } }) };
  }
}
