/** The browser-safe contract: zod schemas and types only. Signing and sealing live in `@tangguh/protocol/node`. */
export * from './sync.ts';
export * from './recording.ts';
export * from './tte.ts';
export * from './suket.ts';
export * from './messages.ts';
