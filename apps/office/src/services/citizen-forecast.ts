import { formatZonedDate, type RecordForecast } from '@tangguh/domain';
import type { CitizenCheckResponse } from '@tangguh/protocol';
import type { OfficeContext } from '../context.ts';
import { printPlan } from './print-plan.ts';

/**
 * The print forecast a resident sees: a range of working days once the record is print-ready, never one
 * promised date before the card exists.
 *
 * It reads the whole print plan (services/print-plan.ts) and keeps it for a minute per office: the plan is
 * one pass over every waiting record, and a surge of residents checking during an outage must not run it
 * once each. A per-record forecast of the print plan (forecastFor) would replace this when it lands.
 */
const PLAN_TTL_MS = 60_000;
const plans = new WeakMap<OfficeContext, { at: number; forecasts: Promise<Map<string, RecordForecast>> }>();

function forecasts(ctx: OfficeContext): Promise<Map<string, RecordForecast>> {
  const now = Date.now();
  const cached = plans.get(ctx);
  if (cached && now - cached.at < PLAN_TTL_MS) return cached.forecasts;
  const fresh = printPlan(ctx).then((plan) => new Map(plan.forecast.map((f) => [f.recordId, f])));
  // A failed plan is not kept: the next resident asks again.
  fresh.catch(() => plans.delete(ctx));
  plans.set(ctx, { at: now, forecasts: fresh });
  return fresh;
}

const day = (isoDate: string, timeZone: string, lang: 'id' | 'en') => formatZonedDate(`${isoDate}T12:00:00Z`, timeZone, lang);

export async function citizenForecast(ctx: OfficeContext, recordId: string, status: string): Promise<CitizenCheckResponse['forecast']> {
  if (['CARD_PRINTED', 'CARD_SHIPPED', 'CARD_ISSUED'].includes(status)) {
    return { kind: 'PRINTED', earliest: null, latest: null, words: { id: 'KTP-el sudah dicetak.', en: 'The card is printed.' } };
  }
  if (status === 'SENT_FOR_CARD_PRINTING') {
    return { kind: 'AVAILABLE', earliest: null, latest: null, words: { id: 'KTP-el sedang dicetak sekarang.', en: 'The card is being printed now.' } };
  }
  if (status !== 'PRINT_READY_RECORD') {
    return { kind: 'NOT_YET', earliest: null, latest: null, words: { id: 'Perkiraan cetak tersedia setelah data Anda siap cetak (PRR).', en: 'A print estimate is available once your data is ready to print (PRR).' } };
  }
  let forecast: RecordForecast | undefined;
  try {
    forecast = (await forecasts(ctx)).get(recordId);
  } catch {
    forecast = undefined;
  }
  if (!forecast?.earliest || !forecast.latest) {
    return {
      kind: 'UNAVAILABLE',
      earliest: null,
      latest: null,
      words: { id: 'Belum dapat diperkirakan (stok blangko atau printer belum mencukupi). Periksa lagi nanti.', en: 'Cannot be estimated yet (not enough blank cards or printers). Check again later.' },
    };
  }
  const tz = ctx.office.timeZone;
  const same = forecast.earliest === forecast.latest;
  const id = same ? `Perkiraan dicetak sekitar ${day(forecast.earliest, tz, 'id')} (perkiraan, bukan janji).` : `Perkiraan dicetak antara ${day(forecast.earliest, tz, 'id')} dan ${day(forecast.latest, tz, 'id')} (perkiraan, bukan janji).`;
  const en = same ? `Expected to be printed around ${day(forecast.earliest, tz, 'en')} (an estimate, not a promise).` : `Expected to be printed between ${day(forecast.earliest, tz, 'en')} and ${day(forecast.latest, tz, 'en')} (an estimate, not a promise).`;
  return { kind: 'AVAILABLE', earliest: forecast.earliest, latest: forecast.latest, words: { id, en } };
}
