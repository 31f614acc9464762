/** A text shown to people, in Bahasa Indonesia first and English second. */
export interface Bilingual {
  id: string;
  en: string;
}

/**
 * What kind of failure this is, so a transport can pick its status code
 * without the domain knowing about HTTP.
 */
export type FailureKind = 'invalid' | 'unauthenticated' | 'forbidden' | 'not_found' | 'conflict' | 'too_large' | 'unavailable';

/** One problem with one field of an input, for forms that show errors beside the field. */
export interface FieldIssue {
  field: string;
  code: string;
  messages: Bilingual;
}

/** An error a user can act on: a stable code, a message in both languages, and optional field issues. */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly messages: Bilingual,
    readonly kind: FailureKind = 'invalid',
    readonly issues: FieldIssue[] = [],
  ) {
    super(`${code}: ${messages.en}`);
    this.name = 'DomainError';
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}

/** Raises one error carrying every field issue found, so a form can show them all at once. */
export function invalidInput(issues: FieldIssue[]): DomainError {
  const first = issues[0];
  const messages: Bilingual =
    issues.length === 1 && first
      ? first.messages
      : { id: `Ada ${issues.length} isian yang tidak valid.`, en: `${issues.length} fields are invalid.` };
  return new DomainError(issues.length === 1 && first ? first.code : 'INVALID_INPUT', messages, 'invalid', issues);
}
