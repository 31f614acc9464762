import { beforeAll, describe, expect, it, vi } from 'vitest';
import { regionListSchema, syncStatusSchema } from '@tangguh/protocol';
import { ApiError, contractApi } from './api.ts';

/** A real fetch of a fixed answer (a data: URL), so the parsing path is the one the browser runs. */
const answering = (body: unknown) => `data:application/json,${encodeURIComponent(JSON.stringify(body))}`;

const ZOD_TEXT = /Invalid input|expected|received|Too small|Too big|Invalid string/i;

describe('the web parses every answer with the contract', () => {
  // The page a call is made from goes with it (x-tangguh-screen); here, as in the browser, from `location`.
  beforeAll(() => {
    vi.stubGlobal('location', new URL('http://127.0.0.1:7200/petugas/rekam'));
  });

  it('returns the parsed answer, without fields the contract does not know', async () => {
    const answer = await contractApi.get(regionListSchema, answering({ items: [{ code: '35.09.01', name: 'Jombang', extra: 1 }] }));
    expect(answer).toEqual({ items: [{ code: '35.09.01', name: 'Jombang' }] });
  });

  it('refuses an answer of another shape with a bilingual message and no zod text', async () => {
    const failure = await contractApi.get(syncStatusSchema, answering({ central: { reachable: 'yes' } })).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    const { code, messages } = failure as ApiError;
    expect(code).toBe('BAD_RESPONSE');
    expect(messages.id).toMatch(/Jawaban server/);
    expect(messages.en).toMatch(/server reply/);
    expect(`${messages.id} ${messages.en}`).not.toMatch(ZOD_TEXT);
  });
});
