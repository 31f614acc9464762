import { expect } from 'vitest';
import { DomainError } from '@tangguh/domain';

/** The DomainError a call is refused with; fails the test if the call succeeds or throws something else. */
export async function rejection(promise: Promise<unknown>): Promise<DomainError> {
  const error: unknown = await promise.then(
    () => new Error('expected the call to be refused, but it succeeded'),
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}
