import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * What a desktop assistant keeps while it connects with OAuth, in memory: its registration, the PKCE verifier, the
 * tokens. Its redirect URI is a loopback port it listens on; `codes` receives what the browser brings back there.
 */
export class AssistantOAuth implements OAuthClientProvider {
  information?: OAuthClientInformationMixed;
  saved?: OAuthTokens;
  verifier = '';
  authorizationUrl?: URL;
  readonly callbacks: URLSearchParams[] = [];
  private waiting: ((q: URLSearchParams) => void)[] = [];

  private constructor(private readonly server: Server, readonly redirectUrl: string, private readonly clientName: string, private readonly scope?: string) {}

  static async start(name: string, scope?: string) {
    let self: AssistantOAuth | undefined;
    const server = createServer((req, res) => {
      const query = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams;
      self!.callbacks.push(query);
      self!.waiting.splice(0).forEach((w) => w(query));
      res.writeHead(200, { 'content-type': 'text/html' }).end('<p>You can close this window.</p>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    self = new AssistantOAuth(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`, name, scope);
    return self;
  }

  get clientMetadata(): OAuthClientMetadata {
    return { client_name: this.clientName, redirect_uris: [this.redirectUrl], grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], token_endpoint_auth_method: 'none', ...(this.scope ? { scope: this.scope } : {}) };
  }
  clientInformation() { return this.information; }
  saveClientInformation(info: OAuthClientInformationMixed) { this.information = info; }
  tokens() { return this.saved; }
  saveTokens(tokens: OAuthTokens) { this.saved = tokens; }
  redirectToAuthorization(url: URL) { this.authorizationUrl = url; }
  saveCodeVerifier(verifier: string) { this.verifier = verifier; }
  codeVerifier() { return this.verifier; }

  /** The next query the browser brings to the redirect URI (a code, or an error). */
  nextCallback() {
    return new Promise<URLSearchParams>((resolve) => this.waiting.push(resolve));
  }

  close() {
    return new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
