/** The browser-safe contract: zod schemas and types only. Signing and sealing live in `@tangguh/protocol/node`. */
export * from './sync.ts';
export * from './recording.ts';
export * from './tte.ts';
export * from './suket.ts';
export * from './messages.ts';
export * from './api/common.ts';
export * from './api/auth.ts';
export * from './api/verification.ts';
export * from './api/recordings.ts';
export * from './api/sukets.ts';
export * from './api/trust.ts';
export * from './api/support.ts';
export * from './api/documents.ts';
export * from './api/central-sync.ts';
export * from './api/central-adjudications.ts';
export * from './api/central-trust.ts';
export * from './api/central-tte.ts';
