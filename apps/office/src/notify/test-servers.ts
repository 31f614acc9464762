/**
 * Test support for notifications: a real SMTP server (smtp-server, messages parsed with mailparser) and a
 * real HTTP server on loopback that speaks as an Indonesian SMS gateway (Zenziva-style form POST), a
 * WhatsApp Business Cloud–style API and a webhook receiver that checks the HMAC signature. Both keep what
 * they received so a test can count messages per person.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { WEBHOOK_KEY_HEADER, WEBHOOK_SIGNATURE_HEADER, WEBHOOK_TIMESTAMP_HEADER, webhookSignature } from './channels/gateways.ts';

export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
  messageId: string;
  listUnsubscribe: string | undefined;
}

export interface MailServer {
  port: number;
  mails: ReceivedMail[];
  /** Runs before the server answers 250 to a message's data: a test can kill the sender here. */
  beforeAccept?: (mail: ReceivedMail) => Promise<void>;
  close(): Promise<void>;
}

export async function startMailServer(): Promise<MailServer> {
  const state: MailServer = { port: 0, mails: [], close: async () => {} };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then(async (parsed) => {
          const mail: ReceivedMail = {
            to: session.envelope.rcptTo.map((r) => r.address).join(','),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            messageId: parsed.messageId ?? '',
            listUnsubscribe: parsed.headerLines.find((h) => h.key === 'list-unsubscribe')?.line,
          };
          state.mails.push(mail);
          await state.beforeAccept?.(mail);
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.port = (server.server.address() as AddressInfo).port;
  state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return state;
}

export interface GatewayMessage {
  channel: 'sms' | 'whatsapp' | 'webhook';
  to: string;
  text: string;
  idempotencyKey: string;
  /** Webhooks: the parsed body and whether the signature matched the secret. */
  body?: unknown;
  signatureValid?: boolean;
}

export interface FakeGateway {
  url: string;
  /** Every message accepted (a repeat with the same idempotency key is answered but not delivered again). */
  delivered: GatewayMessage[];
  /** Every request that reached the gateway, refused or not. */
  requests: number;
  /** Answer the next N requests with HTTP 500. */
  failNext: number;
  /** The webhook receiver's secret (set once the webhook is registered). */
  webhookSecret?: string;
  /** Runs after a message is taken and before it is answered: a test can kill the sender here. */
  beforeAnswer?: (message: GatewayMessage) => Promise<void>;
  close(): Promise<void>;
}

const readBody = async (request: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

/** A gateway for SMS (/sms), WhatsApp (/wa/{phoneId}/messages) and a webhook receiver (/hook), with the credentials given. */
export async function startFakeGateway(credentials: { userkey: string; passkey: string; waToken: string }): Promise<FakeGateway> {
  const byKey = new Map<string, string>();
  let counter = 0;
  const gateway: FakeGateway = { url: '', delivered: [], requests: 0, failNext: 0, close: async () => {} };
  const server: Server = createServer((request, response) => {
    void (async () => {
      const body = await readBody(request);
      gateway.requests += 1;
      const key = String(request.headers['idempotency-key'] ?? request.headers[WEBHOOK_KEY_HEADER] ?? '');
      const answer = (status: number, json: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(json));
      };
      if (gateway.failNext > 0) {
        gateway.failNext -= 1;
        return answer(500, { error: 'internal error' });
      }
      const known = byKey.get(key);
      if (request.url === '/sms') {
        const form = new URLSearchParams(body);
        if (form.get('userkey') !== credentials.userkey || form.get('passkey') !== credentials.passkey) return answer(200, { status: '0', text: 'Userkey / Passkey Salah' });
        if (known) return answer(200, { messageId: known, to: form.get('to'), status: '1', text: 'Success' });
        const message: GatewayMessage = { channel: 'sms', to: form.get('to') ?? '', text: form.get('message') ?? '', idempotencyKey: key };
        const id = `sms-${++counter}`;
        byKey.set(key, id);
        gateway.delivered.push(message);
        await gateway.beforeAnswer?.(message);
        return answer(200, { messageId: id, to: message.to, status: '1', text: 'Success' });
      }
      if (request.url?.startsWith('/wa/') && request.url.endsWith('/messages')) {
        if (request.headers.authorization !== `Bearer ${credentials.waToken}`) return answer(401, { error: { message: 'Invalid OAuth access token' } });
        const json = JSON.parse(body) as { to: string; text: { body: string } };
        if (known) return answer(200, { messaging_product: 'whatsapp', messages: [{ id: known }] });
        const message: GatewayMessage = { channel: 'whatsapp', to: json.to, text: json.text.body, idempotencyKey: key };
        const id = `wamid.${++counter}`;
        byKey.set(key, id);
        gateway.delivered.push(message);
        await gateway.beforeAnswer?.(message);
        return answer(200, { messaging_product: 'whatsapp', contacts: [{ input: json.to, wa_id: json.to }], messages: [{ id }] });
      }
      if (request.url === '/hook') {
        const timestamp = String(request.headers[WEBHOOK_TIMESTAMP_HEADER] ?? '');
        const signatureValid = gateway.webhookSecret !== undefined && request.headers[WEBHOOK_SIGNATURE_HEADER] === webhookSignature(gateway.webhookSecret, timestamp, body);
        if (!signatureValid) return answer(401, { error: 'bad signature' });
        // Receivers de-duplicate by the idempotency key, as the webhook's documentation asks them to.
        if (known) return answer(200, { ok: true });
        const parsed = JSON.parse(body) as { text: string };
        const message: GatewayMessage = { channel: 'webhook', to: '/hook', text: parsed.text, idempotencyKey: key, body: parsed, signatureValid };
        byKey.set(key, 'seen');
        gateway.delivered.push(message);
        await gateway.beforeAnswer?.(message);
        return answer(200, { ok: true });
      }
      answer(404, { error: 'not found' });
    })().catch(() => {
      response.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  gateway.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  gateway.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return gateway;
}
