import { createHash } from 'node:crypto';
import type { Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import { ChannelError, type Channel, type OutgoingMessage, type SendResult } from '../types.ts';

export interface SmtpSettings {
  host: string;
  port: number;
  /** TLS from the first byte (465); otherwise STARTTLS when the server offers it. */
  secure: boolean;
  user?: string;
  password?: string;
  /** "Disdukcapil Jember <notifikasi@…>" */
  from: string;
  timeoutMs?: number;
}

/**
 * E-mail over SMTP with nodemailer (a well-kept library: connection pooling, STARTTLS, encodings — none of
 * it worth writing again). The Message-ID is derived from the idempotency key, so a mail sent twice would
 * at least be recognisable as the same message by the recipient's mail client. nodemailer (3 MiB of heap) is
 * loaded at the first message, not when the office starts: most offices send mail rarely or never.
 */
export function emailChannel(settings: SmtpSettings, domain: string): Channel {
  const timeout = settings.timeoutMs ?? 15_000;
  const options: SMTPTransport.Options = {
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    auth: settings.user ? { user: settings.user, pass: settings.password ?? '' } : undefined,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    // A test or LAN relay without a certificate the machine trusts is the operator's choice, not ours.
    tls: { rejectUnauthorized: process.env.TANGGUH_SMTP_TLS_INSECURE !== '1' },
  };
  let transport: Promise<Transporter<SMTPTransport.SentMessageInfo>> | undefined;
  const opened = () => (transport ??= import('nodemailer').then(({ default: nodemailer }) => nodemailer.createTransport(options)));
  return {
    name: 'email',
    idempotent: false,
    async send(message: OutgoingMessage): Promise<SendResult> {
      const messageId = `<${createHash('sha256').update(message.idempotencyKey).digest('hex').slice(0, 32)}@${domain}>`;
      try {
        const info = await (await opened()).sendMail({
          from: settings.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          messageId,
          headers: message.unsubscribeUrl ? { 'List-Unsubscribe': `<${message.unsubscribeUrl}>` } : undefined,
        });
        if (info.rejected.length > 0) throw new ChannelError(`rejected: ${info.rejected.join(', ')}`, true);
        return { providerId: info.messageId };
      } catch (error) {
        if (error instanceof ChannelError) throw error;
        const code = (error as { responseCode?: number }).responseCode;
        // 5xx from the server is final for this address; 4xx and dropped connections are worth another try.
        throw new ChannelError(`SMTP: ${(error as Error).message}`, code !== undefined && code >= 500);
      }
    },
    async close() {
      (await transport)?.close();
    },
  };
}
