import { createGoogle } from '@ai-sdk/google';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { LanguageModel } from 'ai';
import type { Config } from '../config/config.schema.js';
import type { Clock } from '../crm/time/clock.js';
import { OfflineModel } from './offline/offline-model.js';
import type { Vocabulary } from './language/vocabulary.js';

export interface ChosenModel { model: LanguageModel; name: string; offline: boolean }

/**
 * The agent's model from configuration: Gemini with a key, an OpenAI-compatible server by URL, else the offline model,
 * which grounds words in the data's names (`vocabulary`).
 */
export function chooseModel(config: Config, clock: Clock, vocabulary?: () => Promise<Vocabulary>): ChosenModel {
  const kind = config.AGENT_MODEL ?? (config.GOOGLE_GENERATIVE_AI_API_KEY ? 'gemini' : 'offline');
  if (kind === 'gemini') {
    const google = createGoogle({ apiKey: config.GOOGLE_GENERATIVE_AI_API_KEY, ...(config.GEMINI_BASE_URL ? { baseURL: config.GEMINI_BASE_URL } : {}) });
    return { model: google(config.GEMINI_MODEL), name: `gemini:${config.GEMINI_MODEL}`, offline: false };
  }
  if (kind === 'openai-compatible') {
    // includeUsage asks for token counts in the stream; without them the turn's token limit never fires.
    const provider = createOpenAICompatible({ name: 'local', baseURL: config.OPENAI_COMPATIBLE_BASE_URL!, apiKey: config.OPENAI_COMPATIBLE_API_KEY, includeUsage: true });
    return { model: provider(config.OPENAI_COMPATIBLE_MODEL), name: `openai-compatible:${config.OPENAI_COMPATIBLE_MODEL}`, offline: false };
  }
  return { model: new OfflineModel(clock, config.TIME_ZONE, config.CURRENCY, vocabulary), name: 'offline', offline: true };
}

/** Nest token for the chosen model; tests provide a mock or a Gemini pointed at a local stand-in. */
export const AGENT_MODEL = Symbol('agent-model');
