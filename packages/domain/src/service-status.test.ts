import { describe, expect, it } from 'vitest';
import {
  OFFICE_SCOPE,
  SERVICES,
  canMoveIncident,
  deriveService,
  deriveSite,
  levelFromLatency,
  newTrack,
  observe,
  servicesOffered,
  trackKey,
  worseServiceState,
  type CapabilityLevel,
  type CapabilityState,
  type CapabilityTrack,
  type Observation,
  type Transition,
} from './service-status.ts';

const cfg = { failAfter: 3, recoverAfter: 2 };
const obs = (level: CapabilityLevel | null): Observation => ({ level, detail: { id: level ?? '?', en: level ?? '?' } });
const at = (i: number) => new Date(Date.UTC(2026, 2, 2, 1, 0, i)).toISOString();

/** Feeds a sequence of observations; returns the track and every transition that happened. */
function run(levels: (CapabilityLevel | null)[], start: CapabilityTrack = newTrack('central_sync', OFFICE_SCOPE, at(0))) {
  let track = start;
  const transitions: Transition[] = [];
  levels.forEach((l, i) => {
    const r = observe(track, obs(l), at(i + 1), cfg);
    track = r.track;
    if (r.transition) transitions.push(r.transition);
  });
  return { track, transitions };
}

describe('hysteresis of a capability', () => {
  it('believes the first good observation at once, but not a first bad one', () => {
    expect(run(['up']).track.state).toBe('up');
    expect(run(['down']).track.state).toBe('unknown');
    expect(run(['down', 'down', 'down']).track.state).toBe('down');
  });

  it('goes down only after failAfter bad observations in a row, and comes back after recoverAfter good ones', () => {
    const { track, transitions } = run(['up', 'down', 'down', 'down', 'up', 'up']);
    expect(transitions).toEqual(['changed', 'went_down', 'came_back']);
    expect(track.state).toBe('up');
    expect(track.since).toBe(at(6));
  });

  it('does not go down when a good observation breaks the run of bad ones', () => {
    const { track, transitions } = run(['up', 'down', 'down', 'up', 'down', 'down', 'up']);
    expect(track.state).toBe('up');
    expect(transitions).toEqual(['changed']);
  });

  it('a link that flaps below the thresholds while down stays down: one outage, one went_down, one came_back', () => {
    const { transitions } = run(['up', 'down', 'down', 'down', 'up', 'down', 'up', 'down', 'down', 'up', 'up']);
    expect(transitions.filter((t) => t === 'went_down')).toHaveLength(1);
    expect(transitions.filter((t) => t === 'came_back')).toHaveLength(1);
  });

  it('ignores observations that cannot tell (level null): they neither count nor reset a run', () => {
    const { track } = run(['up', 'down', null, 'down', null, 'down']);
    expect(track.state).toBe('down');
  });

  it('counts a mix of degraded and down toward going down, and takes the last level seen', () => {
    expect(run(['up', 'degraded', 'down', 'degraded']).track.state).toBe('degraded');
    expect(run(['up', 'degraded', 'degraded', 'down']).track.state).toBe('down');
  });

  it('stops counting at the threshold, so a steady state writes nothing new', () => {
    const steady = run(['up', 'up', 'up', 'up']).track;
    const again = observe(steady, obs('up'), at(10), cfg).track;
    expect({ ...again, detail: steady.detail }).toEqual(steady);
  });

  it('reads latency: over the threshold a working capability is degraded', () => {
    expect(levelFromLatency(true, 2500, 2000)).toBe('degraded');
    expect(levelFromLatency(true, 100, 2000)).toBe('up');
    expect(levelFromLatency(false, 1, 2000)).toBe('down');
  });
});

const tracks = (entries: [string, string, CapabilityState][]) => new Map(entries.map(([c, s, state]) => [trackKey(c as never, s), state]));
const NOW = '2026-03-02T03:00:00.000Z';

describe('deriving each service at a site', () => {
  it('is normal everywhere when every capability is up or not yet known', () => {
    const all = deriveSite({ id: 'dinas', kind: 'DINAS', hasPrinters: true }, new Map(), NOW);
    expect(all.map((s) => s.service)).toEqual([...SERVICES]);
    expect(all.every((s) => s.state === 'normal')).toBe(true);
  });

  it('with the centre down: recording and Suket stay normal (offline), printing is terganggu, e-signing is gangguan', () => {
    const t = tracks([['central_sync', OFFICE_SCOPE, 'down']]);
    const by = Object.fromEntries(deriveSite({ id: 'dinas', kind: 'DINAS', hasPrinters: true }, t, NOW).map((s) => [s.service, s]));
    expect(by.perekaman!.state).toBe('normal');
    expect(by.perekaman!.explanation.id).toContain('perekaman tetap berjalan');
    expect(by.suket!.state).toBe('normal');
    expect(by.cetak!.state).toBe('terganggu');
    expect(by.tte_dokumen!.state).toBe('gangguan');
    expect(by.kk!.state).toBe('terganggu');
    expect(by.pengambilan!.state).toBe('normal');
    expect(by.cetak!.causes).toEqual(['central_sync']);
    expect(by.cetak!.whatToDo.en).toMatch(/Suket/);
  });

  it('printers and blanks count per site: a site out of blanks cannot print, another site can', () => {
    const t = tracks([
      ['blank_stock', 'kec-a', 'down'],
      ['blank_stock', 'dinas', 'up'],
    ]);
    expect(deriveService('cetak', 'kec-a', t, NOW).state).toBe('gangguan');
    expect(deriveService('cetak', 'dinas', t, NOW).state).toBe('normal');
  });

  it('says nothing of a slow capability that does not change the service, but explains one that is down', () => {
    const slow = deriveService('cetak', 'dinas', tracks([['central_sync', OFFICE_SCOPE, 'degraded']]), NOW);
    expect(slow).toMatchObject({ state: 'normal', causes: [] });
    expect(slow.explanation.id).toBe('Pencetakan berjalan normal.');
    expect(deriveService('tte_dokumen', 'dinas', tracks([['central_sync', OFFICE_SCOPE, 'degraded']]), NOW).state).toBe('terganggu');
  });

  it('takes the worst of several causes and explains each', () => {
    const t = tracks([
      ['central_sync', OFFICE_SCOPE, 'down'],
      ['printers', 'dinas', 'down'],
    ]);
    const cetak = deriveService('cetak', 'dinas', t, NOW);
    expect(cetak.state).toBe('gangguan');
    expect(cetak.causes.sort()).toEqual(['central_sync', 'printers']);
    expect(cetak.explanation.id).toContain('Printer kartu');
    expect(cetak.explanation.id).toContain('Pusat data tidak terhubung');
  });

  it('shows pemeliharaan during a maintenance window only, unless something worse is happening', () => {
    const window = { service: 'cetak' as const, siteId: 'dinas', startsAt: '2026-03-02T02:00:00.000Z', endsAt: '2026-03-02T04:00:00.000Z', note: { id: 'Servis printer', en: 'Printer service' } };
    expect(deriveService('cetak', 'dinas', new Map(), NOW, [window]).state).toBe('pemeliharaan');
    expect(deriveService('cetak', 'dinas', new Map(), '2026-03-02T04:00:00.000Z', [window]).state).toBe('normal');
    expect(deriveService('cetak', 'kec-a', new Map(), NOW, [window]).state).toBe('normal');
    expect(deriveService('cetak', 'dinas', tracks([['printers', 'dinas', 'down']]), NOW, [window]).state).toBe('gangguan');
  });

  it('lets an officer decide last, with the reason shown first; a note alone keeps the derived state', () => {
    const t = tracks([['central_sync', OFFICE_SCOPE, 'down']]);
    const decided = deriveService('perekaman', 'dinas', t, NOW, [], [{ service: 'perekaman', siteId: null, state: 'gangguan', note: { id: 'Listrik padam', en: 'Power cut' } }]);
    expect(decided.state).toBe('gangguan');
    expect(decided.overridden).toBe(true);
    expect(decided.explanation.id.startsWith('Listrik padam')).toBe(true);
    const noted = deriveService('cetak', 'dinas', t, NOW, [], [{ service: 'cetak', siteId: 'dinas', state: null, note: { id: 'Teknisi dalam perjalanan', en: 'Technician on the way' } }]);
    expect(noted.state).toBe('terganggu');
    expect(noted.explanation.en).toContain('Technician');
  });

  it('offers per site: printing only where there are printers, pickup points only collection and advice', () => {
    expect(servicesOffered({ kind: 'KECAMATAN', hasPrinters: false })).not.toContain('cetak');
    expect(servicesOffered({ kind: 'KECAMATAN', hasPrinters: true })).toContain('cetak');
    expect(servicesOffered({ kind: 'KECAMATAN', hasPrinters: true })).not.toContain('tte_dokumen');
    expect(servicesOffered({ kind: 'KELURAHAN', hasPrinters: false })).toEqual(['pengambilan', 'konsultasi']);
  });

  it('orders states for the history: gangguan is worst, then terganggu, then pemeliharaan', () => {
    expect(worseServiceState('pemeliharaan', 'terganggu')).toBe('terganggu');
    expect(worseServiceState('gangguan', 'terganggu')).toBe('gangguan');
    expect(worseServiceState('normal', 'pemeliharaan')).toBe('pemeliharaan');
  });
});

describe('incident timeline', () => {
  it('an open incident moves to any stage; a resolved one only takes a final note', () => {
    expect(canMoveIncident('investigating', 'monitoring')).toBe(true);
    expect(canMoveIncident('monitoring', 'identified')).toBe(true);
    expect(canMoveIncident('resolved', 'resolved')).toBe(true);
    expect(canMoveIncident('resolved', 'investigating')).toBe(false);
  });
});
