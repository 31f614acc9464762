import { z } from 'zod';

/**
 * Imported first by main.tsx, before any schema is built. zod compiles object parsers with `new Function`
 * when it may; the office's Content-Security-Policy (script-src 'self', no 'unsafe-eval') forbids that, and
 * zod's probe for it is reported as a CSP violation on every page. jitless parsing is what zod then falls
 * back to anyway, so say so up front and keep the policy strict and the reports clean.
 */
z.config({ jitless: true });
