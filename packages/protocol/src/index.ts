export * from './crypto.ts';
export * from './sync.ts';
export * from './recording.ts';
export * from './tte.ts';
export * from './suket.ts';
