/**
 * The rear camera feeding jsQR until a Tangguh QR shows up. Frames are sampled every ~150 ms and
 * scaled down first, so an older phone keeps up and the battery lasts the clerk's shift.
 */
import { decodeQrPixels, isCredentialText } from './decode.ts';

export type CameraProblem = 'denied' | 'missing' | 'busy' | 'insecure' | 'failed';

export const SCAN_INTERVAL_MS = 150;
const FRAME_LONGEST_SIDE = 720;

export class CameraError extends Error {
  constructor(readonly problem: CameraProblem) {
    super(problem);
    this.name = 'CameraError';
  }
}

function classify(error: unknown): CameraProblem {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'denied';
  if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'DevicesNotFoundError') return 'missing';
  if (name === 'NotReadableError' || name === 'TrackStartError') return 'busy';
  return 'failed';
}

export async function openRearCamera(): Promise<MediaStream> {
  if (!window.isSecureContext) throw new CameraError('insecure');
  if (!navigator.mediaDevices?.getUserMedia) throw new CameraError('missing');
  try {
    return await navigator.mediaDevices.getUserMedia({
      audio: false,
      video: { facingMode: { ideal: 'environment' }, width: { ideal: 1280 }, height: { ideal: 720 } },
    });
  } catch (error) {
    throw new CameraError(classify(error));
  }
}

export function stopStream(stream: MediaStream | null | undefined): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}

export interface ScanCallbacks {
  onFound: (text: string) => void;
  /** A QR that is not ours (a payment QR, a URL…): the clerk is told to aim elsewhere. */
  onForeign: () => void;
}

/** Samples the playing video until stopped or a Tangguh QR is found; returns the stop function. */
export function scanVideo(video: HTMLVideoElement, callbacks: ScanCallbacks): () => void {
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const tick = () => {
    if (stopped) return;
    const { videoWidth: width, videoHeight: height } = video;
    if (context && width > 0 && height > 0 && video.readyState >= video.HAVE_CURRENT_DATA) {
      const scale = Math.min(1, FRAME_LONGEST_SIDE / Math.max(width, height));
      canvas.width = Math.round(width * scale);
      canvas.height = Math.round(height * scale);
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      const text = decodeQrPixels(context.getImageData(0, 0, canvas.width, canvas.height), 'dontInvert');
      if (text && isCredentialText(text)) {
        stopped = true;
        callbacks.onFound(text);
        return;
      }
      if (text) callbacks.onForeign();
    }
    timer = setTimeout(tick, SCAN_INTERVAL_MS);
  };
  timer = setTimeout(tick, SCAN_INTERVAL_MS);
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
