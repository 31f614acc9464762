import { execFile } from 'node:child_process';
import type { Bilingual } from '@tangguh/domain';

/**
 * The spoken call, made by Debian's espeak-ng with its Indonesian voice: `espeak-ng -v id --stdout <text>`
 * run with execFile (no shell: the text is one argument, never parsed), a time limit and an output cap.
 * A text is spoken once and kept (the same call is recalled, and every board asks for the same WAV).
 * Without espeak-ng the call events say so and carry no audio URL; the board then uses the browser's speech.
 */

const TIMEOUT_MS = 10_000;
const MAX_WAV_BYTES = 8 * 1024 * 1024;
const CACHE_SIZE = 200;

export const VOICE_UNAVAILABLE: Bilingual = {
  id: 'Suara panggilan tidak tersedia di server (espeak-ng tidak terpasang); layar memakai suara peramban.',
  en: "Spoken calls are not available on the server (espeak-ng is not installed); the board uses the browser's speech.",
};

let available: Promise<boolean> | undefined;
const binary = () => process.env.TANGGUH_ESPEAK ?? 'espeak-ng';

/** Whether espeak-ng runs here (asked once per process). */
export function voiceAvailable(): Promise<boolean> {
  available ??= new Promise((resolve) => {
    execFile(binary(), ['--version'], { timeout: TIMEOUT_MS }, (error) => resolve(!error));
  });
  return available;
}

const cache = new Map<string, Promise<Buffer>>();

/** WAV bytes of the text in Indonesian. */
export function speak(text: string): Promise<Buffer> {
  const known = cache.get(text);
  if (known) {
    // Most recently used last: the oldest entry is dropped first.
    cache.delete(text);
    cache.set(text, known);
    return known;
  }
  const made = new Promise<Buffer>((resolve, reject) => {
    execFile(binary(), ['-v', 'id', '-s', '150', '--stdout', text], { encoding: 'buffer', timeout: TIMEOUT_MS, maxBuffer: MAX_WAV_BYTES }, (error, stdout) => {
      if (error) reject(error);
      else if (stdout.length < 44 || stdout.toString('latin1', 0, 4) !== 'RIFF') reject(new Error('espeak-ng did not produce a WAV'));
      else resolve(stdout);
    });
  });
  made.catch(() => cache.delete(text));
  cache.set(text, made);
  while (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return made;
}

export interface WavInfo {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  samples: number;
  seconds: number;
  /** Root mean square of the samples, 0..1 of full scale. */
  rms: number;
}

/**
 * Reads a PCM WAV: the RIFF chunks up to 'fmt ' and 'data', then the RMS of the 16-bit samples. espeak-ng
 * writes its stream with the sizes unknown (0 or 0xFFFFFFFF): a data chunk that claims more than there is
 * runs to the end of the bytes.
 */
export function readWav(wav: Buffer): WavInfo {
  if (wav.length < 12 || wav.toString('latin1', 0, 4) !== 'RIFF' || wav.toString('latin1', 8, 12) !== 'WAVE') throw new Error('not a RIFF WAVE');
  let offset = 12;
  let fmt: { channels: number; sampleRate: number; bitsPerSample: number; format: number } | undefined;
  while (offset + 8 <= wav.length) {
    const id = wav.toString('latin1', offset, offset + 4);
    const size = wav.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') fmt = { format: wav.readUInt16LE(body), channels: wav.readUInt16LE(body + 2), sampleRate: wav.readUInt32LE(body + 4), bitsPerSample: wav.readUInt16LE(body + 14) };
    if (id === 'data') {
      if (!fmt) throw new Error('data before fmt');
      if (fmt.format !== 1 || fmt.bitsPerSample !== 16) throw new Error(`PCM 16-bit expected, got format ${fmt.format}/${fmt.bitsPerSample}`);
      const end = size === 0 || body + size > wav.length ? wav.length : body + size;
      const samples = Math.floor((end - body) / 2);
      let sum = 0;
      for (let i = 0; i < samples; i++) {
        const v = wav.readInt16LE(body + i * 2) / 32768;
        sum += v * v;
      }
      return { sampleRate: fmt.sampleRate, channels: fmt.channels, bitsPerSample: 16, samples, seconds: samples / fmt.channels / fmt.sampleRate, rms: samples ? Math.sqrt(sum / samples) : 0 };
    }
    offset = body + size + (size % 2);
  }
  throw new Error('no data chunk');
}
