import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SERVICE_DEPENDENCIES, SERVICE_NAMES } from '@tangguh/domain';
import { checkUnsubscribeToken, maskAddress, normalizeEmail, normalizePhone, unsubscribeToken } from './addresses.ts';
import { retryDelay } from './dispatcher.ts';
import { cardLostTemplate, confirmTemplate, outageTemplate, recoveryTemplate, render, suketExpiryTemplate } from './templates.ts';

const ZONE = 'Asia/Jakarta';
const AMBULU = { id: 'Kec. Ambulu', en: 'Kec. Ambulu' };
const cetakAdvice = { id: 'Jangan datang hanya untuk cetak hari ini.', en: 'Do not come only for printing today.' };
const LINK = 'https://dkp.jember.go.id/l/AbCdEfGhIj.0123456789ab';

describe('message templates', () => {
  it('say the outage as the office would, in one SMS with the unsubscribe link', () => {
    const parts = outageTemplate('id', { service: { id: 'Cetak KTP-el', en: 'KTP-el printing' }, site: AMBULU, state: 'terganggu', since: '2026-03-02T00:10:00Z', stillOpen: [{ id: 'Perekaman', en: 'Recording' }], advice: cetakAdvice }, ZONE);
    expect(render(parts, 'email', 'id').text).toBe('Cetak KTP-el di Kec. Ambulu terganggu sejak 07.10. Perekaman tetap buka. Jangan datang hanya untuk cetak hari ini.\n');
    const sms = render(parts, 'sms', 'id', LINK).text;
    expect(sms).toBe(`Cetak KTP-el di Kec. Ambulu terganggu sejak 07.10. Jangan datang hanya untuk cetak hari ini. Berhenti: ${LINK}`);
    expect(sms.length).toBeLessThanOrEqual(160);
  });

  it('tell a resident their card was lost in transit and is printed again, what to do, in both languages; the SMS keeps the fact', () => {
    const parts = (lang: 'id' | 'en') => cardLostTemplate(lang, { office: 'Disdukcapil Jember', site: { id: 'Kecamatan Kaliwates', en: 'Kecamatan Kaliwates' } });
    const email = render(parts('id'), 'email', 'id').text;
    expect(email).toContain('KTP-el Anda hilang dalam pengiriman ke Kecamatan Kaliwates; dicetak ulang dengan prioritas.');
    expect(email).toContain('Suket tetap berlaku');
    expect(email).toContain('Belum perlu datang');
    expect(render(parts('en'), 'email', 'en').text).toContain('Your KTP-el was lost on its way to Kecamatan Kaliwates; it is being printed again first.');
    for (const lang of ['id', 'en'] as const) {
      // To the contact left with the Suket, not a subscriber: no unsubscribe link.
      const sms = render(parts(lang), 'sms', lang).text;
      expect(sms).toContain(lang === 'id' ? 'dicetak ulang' : 'printed again');
      expect(sms).toContain(lang === 'id' ? 'Belum perlu datang' : 'No need to come yet');
      expect(sms.length, sms).toBeLessThanOrEqual(160);
    }
  });

  it('drop what else stays open, never the fact, the advice or the link, when an SMS would not fit', () => {
    const many = ['Perekaman KTP-el', 'Pengambilan KTP-el', 'Surat Keterangan (Suket)', 'Konsultasi'].map((id) => ({ id, en: id }));
    const parts = outageTemplate('id', { service: SERVICE_NAMES.cetak, site: { id: 'Dinas Kependudukan dan Pencatatan Sipil', en: 'Dinas' }, state: 'gangguan', since: '2026-03-02T00:10:00Z', stillOpen: many, advice: cetakAdvice }, ZONE);
    const sms = render(parts, 'sms', 'id', LINK).text;
    expect(sms).not.toContain('tetap buka');
    expect(sms).toContain('tidak tersedia sejak 07.10.');
    expect(sms).toContain(cetakAdvice.id);
    expect(sms).toContain(LINK);
    expect(render(parts, 'email', 'id', LINK).text).toContain('tetap buka');
  });

  it('fit every service’s outage and recovery advice for a kecamatan into one SMS in both languages', () => {
    for (const [service, dependencies] of Object.entries(SERVICE_DEPENDENCIES)) {
      for (const d of dependencies) {
        for (const lang of ['id', 'en'] as const) {
          const name = SERVICE_NAMES[service as keyof typeof SERVICE_NAMES];
          const outage = render(outageTemplate(lang, { service: name, site: AMBULU, state: 'gangguan', since: '2026-03-02T00:10:00Z', stillOpen: [], advice: undefined }, ZONE), 'sms', lang).text;
          const recovery = render(recoveryTemplate(lang, { service: name, site: AMBULU, at: '2026-03-02T03:00:00Z' }, ZONE), 'sms', lang).text;
          expect(outage.length, `${service} ${lang}: ${outage}`).toBeLessThanOrEqual(160);
          expect(recovery.length, `${service} ${lang}: ${recovery}`).toBeLessThanOrEqual(160);
          expect(d.whatToDo[lang].length).toBeGreaterThan(0);
        }
      }
    }
  });

  it('tell a Suket holder to collect the card when it is printed, and to renew otherwise', () => {
    const base = { serial: 'SKT-3509-20260101-000001', expiresAt: '2026-07-01T05:00:00Z', site: AMBULU };
    expect(render(suketExpiryTemplate('id', { ...base, cardReady: true }, ZONE), 'sms', 'id').text).toBe('Suket SKT-3509-20260101-000001 berlaku s.d. 1 Juli 2026. KTP-el Anda sudah dicetak: ambil di Kec. Ambulu dengan membawa Suket.');
    expect(render(suketExpiryTemplate('en', { ...base, cardReady: false }, ZONE), 'sms', 'en').text).toBe('Suket SKT-3509-20260101-000001 is valid until 1 July 2026. Renew it at Kec. Ambulu before then; bring the old Suket.');
  });

  it('keep the confirmation code in an SMS and drop the link when the office’s name is long', () => {
    const parts = confirmTemplate('id', { office: 'Dinas Kependudukan dan Pencatatan Sipil Kabupaten Jember', code: '042917', link: 'https://disdukcapil.jemberkab.go.id/langganan?konfirmasi=AbCdEfGhIj.042917' });
    const sms = render(parts, 'sms', 'id').text;
    expect(sms.length).toBeLessThanOrEqual(160);
    expect(sms).toContain(': 042917 ');
    expect(render(parts, 'email', 'id').text).toContain('konfirmasi=AbCdEfGhIj.042917');
  });
});

describe('addresses', () => {
  it('read an Indonesian mobile number however it is written', () => {
    for (const written of ['0812-3456-7890', '+62 812 3456 7890', '6281234567890', '(0812) 3456 7890']) expect(normalizePhone(written)).toBe('6281234567890');
    for (const wrong of ['021-555-1234', '812345', '+1 415 555 0100', '0812abc', '08' + '1'.repeat(14), '']) expect(normalizePhone(wrong)).toBeUndefined();
  });

  it('read e-mail addresses and mask addresses for the delivery log', () => {
    expect(normalizeEmail(' Warga@Example.ORG ')).toBe('warga@example.org');
    expect(normalizeEmail('no-at-sign.example.org')).toBeUndefined();
    expect(maskAddress('sms', '6281234567890')).toBe('62812****7890');
    expect(maskAddress('email', 'warga@example.org')).toBe('w***@example.org');
    expect(maskAddress('webhook', 'https://bank.example/hooks/tangguh?k=1')).toBe('bank.example');
  });

  it('accept an unsubscribe link only as the office made it', () => {
    const secret = Buffer.alloc(32, 7);
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9_-]{10}$/), fc.string({ maxLength: 40 }), (publicId, junk) => {
        const token = unsubscribeToken(secret, publicId);
        expect(unsubscribeToken(secret, 'AbCdEfGhIj')).toMatch(/^AbCdEfGhIj\.[\w-]{12}$/);
    expect(checkUnsubscribeToken(secret, token)).toBe(publicId);
        expect(checkUnsubscribeToken(Buffer.alloc(32, 8), token)).toBeUndefined();
        if (junk !== token.split('.')[1]) expect(checkUnsubscribeToken(secret, `${publicId}.${junk}`)).toBeUndefined();
      }),
    );
  });
});

describe('retry delays', () => {
  it('grow exponentially to the cap and never come sooner than half the step', () => {
    const policy = { baseMs: 30_000, capMs: 3_600_000 };
    expect(retryDelay(1, policy, () => 0)).toBe(15_000);
    expect(retryDelay(1, policy, () => 1)).toBe(30_000);
    expect(retryDelay(3, policy, () => 0.5)).toBe(90_000);
    expect(retryDelay(40, policy, () => 1)).toBe(3_600_000);
    fc.assert(fc.property(fc.integer({ min: 1, max: 60 }), fc.double({ min: 0, max: 1, noNaN: true }), (attempt, r) => {
      const delay = retryDelay(attempt, policy, () => r);
      const step = Math.min(policy.capMs, policy.baseMs * 2 ** (attempt - 1));
      return delay >= step / 2 - 1 && delay <= step;
    }));
  });
});
