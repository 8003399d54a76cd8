import { ConfigError, describeVariables, loadConfig } from './load-config.js';

describe(loadConfig.name, () => {
  it('gives working defaults with nothing set, so `npm start` needs no configuration', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ PORT: 3000, DATABASE_URL: undefined, DATA_DIR: '.data', MIGRATE_ON_START: true, SEED_ON_EMPTY: true, CURRENCY: 'INR' });
  });

  it('lists every problem at once, each with what the variable means, and never echoes a value', () => {
    let error: Error | undefined;
    try {
      loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://root:hunter2@db/crm', ADMIN_PASSWORD: 'short', OIDC_ISSUER_URL: 'https://accounts.google.com' });
    } catch (e) {
      error = e as Error;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = error!.message;
    expect(message).toMatch(/has 7 problem/);
    for (const key of ['PORT', 'LOG_LEVEL', 'DATABASE_URL', 'ADMIN_PASSWORD', 'ADMIN_EMAIL', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET']) expect(message).toContain(`- ${key} `);
    expect(message).toContain(describeVariables().DATABASE_URL);
    expect(message).toContain('must be a postgres:// URL');
    expect(message).not.toContain('hunter2');
  });

  it('treats an empty value as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', EMBEDDED_POSTGRES_PORT: '' })).toMatchObject({ DATABASE_URL: undefined, EMBEDDED_POSTGRES_PORT: undefined });
  });

  it('reads flags and domain lists', () => {
    expect(loadConfig({ SEED_ON_EMPTY: 'false', OIDC_ALLOWED_DOMAINS: ' Shop.Example, other.example ,' })).toMatchObject({ SEED_ON_EMPTY: false, OIDC_ALLOWED_DOMAINS: ['shop.example', 'other.example'] });
  });
});

describe('.env.example', () => {
  it('documents every variable the CRM reads, with its meaning', async () => {
    const { readFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { projectRoot } = await import('../project-root.js');
    const example = await readFile(join(projectRoot(), '.env.example'), 'utf8');
    for (const [key, meaning] of Object.entries(describeVariables())) {
      expect(example).toContain(`# ${meaning}\n${key}=`);
    }
  });
});
