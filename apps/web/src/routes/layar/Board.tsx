import { useEffect, useRef, useState } from 'react';
import { QUEUE_PATHS, queueBoardSchema, queueCallEventSchema, queueOptionsSchema, type QueueBoard, type QueueCallEvent } from '@tangguh/protocol';
import { contractApi, withQuery } from '../../api.ts';
import { usePolling } from '../../hooks.ts';
import { followLiveStream } from '../../live-stream.ts';
import { queueCommon, rememberSite, rememberedSite, waitText } from '../warga/queue-text.ts';
import { TAP_FOR_SOUND, useBoardText } from './board-messages.ts';
import './board.css';

const SITE_KEY = 'tangguh.board.site';
export const BOARD_POLL_MS = 5_000;
/** How long the newest call stays highlighted. */
const FRESH_MS = 15_000;
/** A WAV that never ends (no audio device) does not hold up the next call longer than this. */
const SPEAK_CAP_MS = 12_000;
const url = (key: keyof typeof QUEUE_PATHS) => QUEUE_PATHS[key].split(' ')[1]!;

/** What the board asked to be spoken, for people and tests looking at the page: `window.tangguhBoard.spoken`. */
interface BoardHook {
  spoken: { callId: string; ticketNumber: string; via: 'wav' | 'speech' }[];
  soundEnabled: boolean;
}
declare global {
  interface Window {
    tangguhBoard?: BoardHook;
  }
}
const hook = (): BoardHook => (window.tangguhBoard ??= { spoken: [], soundEnabled: false });

function speakWithBrowser(call: QueueCallEvent): Promise<void> {
  return new Promise((resolve) => {
    if (typeof speechSynthesis === 'undefined') return resolve();
    const utterance = new SpeechSynthesisUtterance(call.text.id);
    utterance.lang = 'id-ID';
    const voice = speechSynthesis.getVoices().find((v) => v.lang.toLowerCase().startsWith('id'));
    if (voice) utterance.voice = voice;
    utterance.rate = 0.9;
    utterance.onend = () => resolve();
    utterance.onerror = () => resolve();
    hook().spoken.push({ callId: call.callId, ticketNumber: call.ticketNumber, via: 'speech' });
    speechSynthesis.speak(utterance);
    setTimeout(resolve, SPEAK_CAP_MS);
  });
}

function playWav(call: QueueCallEvent, src: string): Promise<boolean> {
  return new Promise((resolve) => {
    const audio = new Audio(src);
    let settled = false;
    const done = (ok: boolean) => {
      if (settled) return;
      settled = true;
      resolve(ok);
    };
    audio.onended = () => done(true);
    audio.onerror = () => done(false);
    hook().spoken.push({ callId: call.callId, ticketNumber: call.ticketNumber, via: 'wav' });
    audio.play().catch(() => done(false));
    setTimeout(() => done(true), SPEAK_CAP_MS);
  });
}

/**
 * Speaks calls one after another: the office's WAV (espeak-ng, Indonesian), or the browser's speech in
 * Indonesian when the call has no WAV or it fails to play.
 */
function useSpeaker(enabled: boolean) {
  const queue = useRef<QueueCallEvent[]>([]);
  const running = useRef(false);
  const enabledRef = useRef(enabled);
  enabledRef.current = enabled;
  const run = async () => {
    if (running.current) return;
    running.current = true;
    while (queue.current.length > 0 && enabledRef.current) {
      const call = queue.current.shift()!;
      const played = call.audioUrl ? await playWav(call, call.audioUrl) : false;
      if (!played) await speakWithBrowser(call);
    }
    running.current = false;
  };
  return (call: QueueCallEvent) => {
    if (!enabledRef.current) return;
    queue.current.push(call);
    void run();
  };
}

/** The board of a site, live: the event stream (whole board on connect and change, each call as it happens), else polling. */
function useLiveBoard(siteId: string | null, onCall: (call: QueueCallEvent) => void) {
  const [board, setBoard] = useState<QueueBoard>();
  const [mode, setMode] = useState<'live' | 'polling' | 'offline'>('polling');
  const onCallRef = useRef(onCall);
  onCallRef.current = onCall;

  useEffect(() => {
    if (!siteId) return;
    const seen = new Set<string>();
    let seeded = false;
    const accept = (next: QueueBoard, fromPoll: boolean) => {
      // Polling learns of calls from the board itself: those not seen before are spoken (not the first load's).
      if (fromPoll && seeded) for (const c of [...next.recentCalls].reverse()) if (!seen.has(`${c.callId}:${c.at}`)) onCallRef.current(c);
      for (const c of next.recentCalls) seen.add(`${c.callId}:${c.at}`);
      seeded = true;
      setBoard(next);
    };
    return followLiveStream({
      streamUrl: withQuery(url('boardStream'), { siteId }),
      events: {
        board: (data) => {
          const parsed = queueBoardSchema.safeParse(JSON.parse(data));
          if (!parsed.success) return false;
          accept(parsed.data, false);
          return true;
        },
        call: (data) => {
          const parsed = queueCallEventSchema.safeParse(JSON.parse(data));
          if (!parsed.success) return false;
          seen.add(`${parsed.data.callId}:${parsed.data.at}`);
          onCallRef.current(parsed.data);
          // The call is on the board at once; the whole board follows a moment later.
          setBoard((b) => (b ? { ...b, recentCalls: [parsed.data, ...b.recentCalls.filter((c) => c.callId !== parsed.data.callId || c.at !== parsed.data.at)], counters: b.counters.map((c) => (c.number === parsed.data.counterNumber ? { ...c, current: parsed.data } : c)) } : b));
          return false;
        },
      },
      poll: async (signal) => accept(await contractApi.get(queueBoardSchema, withQuery(url('board'), { siteId }), signal), true),
      pollMs: BOARD_POLL_MS,
      onPolled: (ok, streaming) => {
        if (!streaming) setMode(ok ? 'polling' : 'offline');
      },
      onLive: () => setMode('live'),
      onBroken: () => setMode('polling'),
      received: () => seeded,
    });
  }, [siteId]);
  return { board, mode };
}

/**
 * `/layar`: the TV board (1920×1080, read from across the room). The newest call large and highlighted,
 * the current call of each counter, what waits per service with its state and wait range, and the head's
 * announcement — live over the event stream. TV browsers block sound until someone touches the screen,
 * so it shows "tap to enable sound" until then, and speaks each call after.
 */
export default function BoardPage() {
  const { q, lang } = useBoardText();
  const [siteId, setSiteId] = useState<string | null>(() => rememberedSite(SITE_KEY));
  const [soundOn, setSoundOn] = useState(false);
  const speak = useSpeaker(soundOn);
  const { board, mode } = useLiveBoard(siteId, speak);
  const [now, setNow] = useState(() => Date.now());
  // The newest call is highlighted for a while after this screen saw it arrive (by this screen's clock, so a
  // TV whose clock is off still highlights); the call already there when the board opens is not.
  const [freshCall, setFreshCall] = useState<{ key: string; until: number } | null>(null);
  const seenNewest = useRef<string | null | undefined>(undefined);
  const newestKey = board ? (board.recentCalls.reduce<QueueCallEvent | undefined>((a, c) => (!a || c.at > a.at ? c : a), undefined) ?? null) : undefined;
  const newestId = newestKey === undefined ? undefined : newestKey === null ? null : `${newestKey.callId}:${newestKey.at}`;
  useEffect(() => {
    if (newestId === undefined) return;
    if (seenNewest.current !== undefined && newestId !== null && newestId !== seenNewest.current) setFreshCall({ key: newestId, until: Date.now() + FRESH_MS });
    seenNewest.current = newestId;
  }, [newestId]);
  const options = usePolling((signal) => (siteId ? Promise.resolve(undefined) : contractApi.get(queueOptionsSchema, url('options'), signal)), [siteId]);

  useEffect(() => {
    document.title = `${q('title')}${board ? ` — ${board.siteName}` : ''}`;
  });
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);

  const enableSound = () => {
    // The tap is the user activation the browser wants; speech is primed in the same gesture.
    setSoundOn(true);
    hook().soundEnabled = true;
    try {
      if (typeof speechSynthesis !== 'undefined') speechSynthesis.speak(new SpeechSynthesisUtterance(''));
    } catch {
      // No speech engine: the WAVs still play.
    }
  };

  if (!siteId)
    return (
      <main className="board board--pick" id="main">
        <h1>{q('pickSite')}</h1>
        <div className="board__sites">
          {options.data?.sites.map((s) => (
            <button
              key={s.id}
              type="button"
              onClick={() => {
                setSiteId(s.id);
                rememberSite(SITE_KEY, s.id);
              }}
            >
              {s.name}
            </button>
          ))}
        </div>
      </main>
    );

  const calls = [...(board?.recentCalls ?? [])].sort((a, b) => b.at.localeCompare(a.at));
  const newest = calls[0];
  const fresh = newest !== undefined && freshCall?.key === `${newest.callId}:${newest.at}` && now < freshCall.until;
  const clock = new Intl.DateTimeFormat(lang === 'id' ? 'id-ID' : 'en-GB', { hour: '2-digit', minute: '2-digit' }).format(now);

  return (
    <main className="board" id="main" data-testid="board" data-mode={mode} onClick={soundOn ? undefined : enableSound}>
      <header className="board__top">
        <h1>{board?.siteName ?? '…'}</h1>
        <span className={`board__mode board__mode--${mode}`} data-testid="board-mode">
          {q(mode === 'live' ? 'live' : mode === 'polling' ? 'polling' : 'offline')}
        </span>
        {!soundOn && (
          <button type="button" className="board__tap" onClick={enableSound} data-testid="board-enable-sound">
            <span lang="id">{TAP_FOR_SOUND.id}</span>
            <span lang="en" className="board__tap-en">
              {TAP_FOR_SOUND.en}
            </span>
          </button>
        )}
        {soundOn && <span className="board__sound">{q('soundOn')}</span>}
        {soundOn && board && !board.voice.available && <span className="board__sound">{board.voice.note?.[lang] ?? q('noVoice')}</span>}
        <time className="board__clock">{clock}</time>
      </header>

      <section className="board__calls" aria-live="assertive">
        <div className={`board__newest${fresh ? ' board__newest--fresh' : ''}`} data-testid="board-newest">
          <p className="board__label">{q('nowCalling')}</p>
          {newest ? (
            <>
              <p className="board__number" data-testid="board-newest-number">
                {newest.ticketNumber}
              </p>
              <p className="board__counter">{q('toCounter', { n: newest.counterNumber })}</p>
            </>
          ) : (
            <p className="board__counter">{q('noCall')}</p>
          )}
        </div>
        <div className="board__grid" data-testid="board-counters">
          {board?.counters.map((c) => (
            <div key={c.number} className={`board__cell${c.current && c.current.callId === newest?.callId && fresh ? ' board__cell--fresh' : ''}`} data-counter={c.number}>
              <span className="board__cell-label">{q('toCounter', { n: c.number })}</span>
              <span className="board__cell-number">{c.current?.ticketNumber ?? '—'}</span>
            </div>
          ))}
        </div>
        {calls.length > 1 && (
          <div className="board__recent">
            <span className="board__label">{q('recent')}:</span>
            {calls.slice(1, 7).map((c) => (
              <span key={`${c.callId}-${c.at}`} className="board__recent-item">
                {c.ticketNumber} → {c.counterNumber}
              </span>
            ))}
          </div>
        )}
      </section>

      <aside className="board__side">
        <h2>{q('waiting')}</h2>
        <ul className="board__services" data-testid="board-waiting">
          {board?.waiting.map((w) => (
            <li key={w.service} className={`board__service board__service--${w.state}`} data-service={w.service} data-state={w.state}>
              <span className="board__letter">{w.letter}</span>
              <span className="board__service-name">
                {w.name[lang]}
                {w.state !== 'normal' && <span className={`board__state board__state--${w.state}`}>{queueCommon(lang, `state.${w.state}`)}</span>}
                {w.state !== 'normal' && <span className="board__what">{w.whatToDo[lang]}</span>}
                {w.wait && w.waiting > 0 && <span className="board__wait">{q('waitRange', { range: waitText(lang, w.wait) })}</span>}
              </span>
              <strong className="board__count" data-testid="board-waiting-count">
                {w.waiting}
              </strong>
            </li>
          ))}
        </ul>
      </aside>

      {board?.announcement && (
        <footer className="board__announcement" data-testid="board-announcement">
          <strong>{q('announcement')}: </strong>
          {board.announcement[lang]}
        </footer>
      )}

    </main>
  );
}
