// The CRM's HTTP API as the web app uses it: the session cookie travels by itself, writes carry the CSRF token.
import { formatCount, formatDateTime, formatDay, formatMoney, formatMoneyShort, formatMonth } from '../../src/crm/format.js';
import type { ToolInput, ToolName, ToolOutput } from '../../src/tools/catalogue.js';

let csrfToken: string | null = null;
export const setCsrfToken = (token: string | null) => (csrfToken = token);
export const csrfHeaders = (): Record<string, string> => (csrfToken ? { 'x-csrf-token': csrfToken } : {});

export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** What to tell the person when a request fails: the server's own sentence, or `otherwise` when there is none. */
export const problemOf = (error: unknown, otherwise: string) => (error instanceof ApiError ? error.message : otherwise);

export async function api<T = any>(path: string, body?: unknown, method = body === undefined ? 'GET' : 'POST'): Promise<T> {
  const res = await fetch(path, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(method === 'GET' ? {} : csrfHeaders()) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = res.headers.get('content-type')?.includes('json') ? await res.json() : null;
  if (!res.ok) throw new ApiError(res.status, data?.message ?? data?.error_description ?? `The server answered ${res.status}.`);
  return data as T;
}

/**
 * Runs a CRM tool through its HTTP route, named and typed by the catalogue: renaming a tool, or changing its input or
 * output, fails the type check here. The server checks the input again.
 */
export const runTool = <N extends ToolName>(name: N, input: ToolInput<N>) => api<ToolOutput<N>>(`/api/tools/${name}`, input);

export interface Me {
  user: { id: number; email: string; name: string; role: string } | null; role: string; csrfToken: string | null;
  currency: string; timeZone: string;
}

// The CRM's currency and time zone, as the server reported them with the signed-in person.
const settings = { currency: 'INR', timeZone: 'Asia/Kolkata' };
export const adoptServerSettings = (me: Pick<Me, 'currency' | 'timeZone'>) => Object.assign(settings, { currency: me.currency, timeZone: me.timeZone });

export const money = (v: unknown) => formatMoney(Number(v ?? 0), settings.currency, true);
export const moneyShort = (v: unknown) => formatMoneyShort(Number(v ?? 0), settings.currency);
export const count = (v: unknown) => formatCount(Number(v ?? 0), settings.currency);
export const dateTime = (v: string | Date) => formatDateTime(v, settings.timeZone);
export const day = formatDay;
export const monthName = formatMonth;
