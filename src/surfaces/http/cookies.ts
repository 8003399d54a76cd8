import type { Response } from 'express';

export const SESSION_COOKIE = 'crm_session';
export const CSRF_COOKIE = 'crm_csrf';
export const OIDC_STATE_COOKIE = 'crm_oidc_state';

export function readCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 1) continue;
    const name = part.slice(0, eq).trim();
    try {
      cookies[name] = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      // A cookie that is not valid percent-encoding is ignored rather than failing the request.
    }
  }
  return cookies;
}

export function setCookie(res: Response, name: string, value: string, options: { httpOnly: boolean; secure: boolean; maxAgeSeconds?: number }) {
  const parts = [`${name}=${encodeURIComponent(value)}`, 'Path=/', 'SameSite=Lax'];
  if (options.httpOnly) parts.push('HttpOnly');
  if (options.secure) parts.push('Secure');
  if (options.maxAgeSeconds !== undefined) parts.push(`Max-Age=${options.maxAgeSeconds}`);
  res.append('Set-Cookie', parts.join('; '));
}
