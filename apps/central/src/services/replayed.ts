import { DomainError } from '@tangguh/domain';

/** A signed request whose id the centre has seen before: 409, in the same words wherever it is found. */
export const requestReplayed = () =>
  new DomainError(
    'REQUEST_REPLAYED',
    { id: 'Permintaan ini sudah pernah diterima; kirim ulang sebagai permintaan baru.', en: 'This request was received before; send it again as a new request.' },
    'conflict',
  );
