import type { Bilingual } from './errors.ts';

/**
 * The one status model: what the office depends on (capabilities), what it offers people at each site
 * (services), and how the first decides the second. Every screen, the public status page and every message
 * derive from here, so the board, the page and an SMS never disagree.
 *
 * Capabilities are observed on an interval; one observation never flips a state (a lost packet is not an
 * outage): `failAfter` bad observations in a row take a capability down, `recoverAfter` good ones bring it
 * back. An incident is opened when a capability goes down and resolved when it comes back, so a link that
 * flaps under the thresholds opens nothing, and one outage is one incident however often the probe ran.
 */

export const CAPABILITIES = ['central_sync', 'print_packages', 'tte', 'printers', 'blank_stock'] as const;
export type CapabilityId = (typeof CAPABILITIES)[number];

/** Office-wide capabilities are observed once (scope '*'); the others per site. */
export const SITE_CAPABILITIES: readonly CapabilityId[] = ['printers', 'blank_stock'];
export const OFFICE_SCOPE = '*';

export type CapabilityLevel = 'up' | 'degraded' | 'down';
/** 'unknown' only until the first observation that says anything. */
export type CapabilityState = CapabilityLevel | 'unknown';

export const SERVICES = ['perekaman', 'cetak', 'pengambilan', 'suket', 'tte_dokumen', 'kk', 'akta', 'konsultasi'] as const;
export type ServiceId = (typeof SERVICES)[number];

export const SERVICE_STATES = ['normal', 'terganggu', 'gangguan', 'pemeliharaan'] as const;
export type ServiceState = (typeof SERVICE_STATES)[number];

/** Worst first when states are merged (a day's history, several causes): an outage outweighs planned work. */
const SERVICE_RANK: Record<ServiceState, number> = { normal: 0, pemeliharaan: 1, terganggu: 2, gangguan: 3 };
export const serviceStateRank = (state: ServiceState): number => SERVICE_RANK[state];
export const serviceStateOfRank = (rank: number): ServiceState => SERVICE_STATES.find((s) => SERVICE_RANK[s] === rank) ?? 'normal';
export const worseServiceState = (a: ServiceState, b: ServiceState): ServiceState => (SERVICE_RANK[b] > SERVICE_RANK[a] ? b : a);

export const CAPABILITY_NAMES: Record<CapabilityId, Bilingual> = {
  central_sync: { id: 'Sinkronisasi dengan pusat data', en: 'Sync with the national centre' },
  print_packages: { id: 'Data cetak dari pusat', en: 'Print data from the centre' },
  tte: { id: 'Layanan tanda tangan elektronik (TTE) pusat', en: "The centre's e-signature (TTE) service" },
  printers: { id: 'Printer kartu', en: 'Card printers' },
  blank_stock: { id: 'Stok blangko KTP-el', en: 'Blank KTP-el cards' },
};

export const SERVICE_NAMES: Record<ServiceId, Bilingual> = {
  perekaman: { id: 'Perekaman KTP-el', en: 'KTP-el recording' },
  cetak: { id: 'Cetak KTP-el', en: 'KTP-el printing' },
  pengambilan: { id: 'Pengambilan KTP-el', en: 'KTP-el collection' },
  suket: { id: 'Surat Keterangan (Suket)', en: 'Temporary certificate (Suket)' },
  tte_dokumen: { id: 'Tanda tangan elektronik (dokumen)', en: 'E-signature of documents' },
  kk: { id: 'Kartu Keluarga (KK)', en: 'Family card (KK)' },
  akta: { id: 'Akta (kelahiran, kematian, dll.)', en: 'Civil certificates (birth, death, …)' },
  konsultasi: { id: 'Konsultasi', en: 'Consultation' },
};

export const SERVICE_STATE_NAMES: Record<ServiceState, Bilingual> = {
  normal: { id: 'Normal', en: 'Normal' },
  terganggu: { id: 'Terganggu', en: 'Degraded' },
  gangguan: { id: 'Gangguan', en: 'Outage' },
  pemeliharaan: { id: 'Pemeliharaan', en: 'Maintenance' },
};

/** How a service fares when one capability it uses is degraded or down, and what people should do then. */
export interface Dependency {
  capability: CapabilityId;
  whenDown: ServiceState;
  whenDegraded: ServiceState;
  /** Plain words: what this means for someone who wants the service. */
  explanation: Bilingual;
  whatToDo: Bilingual;
}

const dep = (capability: CapabilityId, whenDown: ServiceState, whenDegraded: ServiceState, explanation: Bilingual, whatToDo: Bilingual): Dependency => ({ capability, whenDown, whenDegraded, explanation, whatToDo });

const COME_AS_USUAL: Bilingual = { id: 'Silakan datang seperti biasa.', en: 'Come as usual.' };

/** The services and what each needs. This list is the office's: the queue and the board use it too. */
export const SERVICE_DEPENDENCIES: Record<ServiceId, readonly Dependency[]> = {
  perekaman: [
    dep('central_sync', 'normal', 'normal', { id: 'Pusat data tidak terhubung, tetapi perekaman tetap berjalan di kantor; data dikirim otomatis ke pusat saat jaringan pulih.', en: 'The centre is not connected, but recording goes on at the office; the data is sent to the centre by itself when the link returns.' }, COME_AS_USUAL),
  ],
  cetak: [
    dep('printers', 'gangguan', 'terganggu', { id: 'Printer kartu di lokasi ini tidak dapat dipakai.', en: 'The card printers at this site cannot be used.' }, { id: 'Tunda kedatangan untuk cetak; kami umumkan di sini saat printer siap. Suket dapat diterbitkan sebagai pengganti sementara.', en: 'Put off coming for printing; we will announce here when the printers are ready. A Suket can be issued meanwhile.' }),
    dep('blank_stock', 'gangguan', 'terganggu', { id: 'Blangko KTP-el habis atau hampir habis di lokasi ini.', en: 'Blank cards have run out or are running low at this site.' }, { id: 'Tanyakan Suket sebagai pengganti sementara; pencetakan dilanjutkan menurut prioritas saat blangko datang.', en: 'Ask for a Suket meanwhile; printing resumes by priority when blanks arrive.' }),
    dep('print_packages', 'terganggu', 'terganggu', { id: 'Data cetak baru dari pusat terlambat datang; kartu yang datanya sudah diterima tetap dapat dicetak.', en: 'New print data from the centre is late; cards whose data has arrived can still be printed.' }, { id: 'Jika kartu Anda belum siap, Suket dapat diterbitkan sebagai pengganti sementara.', en: 'If your card is not ready yet, a Suket can be issued meanwhile.' }),
    dep('central_sync', 'terganggu', 'normal', { id: 'Pusat data tidak terhubung: hanya kartu yang datanya sudah diterima kantor yang dapat dicetak.', en: 'The centre is not connected: only cards whose data the office already holds can be printed.' }, { id: 'Periksa status rekaman Anda sebelum datang; Suket dapat diterbitkan sebagai pengganti sementara.', en: 'Check your record before coming; a Suket can be issued meanwhile.' }),
  ],
  pengambilan: [],
  suket: [
    dep('central_sync', 'normal', 'normal', { id: 'Pusat data tidak terhubung, tetapi Suket diterbitkan dan ditandatangani kantor; kode QR-nya tetap dapat diperiksa.', en: 'The centre is not connected, but the office issues and signs the Suket; its QR code can still be checked.' }, COME_AS_USUAL),
  ],
  tte_dokumen: [
    dep('tte', 'gangguan', 'terganggu', { id: 'Layanan tanda tangan elektronik pusat tidak tersedia: dokumen menunggu ditandatangani.', en: "The centre's e-signature service is unavailable: documents wait to be signed." }, { id: 'Dokumen Anda tetap didaftarkan dan ditandatangani saat layanan pulih; tunggu kabar sebelum mengambil.', en: 'Your document is still registered and will be signed when the service returns; wait for word before collecting it.' }),
    dep('central_sync', 'gangguan', 'terganggu', { id: 'Pusat data tidak terhubung: dokumen tidak dapat ditandatangani secara elektronik.', en: 'The centre is not connected: documents cannot be e-signed.' }, { id: 'Dokumen Anda tetap didaftarkan; tunggu kabar sebelum mengambil.', en: 'Your document is still registered; wait for word before collecting it.' }),
  ],
  kk: [
    dep('tte', 'terganggu', 'terganggu', { id: 'Pengajuan KK diterima, tetapi penandatanganan elektronik tertunda.', en: 'Family card applications are taken, but e-signing is delayed.' }, { id: 'Ajukan seperti biasa; pengambilan dapat mundur beberapa hari.', en: 'Apply as usual; collection may be a few days later.' }),
    dep('central_sync', 'terganggu', 'normal', { id: 'Pusat data tidak terhubung: perubahan data KK diproses setelah jaringan pulih.', en: 'The centre is not connected: family card changes are processed when the link returns.' }, { id: 'Ajukan seperti biasa; penyelesaian dapat mundur.', en: 'Apply as usual; completion may take longer.' }),
  ],
  akta: [
    dep('tte', 'terganggu', 'terganggu', { id: 'Pengajuan akta diterima, tetapi penandatanganan elektronik tertunda.', en: 'Certificate applications are taken, but e-signing is delayed.' }, { id: 'Ajukan seperti biasa; pengambilan dapat mundur beberapa hari.', en: 'Apply as usual; collection may be a few days later.' }),
    dep('central_sync', 'terganggu', 'normal', { id: 'Pusat data tidak terhubung: akta diproses setelah jaringan pulih.', en: 'The centre is not connected: certificates are processed when the link returns.' }, { id: 'Ajukan seperti biasa; penyelesaian dapat mundur.', en: 'Apply as usual; completion may take longer.' }),
  ],
  konsultasi: [],
};

const NORMAL_TEXT: Record<ServiceId, Bilingual> = {
  perekaman: { id: 'Perekaman berjalan normal.', en: 'Recording works normally.' },
  cetak: { id: 'Pencetakan berjalan normal.', en: 'Printing works normally.' },
  pengambilan: { id: 'Kartu yang sudah dicetak dapat diambil.', en: 'Printed cards can be collected.' },
  suket: { id: 'Suket dapat diterbitkan.', en: 'Sukets can be issued.' },
  tte_dokumen: { id: 'Dokumen ditandatangani secara elektronik seperti biasa.', en: 'Documents are e-signed as usual.' },
  kk: { id: 'Layanan KK berjalan normal.', en: 'Family cards work normally.' },
  akta: { id: 'Layanan akta berjalan normal.', en: 'Certificates work normally.' },
  konsultasi: { id: 'Konsultasi berjalan normal.', en: 'Consultation works normally.' },
};

/** Which services a site offers: the Dinas everything; a kecamatan office all but document signing, and printing where it has printers; a pickup point collection and advice. */
export function servicesOffered(site: { kind: string; hasPrinters: boolean }): ServiceId[] {
  const kind = site.kind.toUpperCase();
  if (kind === 'DINAS') return [...SERVICES];
  if (kind === 'KECAMATAN') return SERVICES.filter((s) => s !== 'tte_dokumen' && (s !== 'cetak' || site.hasPrinters));
  return ['pengambilan', 'konsultasi'];
}

export const capabilitiesUsed = (service: ServiceId): CapabilityId[] => SERVICE_DEPENDENCIES[service].map((d) => d.capability);
export const servicesUsing = (capability: CapabilityId): ServiceId[] => SERVICES.filter((s) => capabilitiesUsed(s).includes(capability));

// ---------------------------------------------------------------------------------------------------
// Observations and hysteresis

export interface HysteresisConfig {
  /** Bad observations in a row that take a capability down. */
  failAfter: number;
  /** Good observations in a row that bring it back. */
  recoverAfter: number;
}
export const DEFAULT_HYSTERESIS: HysteresisConfig = { failAfter: 3, recoverAfter: 2 };

/** One probe's answer; level null when it could not tell (no worker has reported, no data yet). */
export interface Observation {
  level: CapabilityLevel | null;
  detail: Bilingual;
  latencyMs?: number | null;
}

/** What is kept per capability and scope between observations. */
export interface CapabilityTrack {
  capability: CapabilityId;
  scope: string;
  state: CapabilityState;
  since: string;
  /** Consecutive observations worse than the state (toward a worse state) and better than it. */
  worseStreak: number;
  betterStreak: number;
  detail: Bilingual;
  latencyMs: number | null;
}

export type Transition = 'went_down' | 'came_back' | 'changed' | null;

const LEVEL_RANK: Record<CapabilityState, number> = { unknown: 0, up: 0, degraded: 1, down: 2 };

export function newTrack(capability: CapabilityId, scope: string, at: string): CapabilityTrack {
  return { capability, scope, state: 'unknown', since: at, worseStreak: 0, betterStreak: 0, detail: { id: 'Belum diperiksa.', en: 'Not checked yet.' }, latencyMs: null };
}

/**
 * Applies one observation. A worse level must be seen `failAfter` times in a row (any mix of worse levels:
 * the last one seen is taken), a better one `recoverAfter` times; the first good observation after start
 * is believed at once, since nothing was promised before it. Streaks stop counting at their threshold so
 * a steady capability writes nothing new.
 */
export function observe(track: CapabilityTrack, observation: Observation, at: string, config: HysteresisConfig = DEFAULT_HYSTERESIS): { track: CapabilityTrack; transition: Transition } {
  const base = { ...track, latencyMs: observation.latencyMs ?? track.latencyMs };
  if (observation.level === null) return { track: base, transition: null };
  const level = observation.level;
  const current = LEVEL_RANK[track.state];
  const seen = LEVEL_RANK[level];
  if (track.state === 'unknown' && level !== 'down') return { track: { ...base, state: level, since: at, worseStreak: 0, betterStreak: 0, detail: observation.detail }, transition: 'changed' };
  if (seen === current && track.state !== 'unknown') return { track: { ...base, worseStreak: 0, betterStreak: 0, detail: observation.detail }, transition: null };
  if (seen > current) {
    const worseStreak = Math.min(track.worseStreak + 1, config.failAfter);
    if (worseStreak < config.failAfter) return { track: { ...base, worseStreak, betterStreak: 0 }, transition: null };
    const next: CapabilityTrack = { ...base, state: level, since: at, worseStreak: 0, betterStreak: 0, detail: observation.detail };
    return { track: next, transition: level === 'down' ? 'went_down' : 'changed' };
  }
  const betterStreak = Math.min(track.betterStreak + 1, config.recoverAfter);
  if (betterStreak < config.recoverAfter) return { track: { ...base, betterStreak, worseStreak: 0 }, transition: null };
  const next: CapabilityTrack = { ...base, state: level, since: at, worseStreak: 0, betterStreak: 0, detail: observation.detail };
  return { track: next, transition: track.state === 'down' ? 'came_back' : 'changed' };
}

/** A level from a latency: over the threshold a working capability counts as degraded. */
export const levelFromLatency = (ok: boolean, latencyMs: number, degradedAboveMs: number): CapabilityLevel => (!ok ? 'down' : latencyMs > degradedAboveMs ? 'degraded' : 'up');

// ---------------------------------------------------------------------------------------------------
// Deriving each service at each site

export interface ServiceOverride {
  service: ServiceId;
  /** null: every site. */
  siteId: string | null;
  /** null: only an explanation added to the derived state. */
  state: ServiceState | null;
  note: Bilingual;
}

export interface MaintenanceWindow {
  service: ServiceId | null;
  siteId: string | null;
  startsAt: string;
  endsAt: string;
  note: Bilingual;
}

export interface DerivedService {
  service: ServiceId;
  state: ServiceState;
  /** What it means, in plain words, and what to do. */
  explanation: Bilingual;
  whatToDo: Bilingual;
  /** The capabilities that made it less than normal. */
  causes: CapabilityId[];
  /** Set when an officer decided the state (or added a note). */
  overridden: boolean;
}

const join = (parts: Bilingual[]): Bilingual => ({ id: parts.map((p) => p.id).join(' '), en: parts.map((p) => p.en).join(' ') });
const unique = (parts: Bilingual[]): Bilingual[] => parts.filter((p, i) => parts.findIndex((q) => q.id === p.id) === i);

/** The capability state a site sees: its own for per-site capabilities, the office's for the rest. */
export function capabilityAt(tracks: ReadonlyMap<string, CapabilityState>, capability: CapabilityId, siteId: string): CapabilityState {
  const scope = SITE_CAPABILITIES.includes(capability) ? siteId : OFFICE_SCOPE;
  return tracks.get(trackKey(capability, scope)) ?? 'unknown';
}
export const trackKey = (capability: CapabilityId, scope: string) => `${capability}|${scope}`;

const applies = (siteId: string, service: ServiceId) => (x: { service: ServiceId | null; siteId: string | null }) => (x.service === null || x.service === service) && (x.siteId === null || x.siteId === siteId);

/**
 * One service at one site: the worst effect of its capabilities; a maintenance window in force makes it
 * pemeliharaan (an outage during maintenance still shows as the outage); an officer's override decides last.
 */
export function deriveService(
  service: ServiceId,
  siteId: string,
  tracks: ReadonlyMap<string, CapabilityState>,
  now: string,
  maintenance: readonly MaintenanceWindow[] = [],
  overrides: readonly ServiceOverride[] = [],
): DerivedService {
  let state: ServiceState = 'normal';
  const explanations: Bilingual[] = [];
  const todo: Bilingual[] = [];
  const causes: CapabilityId[] = [];
  for (const d of SERVICE_DEPENDENCIES[service]) {
    const cap = capabilityAt(tracks, d.capability, siteId);
    if (cap !== 'down' && cap !== 'degraded') continue;
    const effect = cap === 'down' ? d.whenDown : d.whenDegraded;
    // A slow capability that does not change this service is not worth a word; one that is down is (it says
    // why the service still works: "recording goes on offline").
    if (cap === 'degraded' && effect === 'normal') continue;
    causes.push(d.capability);
    explanations.push(d.explanation);
    if (effect !== 'normal') todo.push(d.whatToDo);
    state = worseServiceState(state, effect);
  }
  if (todo.length === 0 && explanations.length > 0) todo.push(COME_AS_USUAL);
  const window = maintenance.find((m) => applies(siteId, service)(m) && m.startsAt <= now && now < m.endsAt);
  if (window && serviceStateRank(state) < serviceStateRank('pemeliharaan')) {
    state = 'pemeliharaan';
    explanations.unshift(window.note);
    todo.unshift({ id: 'Pemeliharaan terjadwal; datang setelah selesai.', en: 'Planned maintenance; come after it ends.' });
  }
  const override = [...overrides].reverse().find(applies(siteId, service));
  if (override) {
    if (override.state) state = override.state;
    explanations.unshift(override.note);
  }
  const explanation = explanations.length > 0 ? join(unique(explanations)) : NORMAL_TEXT[service];
  const whatToDo = todo.length > 0 ? join(unique(todo)) : state === 'normal' ? COME_AS_USUAL : { id: 'Ikuti pengumuman di halaman ini.', en: 'Follow the announcements on this page.' };
  return { service, state, explanation, whatToDo, causes, overridden: override !== undefined };
}

/** Every service a site offers, derived. */
export function deriveSite(
  site: { id: string; kind: string; hasPrinters: boolean },
  tracks: ReadonlyMap<string, CapabilityState>,
  now: string,
  maintenance: readonly MaintenanceWindow[] = [],
  overrides: readonly ServiceOverride[] = [],
): DerivedService[] {
  return servicesOffered(site).map((s) => deriveService(s, site.id, tracks, now, maintenance, overrides));
}

// ---------------------------------------------------------------------------------------------------
// Incidents

export const INCIDENT_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** The automatic first and last words of an incident about a capability. */
export function incidentTexts(capability: CapabilityId, scopeName: string | null): { title: Bilingual; opened: Bilingual; resolved: Bilingual } {
  const name = CAPABILITY_NAMES[capability];
  const where = scopeName ? { id: ` di ${scopeName}`, en: ` at ${scopeName}` } : { id: '', en: '' };
  return {
    title: { id: `Gangguan: ${name.id}${where.id}`, en: `Outage: ${name.en}${where.en}` },
    opened: { id: `${name.id}${where.id} tidak berfungsi menurut pemeriksaan otomatis. Petugas sedang memeriksa.`, en: `${name.en}${where.en} failed the automatic checks. Staff are looking into it.` },
    resolved: { id: `${name.id}${where.id} kembali berfungsi menurut pemeriksaan otomatis.`, en: `${name.en}${where.en} works again according to the automatic checks.` },
  };
}

/** Officers move an open incident to any stage; once resolved, only a final note (another 'resolved') may follow. */
export function canMoveIncident(from: IncidentStatus, to: IncidentStatus): boolean {
  return from !== 'resolved' || to === 'resolved';
}
