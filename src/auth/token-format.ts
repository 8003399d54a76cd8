import { createHash, randomBytes } from 'node:crypto';

// API tokens look like crm_<43 random characters>: recognisable in a leaked file, and redacted from logs by that shape.
export const newToken = () => `crm_${randomBytes(32).toString('base64url')}`;
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
export const looksLikeToken = (value: string) => /^crm_[A-Za-z0-9_-]{43}$/.test(value);
