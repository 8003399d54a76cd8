/**
 * An OAuth refusal, in the words the specifications give it (RFC 6749 §5.2, RFC 7591 §3.2.2, RFC 8707 §2): clients
 * act on `error`, people read `error_description`.
 */
export type OAuthErrorCode =
  | 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unauthorized_client' | 'unsupported_grant_type' | 'invalid_scope'
  | 'invalid_target' | 'invalid_redirect_uri' | 'invalid_client_metadata' | 'access_denied' | 'unsupported_response_type';

export class OAuthError extends Error {
  constructor(readonly error: OAuthErrorCode, readonly description: string, readonly status = error === 'invalid_client' ? 401 : 400) {
    super(description);
  }

  body() {
    return { error: this.error, error_description: this.description };
  }
}
