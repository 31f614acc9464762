import { z } from 'zod';
import { BIOMETRIC_EXCEPTIONS, FINGER_POSITIONS, IRIS_POSITIONS, MARITAL_STATUSES, RELIGIONS } from '@tangguh/domain';
import { PRINTABLE_SHAPE, PRINTABLE_TEXT } from './printable.ts';

const digits16 = z.string().regex(/^\d{16}$/, '16 digits');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
const storedText = (max: number) => z.string().trim().min(1).max(max);
// Printed on the card and on signed documents: no control or bidirectional-override characters (printable.ts).
const enteredText = (max: number) => storedText(max).regex(PRINTABLE_TEXT, PRINTABLE_SHAPE);

export const positionSchema = z.enum([...FINGER_POSITIONS, ...IRIS_POSITIONS]);
export const biometricExceptionSchema = z.enum(BIOMETRIC_EXCEPTIONS);

const biodataShape = (text: typeof storedText) =>
  z.object({
    nik: digits16,
    kkNumber: digits16,
    fullName: text(100),
    birthPlace: text(60),
    birthDate: isoDate,
    sex: z.enum(['L', 'P']),
    bloodType: z.enum(['A', 'B', 'AB', 'O', '-']).optional(),
    religion: z.enum(RELIGIONS),
    maritalStatus: z.enum(MARITAL_STATUSES),
    occupation: text(60),
    nationality: z.enum(['WNI', 'WNA']),
    address: z.object({
      street: text(120),
      rt: z.string().regex(/^\d{1,3}$/, '1–3 digits'),
      rw: z.string().regex(/^\d{1,3}$/, '1–3 digits'),
      villageCode: z.string().regex(/^\d{2}\.\d{2}\.\d{2}\.\d{4}$/, 'PP.KK.CC.DDDD'),
    }),
  });

/**
 * Biodata as stored and sent (record pages, the sync to the centre): it also carries records made before
 * the printable-text check, which must stay readable and syncable.
 */
export const biodataSchema = biodataShape(storedText);
/** Biodata as an operator enters it: names, places, occupation and street in printable text only. */
export const enteredBiodataSchema = biodataShape(enteredText);

// Generous ceilings on the encoded text; the exact byte limits are domain rules checked after decoding.
const encodedImage = z.object({ mime: z.string().max(40), data: z.string().max(1_400_000) });

export const recordingRequestSchema = z.object({
  /** Chosen by the form once; a retried submission with the same id returns the first receipt. */
  clientRequestId: z.string().uuid().optional(),
  biodata: enteredBiodataSchema,
  photo: encodedImage,
  signature: encodedImage,
  biometrics: z
    .array(
      z.object({
        position: positionSchema,
        template: z.string().max(200).optional(),
        exception: biometricExceptionSchema.optional(),
      }),
    )
    .max(24),
});
export type RecordingRequest = z.infer<typeof recordingRequestSchema>;

export const syntheticCaptureRequestSchema = z.object({
  subjectKey: z.string().trim().min(1).max(64),
  noise: z.number().min(0).max(0.5).optional(),
  attempt: z.number().int().min(0).max(1000).optional(),
});
