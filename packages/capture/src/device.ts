import { BIOMETRIC_POSITIONS, type BiometricPosition } from '@tangguh/domain';
import { captureQuality, noisyCapture } from './templates.ts';
import { syntheticPhoto, syntheticSignature } from './images.ts';

export interface CaptureResult {
  photo: { mime: 'image/png'; bytes: Uint8Array };
  signature: { mime: 'image/png'; bytes: Uint8Array };
  biometrics: { position: BiometricPosition; template: Uint8Array; quality: number /* 0..100 */ }[];
}

/** What an adapter for a real camera, signature pad, fingerprint and iris scanner SDK provides. */
export interface CaptureDevice {
  readonly name: string;
  capture(request: {
    /** Identifies the person in front of the device; the synthetic device derives everything from it. */
    subjectKey: string;
    /** Which try this is for the same person; a retry reads slightly differently. */
    attempt?: number;
  }): Promise<CaptureResult>;
}

export interface SyntheticCaptureOptions {
  /** Probability that each template bit is read wrong. 0.04 behaves like a good scanner. */
  noise?: number;
}

/**
 * A stand-in for the office's capture hardware, for demos and tests. Repeatable: the same subject
 * and attempt always give the same bytes. With the default noise two captures of one person agree
 * on about 92% of bits, different people on about 50%, which puts them on either side of the
 * default match policy; a noise of 0.2 against 0.04 lands near 77%, in the adjudication band.
 */
export class SyntheticCaptureDevice implements CaptureDevice {
  readonly name: string;
  private readonly noise: number;

  constructor(opts: SyntheticCaptureOptions = {}) {
    const noise = opts.noise ?? 0.04;
    if (!(noise >= 0 && noise <= 0.5)) throw new RangeError(`noise must be within 0..0.5, got ${noise}`);
    this.noise = noise;
    this.name = `synthetic (noise ${noise})`;
  }

  async capture(request: { subjectKey: string; attempt?: number }): Promise<CaptureResult> {
    const attempt = request.attempt ?? 0;
    return {
      photo: { mime: 'image/png', bytes: syntheticPhoto(request.subjectKey) },
      signature: { mime: 'image/png', bytes: syntheticSignature(request.subjectKey) },
      biometrics: BIOMETRIC_POSITIONS.map((position) => {
        const { template, flippedBits } = noisyCapture(request.subjectKey, position, attempt, this.noise);
        return { position, template, quality: captureQuality(flippedBits) };
      }),
    };
  }
}
