import type { FastifyInstance } from 'fastify';
import { SERVICE_NAMES, SERVICES } from '@tangguh/domain';
import { requireRole, typed } from '@tangguh/platform';
import { notifyRoutes as routes, NOTIFY_PERSON_CHANNELS } from '@tangguh/protocol';
import type { OfficeContext } from '../context.ts';
import type { OfficeUser } from '../repositories/users.ts';
import { findRecordRef } from '../repositories/records.ts';
import { listSites } from '../repositories/sites.ts';
import { visibilityOf } from '../repositories/visibility.ts';
import { findSuket, suketNotFound } from '../services/suket.ts';
import { linkSecret } from '../notify/config.ts';
import { confirmSubscription, deliveryLog, sinkMessages, subscribe, unsubscribe } from '../services/notifications.ts';
import { channelSettings, createWebhook, setSuketContact, updateChannelSettings, webhooks } from '../services/notification-admin.ts';

/**
 * Notifications over HTTP. The citizen's routes (/api/langganan…) are public and rate-limited per address
 * like the public verifier; being state-changing, they pass the cross-site guard (same origin, JSON only).
 * The head of office and admins read the delivery log and the development sink; admins register webhooks;
 * whoever may issue a Suket records its holder's contact for the expiry reminder.
 */
export async function notificationRoutes(plain: FastifyInstance, ctx: OfficeContext): Promise<void> {
  const app = typed(plain);
  const perAddress = (max: number) => ({ rateLimit: { max, timeWindow: '1 minute' } });
  const readers = { preValidation: requireRole('head', 'admin') };
  const admin = { preValidation: requireRole('admin') };
  const issuers = { preValidation: requireRole('operator', 'supervisor', 'admin') };
  const user = (request: { sessionUser?: unknown }) => request.sessionUser as OfficeUser;
  // Made (once, sealed) when the app starts, not by the first request that needs it: a refused request
  // must write nothing.
  await linkSecret(ctx.db);

  app.get('/api/langganan/pilihan', { schema: routes.options, config: perAddress(60) }, async () => ({
    sites: (await listSites(ctx.db)).map((s) => ({ id: s.id, name: s.name })),
    services: SERVICES.map((code) => ({ code, name: SERVICE_NAMES[code] })),
    channels: [...NOTIFY_PERSON_CHANNELS],
  }));

  app.post('/api/langganan', { schema: routes.subscribe, bodyLimit: 16 * 1024, config: perAddress(10) }, async (request, reply) => {
    const answer = await subscribe(ctx, request.body);
    return reply.status(202).send(answer);
  });

  app.post('/api/langganan/konfirmasi', { schema: routes.confirm, bodyLimit: 4 * 1024, config: perAddress(10) }, async (request) => confirmSubscription(ctx, request.body));

  app.post('/api/langganan/berhenti', { schema: routes.unsubscribe, bodyLimit: 4 * 1024, config: perAddress(20) }, async (request) => unsubscribe(ctx, request.body.token));

  app.get('/api/notifikasi/pengiriman', { ...readers, schema: routes.deliveries }, async (request) => deliveryLog(ctx, request.query));

  app.get('/api/notifikasi/sink', { ...readers, schema: routes.sink }, async (request) => sinkMessages(ctx, request.query.limit));

  app.post('/api/notifikasi/webhooks', { ...admin, schema: routes.webhookCreate }, async (request, reply) => {
    const created = await createWebhook(ctx, request.body, user(request).username);
    request.log.info({ by: user(request).username, webhook: created.webhook.id }, 'webhook registered');
    return reply.status(201).send(created);
  });

  app.get('/api/notifikasi/webhooks', { ...admin, schema: routes.webhookList }, async () => ({ items: await webhooks(ctx) }));

  app.get('/api/notifikasi/saluran', { ...admin, schema: routes.channelSettings }, async () => channelSettings(ctx));

  app.put('/api/notifikasi/saluran', { ...admin, schema: routes.channelSettingsUpdate }, async (request) => {
    const settings = await updateChannelSettings(ctx, request.body);
    // Who changed where messages go is kept in the log; the secrets are not.
    request.log.info({ by: user(request).username, email: settings.email?.host ?? null, sms: settings.sms?.url ?? null, whatsapp: settings.whatsapp?.url ?? null }, 'notification channels changed');
    return settings;
  });

  app.put('/api/sukets/:serial/kontak', { ...issuers, schema: routes.suketContact }, async (request) => {
    const { serial } = request.params;
    // Only someone who may see the Suket's record may attach a contact to it (visibility.ts), else "not found".
    const suket = await findSuket(ctx.db, serial);
    if (!(await findRecordRef(ctx.db, suket.recordId, await visibilityOf(ctx.db, user(request))))) throw suketNotFound(serial);
    return setSuketContact(ctx, serial, request.body, user(request).username);
  });
}
