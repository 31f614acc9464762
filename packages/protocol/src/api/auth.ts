import { z } from 'zod';
import { errors, okSchema } from './common.ts';

/** POST /api/auth/login */
export const loginRequestSchema = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) });
export type LoginRequest = z.infer<typeof loginRequestSchema>;

/** The logged-in person as every node presents them; the office adds its site and office names. */
export const sessionUserSchema = z.object({
  username: z.string(),
  fullName: z.string(),
  role: z.string(),
  siteId: z.string().nullable().optional(),
  siteName: z.string().nullable().optional(),
  officeName: z.string().nullable().optional(),
  /** IANA zone of the office (Asia/Jakarta, Asia/Makassar, Asia/Jayapura): the web shows every time in it. */
  timeZone: z.string().nullable().optional(),
});
export type SessionUserView = z.infer<typeof sessionUserSchema>;

export const sessionResponseSchema = z.object({ user: sessionUserSchema });
export type SessionResponse = z.infer<typeof sessionResponseSchema>;

/** GET /api/auth/csrf: the token the web sends as `x-csrf-token` with every state-changing request. */
export const csrfTokenResponseSchema = z.object({ token: z.string() });

export const authRoutes = {
  login: {
    tags: ['auth'],
    summary: 'Log in; sets an httpOnly session cookie',
    body: loginRequestSchema,
    response: { 200: sessionResponseSchema, ...errors(400, 401, 403, 415, 429) },
  },
  logout: { tags: ['auth'], summary: 'Log out (ends the session, if any)', response: { 200: okSchema, ...errors(400) } },
  me: { tags: ['auth'], summary: 'The logged-in person', response: { 200: sessionResponseSchema, ...errors(401) } },
  csrf: {
    tags: ['auth'],
    summary: 'A CSRF token for the x-csrf-token header of state-changing requests (sets its secret cookie once)',
    response: { 200: csrfTokenResponseSchema, ...errors(400) },
  },
};
