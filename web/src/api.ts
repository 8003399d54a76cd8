// The CRM's HTTP API as the web app uses it: the session cookie travels by itself, writes carry the CSRF token.

let csrfToken: string | null = null;
export const setCsrfToken = (token: string | null) => (csrfToken = token);
export const csrfHeaders = (): Record<string, string> => (csrfToken ? { 'x-csrf-token': csrfToken } : {});

export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export async function api<T = any>(path: string, body?: unknown, method = body === undefined ? 'GET' : 'POST'): Promise<T> {
  const res = await fetch(path, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(method === 'GET' ? {} : csrfHeaders()) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = res.headers.get('content-type')?.includes('json') ? await res.json() : null;
  if (!res.ok) throw new ApiError(res.status, data?.message ?? `The server answered ${res.status}.`);
  return data as T;
}

export interface Me { user: { id: number; email: string; name: string; role: string } | null; role: string; csrfToken: string | null }

export const money = (v: unknown) => `₹${Number(v ?? 0).toLocaleString('en-IN', { maximumFractionDigits: 0 })}`;
export const count = (v: unknown) => Number(v ?? 0).toLocaleString('en-IN');
