import { isLoopbackName } from '../../surfaces/mcp/request-origin.js';

/**
 * Where a client may have its codes sent: https anywhere, or plain http only back to this machine (a desktop
 * assistant listening on a loopback port, RFC 8252 §7.3). Never a fragment, never credentials in the address.
 * Returns why a redirect URI is refused, or null.
 */
export function redirectUriProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `"${value.slice(0, 100)}" is not an absolute URL.`;
  }
  if (url.hash) return 'A redirect URI may not have a fragment.';
  if (url.username || url.password) return 'A redirect URI may not carry a user name or password.';
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && isLoopbackName(url.hostname)) return null;
  return `Redirect URIs must use https, or http to a loopback address (127.0.0.1, [::1], localhost); "${url.protocol}//${url.host}" is neither.`;
}
