/** Thrown when a credential, trust list or revocation list cannot be read or does not have the expected shape or signature. */
export class CredentialFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CredentialFormatError';
  }
}
