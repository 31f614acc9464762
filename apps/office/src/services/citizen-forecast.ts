import type { CitizenCheckResponse } from '@tangguh/protocol';
import type { OfficeContext } from '../context.ts';
import { dateText, forecastFor } from './print-forecast.ts';

/**
 * The print forecast a resident sees: a range of working days once the record is print-ready, never one
 * promised date before the card exists. It reads the print plan's own per-record forecast (forecastFor), which
 * keeps the plan while nothing it reads has changed, so a surge of residents checking during an outage does
 * not plan once each.
 */
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
  let forecast: Awaited<ReturnType<typeof forecastFor>>;
  try {
    forecast = await forecastFor(ctx, recordId);
  } catch {
    // The planner failing must not hide the rest of the resident's answer.
    forecast = undefined;
  }
  if (!forecast?.earliest) {
    return {
      kind: 'UNAVAILABLE',
      earliest: null,
      latest: null,
      words: { id: 'Belum dapat diperkirakan (stok blangko atau printer belum mencukupi). Periksa lagi nanti.', en: 'Cannot be estimated yet (not enough blank cards or printers). Check again later.' },
    };
  }
  const { earliest, latest } = forecast;
  // Always a range, said to be an estimate: a single day would read as a promise.
  const words = !latest
    ? { id: `Paling cepat dicetak ${dateText(earliest, 'id')}; paling lambat belum dapat diperkirakan (perkiraan, bukan janji).`, en: `${dateText(earliest, 'en')} at the earliest; the latest is not yet known (an estimate, not a promise).` }
    : earliest === latest
      ? { id: `Perkiraan dicetak sekitar ${dateText(earliest, 'id')} (perkiraan, bukan janji).`, en: `Expected to be printed around ${dateText(earliest, 'en')} (an estimate, not a promise).` }
      : { id: `Perkiraan dicetak antara ${dateText(earliest, 'id')} dan ${dateText(latest, 'id')} (perkiraan, bukan janji).`, en: `Expected to be printed between ${dateText(earliest, 'en')} and ${dateText(latest, 'en')} (an estimate, not a promise).` };
  return { kind: 'AVAILABLE', earliest, latest: latest ?? null, words };
}
