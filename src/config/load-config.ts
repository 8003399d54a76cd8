import { z } from 'zod';
import { configSchema, crossFieldProblems, defaultPublicUrl, type Config } from './config.schema.js';

export class ConfigError extends Error {}

/** What each variable means, for error messages and `.env.example`. */
export function describeVariables(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(configSchema.shape).map(([key, schema]) => [key, (schema as z.ZodType).description ?? '']),
  );
}

/**
 * Parses the environment once. Every problem is reported together, each with the variable's meaning,
 * so a person fixes the whole .env in one go instead of one restart per mistake.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const known = Object.keys(configSchema.shape);
  const input = Object.fromEntries(known.map((key) => [key, env[key]]));
  const result = configSchema.safeParse(input);
  const related = crossFieldProblems(input);
  if (result.success && !related.length) {
    return { ...result.data, PUBLIC_URL: result.data.PUBLIC_URL ?? defaultPublicUrl(result.data.HOST, result.data.PORT) };
  }

  const meanings = describeVariables();
  // Messages come from the rules, never from the values: a mistyped secret must not land in a log.
  const problems = [
    ...(result.success ? [] : result.error.issues.map((issue) => ({ key: String(issue.path[0] ?? ''), message: issue.message }))),
    ...related,
  ];
  const lines = problems.map(({ key, message }) => `  - ${key} ${message}. (${meanings[key] ?? ''})`);
  throw new ConfigError(`The configuration has ${lines.length} problem(s):\n${lines.join('\n')}\nSee .env.example for every setting.`);
}
