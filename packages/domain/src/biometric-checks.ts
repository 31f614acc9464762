import type { Bilingual, FieldIssue } from './errors.ts';
import {
  BIOMETRIC_POSITIONS,
  type BiometricException,
  type BiometricPosition,
  isBiometricException,
  isBiometricPosition,
  POSITION_LABELS,
  TEMPLATE_BYTES,
} from './biometrics.ts';

/** One position at a recording: a template, or the reason none could be taken. */
export interface BiometricCaptureInput {
  position: BiometricPosition;
  template?: Uint8Array;
  exception?: BiometricException;
}

/**
 * Every one of the 12 positions must be accounted for exactly once, so an operator cannot skip a
 * finger silently: a position without a template needs a recorded exception.
 */
export function checkBiometricCaptures(captures: readonly BiometricCaptureInput[]): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const seen = new Map<BiometricPosition, BiometricCaptureInput>();
  for (const capture of captures) {
    const position: string = capture.position;
    if (!isBiometricPosition(position)) {
      issues.push({
        field: 'biometrics',
        code: 'BIOMETRIC_POSITION_UNKNOWN',
        messages: { id: `Posisi biometrik "${position}" tidak dikenal.`, en: `Unknown biometric position "${position}".` },
      });
      continue;
    }
    const field = `biometrics.${position}`;
    const label = POSITION_LABELS[position];
    if (seen.has(position)) {
      issues.push({
        field,
        code: 'BIOMETRIC_DUPLICATE_POSITION',
        messages: { id: `${label.id} direkam lebih dari sekali.`, en: `${label.en} was captured more than once.` },
      });
      continue;
    }
    seen.set(position, capture);
    issues.push(...checkOne(capture, field, label));
  }
  for (const position of BIOMETRIC_POSITIONS) {
    if (seen.has(position)) continue;
    const label = POSITION_LABELS[position];
    issues.push(missing(`biometrics.${position}`, label));
  }
  const captured = [...seen.values()].filter((capture) => capture.template !== undefined);
  if (seen.size === BIOMETRIC_POSITIONS.length && captured.length === 0) {
    issues.push({
      field: 'biometrics',
      code: 'BIOMETRIC_NONE',
      messages: {
        id: 'Tidak ada satu pun sidik jari atau iris yang terekam; perekaman tidak bisa dikirim.',
        en: 'Not a single fingerprint or iris was captured; the recording cannot be sent.',
      },
    });
  }
  return issues;
}

function checkOne(capture: BiometricCaptureInput, field: string, label: Bilingual): FieldIssue[] {
  const { template, exception } = capture;
  if (template !== undefined && exception !== undefined) {
    return [
      {
        field,
        code: 'BIOMETRIC_BOTH',
        messages: {
          id: `${label.id}: pilih salah satu, hasil rekam atau alasan pengecualian.`,
          en: `${label.en}: give either a capture or an exception reason, not both.`,
        },
      },
    ];
  }
  if (template === undefined && exception === undefined) return [missing(field, label)];
  if (exception !== undefined && !isBiometricException(exception)) {
    return [
      {
        field,
        code: 'BIOMETRIC_EXCEPTION_INVALID',
        messages: { id: `${label.id}: alasan pengecualian tidak dikenal.`, en: `${label.en}: unknown exception reason.` },
      },
    ];
  }
  if (template !== undefined && template.length !== TEMPLATE_BYTES) {
    return [
      {
        field,
        code: 'BIOMETRIC_TEMPLATE_INVALID',
        messages: {
          id: `${label.id}: hasil rekam rusak (harus ${TEMPLATE_BYTES} byte). Ulangi perekaman.`,
          en: `${label.en}: the capture is corrupt (must be ${TEMPLATE_BYTES} bytes). Capture it again.`,
        },
      },
    ];
  }
  return [];
}

function missing(field: string, label: Bilingual): FieldIssue {
  return {
    field,
    code: 'BIOMETRIC_MISSING',
    messages: {
      id: `${label.id} belum direkam. Rekam, atau pilih alasan jika tidak bisa direkam.`,
      en: `${label.en} is not captured. Capture it, or choose a reason if it cannot be captured.`,
    },
  };
}
