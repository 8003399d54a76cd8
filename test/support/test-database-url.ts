// Where tests find PostgreSQL: DATABASE_URL when set (CI sets it to the machine's server), otherwise the embedded
// one that global setup started and described in CRM_TEST_DATABASE_URL.
export function adminUrl(): string {
  const url = process.env.CRM_TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!url) throw new Error('No test database: global setup did not run.');
  return url;
}

export function withDatabase(url: string, database: string) {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export const TEMPLATE_DATABASE = 'crm_test_template';
