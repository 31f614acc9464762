import { DomainError } from './errors.ts';

/** The DomainError an action throws; fails the test if it throws nothing or something else. */
export function thrown(action: () => unknown): DomainError {
  try {
    action();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError, nothing was thrown');
}
