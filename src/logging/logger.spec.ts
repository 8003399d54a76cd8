import { Logger, redact } from './logger.js';

describe(Logger.name, () => {
  it('writes one JSON line per event and never a secret', () => {
    const lines: string[] = [];
    const sut = new Logger('info', (line) => lines.push(line));
    sut.info('connecting to postgres://crm:s3cret-pass@db:5432/crm', { password: 'p@ss', headers: { authorization: 'Bearer crm_abc' }, token: 'crm_' + 'a'.repeat(43), note: 'used crm_' + 'b'.repeat(43) });
    sut.debug('not written at info level');
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]);
    expect(line).toMatchObject({ level: 'info', password: '[redacted]', headers: { authorization: '[redacted]' }, token: '[redacted]' });
    expect(lines[0]).not.toMatch(/s3cret-pass|p@ss|crm_a{43}|crm_b{43}/);
    expect(line.msg).toBe('connecting to postgres://crm:***@db:5432/crm');
  });

  it('redacts inside errors too', () => {
    expect(JSON.stringify(redact(new Error('login failed with Bearer xyz.abc')))).not.toContain('xyz.abc');
  });
});
