import { syntheticResidents } from '@tangguh/capture';
import type { OfficeContext } from '@tangguh/office/context';
import type { OfficeUser } from '@tangguh/office/repositories/users';
import { recordResident } from '@tangguh/office/services/recording';
import type { RecordingRequest } from '@tangguh/protocol';
import { SyntheticCaptureDevice } from '@tangguh/capture';
import type { Biodata } from '@tangguh/domain';

const toBase64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/** A full recording request for a resident, captured on the synthetic device as `subjectKey`. */
export async function syntheticRecording(biodata: Biodata, subjectKey: string, device = new SyntheticCaptureDevice()): Promise<RecordingRequest> {
  const capture = await device.capture({ subjectKey });
  return {
    biodata,
    photo: { mime: capture.photo.mime, data: toBase64(capture.photo.bytes) },
    signature: { mime: capture.signature.mime, data: toBase64(capture.signature.bytes) },
    biometrics: capture.biometrics.map((b) => ({ position: b.position, template: toBase64(b.template) })),
  };
}

/**
 * Demo residents recorded through the real recording service, so they travel the real pipeline. A few
 * people are recorded twice under another NIK (they become DUPLICATE_RECORD) and a few with a poor
 * capture (they land in adjudication), as happens in a real office.
 */
export async function seedResidents(ctx: OfficeContext, operator: OfficeUser, count: number, onProgress?: (done: number) => void): Promise<number> {
  const duplicates = Math.min(4, Math.floor(count / 50));
  const adjudications = Math.min(3, Math.floor(count / 80));
  const people = syntheticResidents(count + duplicates + adjudications, { seed: 3509, regencyCode: ctx.office.regencyCode, regions: ctx.regions, today: ctx.now() });
  const poorCapture = new SyntheticCaptureDevice({ noise: 0.2 });
  let recorded = 0;
  for (let i = 0; i < people.length; i++) {
    const person = people[i]!;
    let request: RecordingRequest;
    if (i < count) request = await syntheticRecording(person, person.nik);
    else if (i < count + duplicates) request = await syntheticRecording(person, people[i * 7 % count]!.nik);
    else request = await syntheticRecording(person, people[i * 11 % count]!.nik, poorCapture);
    await recordResident(ctx, { request, operator });
    recorded += 1;
    if (recorded % 50 === 0) onProgress?.(recorded);
  }
  return recorded;
}
