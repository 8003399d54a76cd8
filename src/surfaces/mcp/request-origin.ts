import type { Request } from 'express';

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export const isLoopbackName = (hostname: string) => LOOPBACK_NAMES.has(hostname.toLowerCase());

/** The peer's own address; "::ffff:127.0.0.1" is IPv4 loopback seen through an IPv6 socket. */
export const isLoopbackAddress = (address: string | undefined) =>
  !!address && (address === '::1' || /^(::ffff:)?127\./.test(address));

const hostnameOf = (host: string) => {
  try {
    return new URL(`http://${host}`).hostname.toLowerCase();
  } catch {
    return '';
  }
};

/**
 * Which Host and Origin values the MCP endpoint answers. A web page on another site that rebinds its DNS name to
 * this machine still sends its own name as Host and Origin, so anything outside this list is refused before any
 * token is looked at.
 */
export class AllowedOrigins {
  private readonly hostnames: Set<string>;
  private readonly origins: Set<string>;

  constructor(publicUrl: string, extraHosts: string[] = []) {
    const pub = new URL(publicUrl);
    this.hostnames = new Set([...LOOPBACK_NAMES, pub.hostname.toLowerCase(), ...extraHosts.map((h) => h.toLowerCase())]);
    this.origins = new Set([pub.origin]);
  }

  hostAllowed(host: string | undefined) {
    return !!host && this.hostnames.has(hostnameOf(host));
  }

  /** Browsers send Origin; desktop assistants usually do not. When present it must be ours or a loopback page. */
  originAllowed(origin: string | undefined) {
    if (origin === undefined) return true;
    if (this.origins.has(origin)) return true;
    try {
      const url = new URL(origin);
      return (url.protocol === 'http:' || url.protocol === 'https:') && (isLoopbackName(url.hostname) || this.hostnames.has(url.hostname.toLowerCase()));
    } catch {
      return false;
    }
  }

  /** Why a request is refused, or null when its Host and Origin are both acceptable. */
  refusal(req: Request): string | null {
    if (!this.hostAllowed(req.header('host'))) return `Host "${req.header('host') ?? ''}" is not served here; add it to MCP_ALLOWED_HOSTS if it is yours.`;
    if (!this.originAllowed(req.header('origin'))) return `Requests from the page at ${req.header('origin')} are not accepted.`;
    return null;
  }
}

/**
 * True only for a request made on this machine straight to the server: the peer is loopback, no proxy forwarded it,
 * and it was addressed to a loopback name. Used by the tokenless loopback setting for the conformance suite.
 */
export function fromThisMachine(req: Request): boolean {
  return isLoopbackAddress(req.socket.remoteAddress)
    && !req.header('x-forwarded-for') && !req.header('forwarded')
    && isLoopbackName(hostnameOf(req.header('host') ?? ''));
}
