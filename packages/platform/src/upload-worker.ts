// Runs in a worker thread of the upload pool (upload-pool.ts): decodes one uploaded photo or PDF within
// the limits of @tangguh/credential. Answers with plain data, as errors lose their class between threads.
import { UploadRefusedError, type UploadRefusal } from '@tangguh/credential';
import { readCredentialFromUpload } from '@tangguh/credential/node';

export type UploadJobResult = { text: string | null } | { refusal: UploadRefusal };

export default async function decodeUpload(bytes: Uint8Array): Promise<UploadJobResult> {
  try {
    return { text: await readCredentialFromUpload(bytes) };
  } catch (error) {
    if (error instanceof UploadRefusedError) return { refusal: error.refusal };
    return { text: null };
  }
}
