/**
 * The Node-only half of the protocol: request signing and biometric sealing (node:crypto).
 * The browser imports `@tangguh/protocol` (schemas and types only) and never this entry.
 */
export * from './crypto.ts';
export * from './office-request.ts';
export * from './tte-proof.ts';
export * from './sync-cbor.ts';
