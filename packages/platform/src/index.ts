export * from './http-errors.ts';
export * from './passwords.ts';
export * from './database.ts';
export * from './auth.ts';
export * from './static.ts';
export * from './verification.ts';
export * from './shutdown.ts';
export * from './contract.ts';
