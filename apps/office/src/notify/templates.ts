import { formatZonedDate, zonedParts, type Bilingual } from '@tangguh/domain';
import type { ChannelName, Lang } from './types.ts';

/**
 * Message templates, Indonesian and English, plain and short. Each template returns parts; `render` joins
 * them for the channel. An SMS should fit one 160-character segment: when it does not, the optional parts
 * go first (what else stays open), never the fact, the advice or the unsubscribe link.
 */
export interface TemplateParts {
  subject: string;
  /** The fact: what is wrong (or right again) and since when. */
  lead: string;
  /** Helpful but dropped first when an SMS is too long. */
  optional?: string;
  /** What to do. */
  advice?: string;
  /** A line about the recipient's own booking or ticket (from an audience provider). */
  context?: string;
}

const SMS_LIMIT = 160;

const two = (n: number) => String(n).padStart(2, '0');
/** "07.10" in Indonesian, "07:10" in English, in the office's zone. */
export function clock(at: Date | string, timeZone: string, lang: Lang): string {
  const p = zonedParts(new Date(at), timeZone);
  return `${two(p.hour)}${lang === 'id' ? '.' : ':'}${two(p.minute)}`;
}

export type ServiceState = 'terganggu' | 'gangguan' | 'pemeliharaan';

const STATE_WORDS: Record<ServiceState, Bilingual> = {
  terganggu: { id: 'terganggu', en: 'disrupted' },
  gangguan: { id: 'tidak tersedia', en: 'unavailable' },
  pemeliharaan: { id: 'dalam pemeliharaan', en: 'under maintenance' },
};

/** Puts the first letter up: service names start sentences. */
const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const list = (names: string[], lang: Lang) => (names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} ${lang === 'id' ? 'dan' : 'and'} ${names.at(-1)}`);

export interface OutageData {
  service: Bilingual;
  site: Bilingual;
  state: ServiceState;
  since: Date | string;
  /** Other services at the site that still work. */
  stillOpen: Bilingual[];
  /** What to do, from the status model; a default is used when it says nothing. */
  advice?: Bilingual;
}

export function outageTemplate(lang: Lang, d: OutageData, timeZone: string): TemplateParts {
  const service = d.service[lang];
  const open = d.stillOpen.map((s) => s[lang]);
  return {
    subject: lang === 'id' ? `${sentence(service)} di ${d.site.id} ${STATE_WORDS[d.state].id}` : `${sentence(service)} at ${d.site.en} ${STATE_WORDS[d.state].en}`,
    lead:
      lang === 'id'
        ? `${sentence(service)} di ${d.site.id} ${STATE_WORDS[d.state].id} sejak ${clock(d.since, timeZone, lang)}.`
        : `${sentence(service)} at ${d.site.en} ${STATE_WORDS[d.state].en} since ${clock(d.since, timeZone, lang)}.`,
    optional: open.length === 0 ? undefined : lang === 'id' ? `${list(open, lang)} tetap buka.` : `${list(open, lang)} still open.`,
    advice: d.advice?.[lang] ?? (lang === 'id' ? `Jangan datang hanya untuk ${service.toLowerCase()} hari ini.` : `Do not come only for ${service.toLowerCase()} today.`),
  };
}

export interface RecoveryData {
  service: Bilingual;
  site: Bilingual;
  at: Date | string;
  advice?: Bilingual;
}

export function recoveryTemplate(lang: Lang, d: RecoveryData, timeZone: string): TemplateParts {
  const service = d.service[lang];
  return {
    subject: lang === 'id' ? `${sentence(service)} di ${d.site.id} normal kembali` : `${sentence(service)} at ${d.site.en} is back`,
    lead:
      lang === 'id'
        ? `${sentence(service)} di ${d.site.id} normal kembali sejak ${clock(d.at, timeZone, lang)}.`
        : `${sentence(service)} at ${d.site.en} is working again since ${clock(d.at, timeZone, lang)}.`,
    advice: d.advice?.[lang] ?? (lang === 'id' ? 'Silakan datang pada jam layanan dengan membawa tanda terima.' : 'You can come during opening hours; bring your receipt.'),
  };
}

export interface MaintenanceData {
  service: Bilingual;
  site: Bilingual;
  from: Date | string;
  to: Date | string;
  advice?: Bilingual;
}

export function maintenanceTemplate(lang: Lang, d: MaintenanceData, timeZone: string): TemplateParts {
  const service = d.service[lang];
  const day = formatZonedDate(d.from, timeZone, lang);
  const span = `${clock(d.from, timeZone, lang)}–${clock(d.to, timeZone, lang)}`;
  return {
    subject: lang === 'id' ? `Pemeliharaan ${service} di ${d.site.id}, ${day}` : `Maintenance of ${service} at ${d.site.en}, ${day}`,
    lead: lang === 'id' ? `Pemeliharaan: ${service} di ${d.site.id} tutup ${day} ${span}.` : `Maintenance: ${service} at ${d.site.en} closed ${day} ${span}.`,
    advice: d.advice?.[lang] ?? (lang === 'id' ? 'Datang di luar jam tersebut.' : 'Come outside these hours.'),
  };
}

export interface AnnouncementData {
  office: string;
  text: Bilingual;
}

export function announcementTemplate(lang: Lang, d: AnnouncementData): TemplateParts {
  return {
    subject: lang === 'id' ? `Pengumuman ${d.office}` : `Announcement from ${d.office}`,
    lead: lang === 'id' ? `Pengumuman ${d.office}: ${d.text.id}` : `${d.office}: ${d.text.en}`,
  };
}

export interface CardLostData {
  office: string;
  /** Where the card was being sent. */
  site: Bilingual;
}

/** A printed card lost on its way to the pickup point: it is printed again first; no need to come yet (one SMS). */
export function cardLostTemplate(lang: Lang, d: CardLostData): TemplateParts {
  return {
    subject: lang === 'id' ? `KTP-el Anda dicetak ulang (${d.office})` : `Your KTP-el is being printed again (${d.office})`,
    lead: lang === 'id' ? `KTP-el Anda hilang dalam pengiriman ke ${d.site.id}; dicetak ulang dengan prioritas.` : `Your KTP-el was lost on its way to ${d.site.en}; it is being printed again first.`,
    optional: lang === 'id' ? 'Suket tetap berlaku sampai tanggalnya.' : 'Your Suket stays valid until its date.',
    advice: lang === 'id' ? 'Belum perlu datang; kami kabari saat siap diambil.' : 'No need to come yet; we will tell you when it is ready.',
  };
}

export interface SuketExpiryData {
  serial: string;
  expiresAt: Date | string;
  /** The card is printed (or on its way): collect it instead of renewing. */
  cardReady: boolean;
  site: Bilingual;
}

export function suketExpiryTemplate(lang: Lang, d: SuketExpiryData, timeZone: string): TemplateParts {
  const day = formatZonedDate(d.expiresAt, timeZone, lang);
  return {
    subject: lang === 'id' ? `Suket ${d.serial} habis ${day}` : `Suket ${d.serial} expires ${day}`,
    lead: lang === 'id' ? `Suket ${d.serial} berlaku s.d. ${day}.` : `Suket ${d.serial} is valid until ${day}.`,
    advice: d.cardReady
      ? lang === 'id'
        ? `KTP-el Anda sudah dicetak: ambil di ${d.site.id} dengan membawa Suket.`
        : `Your KTP-el is printed: collect it at ${d.site.en}, bring the Suket.`
      : lang === 'id'
        ? `Perpanjang di ${d.site.id} sebelum tanggal itu; bawa Suket lama.`
        : `Renew it at ${d.site.en} before then; bring the old Suket.`,
  };
}

export interface ConfirmData {
  office: string;
  code: string;
  link: string;
}

export function confirmTemplate(lang: Lang, d: ConfirmData): TemplateParts {
  return {
    subject: lang === 'id' ? `Kode langganan ${d.office}: ${d.code}` : `Subscription code ${d.office}: ${d.code}`,
    lead: lang === 'id' ? `Kode konfirmasi info layanan ${d.office}: ${d.code} (30 menit).` : `Confirmation code for ${d.office} service news: ${d.code} (30 minutes).`,
    // The link is a convenience: on a phone, when the text would not fit one SMS, the code alone does.
    optional: lang === 'id' ? `Atau buka ${d.link}` : `Or open ${d.link}`,
    advice: lang === 'id' ? 'Abaikan bila Anda tidak meminta.' : 'Ignore this if you did not ask.',
  };
}

/**
 * Templates other parts add (the queue issue's booking/ticket family: reminder, called, moved): a kind and
 * a function from its data to parts. Registered once at start; `renderRegistered` uses them.
 */
export type TemplateFn = (lang: Lang, data: Record<string, unknown>, timeZone: string) => TemplateParts;
const REGISTERED = new Map<string, TemplateFn>();

export function registerTemplate(kind: string, template: TemplateFn): void {
  REGISTERED.set(kind, template);
}

export function registeredTemplate(kind: string): TemplateFn | undefined {
  return REGISTERED.get(kind);
}

/** The booking family's first member, used when a booking holder is told their slot falls in an outage. */
registerTemplate('booking.affected', (lang, data) => ({
  subject: lang === 'id' ? 'Jadwal Anda terdampak gangguan' : 'Your appointment is affected',
  lead: lang === 'id' ? `Jadwal ${String(data.ref ?? '')} terdampak gangguan layanan.` : `Appointment ${String(data.ref ?? '')} is affected by a disruption.`,
  advice: lang === 'id' ? 'Pilih jadwal lain di halaman antrean.' : 'Choose another slot on the queue page.',
}));

export interface Rendered {
  subject: string;
  text: string;
}

/**
 * Joins parts for a channel, with the unsubscribe line last. For SMS (and WhatsApp, read on the same
 * phones) the optional part is dropped when the whole would not fit one 160-character segment.
 */
export function render(parts: TemplateParts, channel: ChannelName, lang: Lang, unsubscribeUrl?: string): Rendered {
  const stop = unsubscribeUrl ? (lang === 'id' ? `Berhenti: ${unsubscribeUrl}` : `Stop: ${unsubscribeUrl}`) : undefined;
  const join = (withOptional: boolean) => [parts.lead, withOptional ? parts.optional : undefined, parts.context, parts.advice].filter(Boolean).join(' ');
  if (channel === 'email') {
    return { subject: parts.subject, text: [join(true), '', stop ?? ''].join('\n').trimEnd() + '\n' };
  }
  if (channel === 'webhook') return { subject: parts.subject, text: join(true) };
  const full = [join(true), stop].filter(Boolean).join(' ');
  if (full.length <= SMS_LIMIT || !parts.optional) return { subject: parts.subject, text: full };
  return { subject: parts.subject, text: [join(false), stop].filter(Boolean).join(' ') };
}
