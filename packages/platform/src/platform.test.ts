import { describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import { z } from 'zod';
import { DomainError } from '@tangguh/domain';
import { hashPassword, verifyPassword } from './passwords.ts';
import { installErrorHandler } from './http-errors.ts';

describe('passwords', () => {
  it('are stored as salted scrypt hashes and verified', async () => {
    const hash = await hashPassword('rahasia-jember');
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(hash).not.toContain('rahasia');
    expect(await verifyPassword('rahasia-jember', hash)).toBe(true);
    expect(await verifyPassword('rahasia-jembeR', hash)).toBe(false);
    expect(await hashPassword('rahasia-jember')).not.toBe(hash);
    expect(await verifyPassword('x', 'md5$abc')).toBe(false);
  });
});

describe('error responses', () => {
  async function appWith(thrown: () => unknown) {
    const app = Fastify();
    installErrorHandler(app);
    app.post('/x', async () => {
      throw thrown();
    });
    return app;
  }

  it('carry the domain code and both languages, choosing by Accept-Language', async () => {
    const app = await appWith(() => new DomainError('NIK_FORMAT', { id: 'NIK harus 16 angka.', en: 'NIK must be 16 digits.' }));
    const id = await app.inject({ method: 'POST', url: '/x' });
    expect(id.statusCode).toBe(400);
    expect(id.json()).toEqual({ error: { code: 'NIK_FORMAT', message: 'NIK harus 16 angka.', messages: { id: 'NIK harus 16 angka.', en: 'NIK must be 16 digits.' } } });
    const en = await app.inject({ method: 'POST', url: '/x', headers: { 'accept-language': 'en-US,en;q=0.9' } });
    expect(en.json().error.message).toBe('NIK must be 16 digits.');
  });

  it('list schema problems per field', async () => {
    const app = await appWith(() => z.object({ nik: z.string() }).parse({ nik: 5 }));
    const response = await app.inject({ method: 'POST', url: '/x' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('INVALID_INPUT');
    expect(response.json().error.issues[0].field).toBe('nik');
  });

  it('never leak a stack trace for an unexpected error', async () => {
    const app = await appWith(() => new Error('secret internal detail at /srv/app.ts:12'));
    const response = await app.inject({ method: 'POST', url: '/x' });
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('secret');
    expect(response.body).not.toContain('.ts');
    expect(response.json().error.code).toBe('INTERNAL');
  });

  it('answer unknown routes and bad JSON in the same shape', async () => {
    const app = await appWith(() => null);
    expect((await app.inject({ method: 'GET', url: '/nope' })).json().error.code).toBe('NOT_FOUND');
    const bad = await app.inject({ method: 'POST', url: '/x', headers: { 'content-type': 'application/json' }, payload: '{"a":' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.messages.en).toBeTruthy();
  });
});
