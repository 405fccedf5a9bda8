import { PublishCommand, type PublishCommandInput, type SNSClient } from '@aws-sdk/client-sns';
import { chatNotification, defaultMessage } from './chat-message';
import { emailBody, emailSubject } from './email-message';
import { buildMessageView, type MessageView, type NotificationContext } from './message-view';
import { capLength } from './sanitize';

export interface Notifier {
  publish(context: NotificationContext): Promise<{ messageId?: string }>;
}

/** SNS accepts 256 KiB for the whole message (all protocol bodies plus attributes). Leave room for attributes. */
export const SNS_MESSAGE_MAX_BYTES = 240 * 1024;

/**
 * One publish carries three bodies (MessageStructure 'json'): `default`, `email` (plain text) and `https` (the
 * Chatbot custom notification, since AWS Chatbot subscribes to the topic over HTTPS). Message attributes
 * severity, cause and roleAccountId let subscription filter policies route, e.g. only `high` to a pager.
 */
export function buildPublishInput(view: MessageView, topicArn: string): PublishCommandInput {
  const chat = JSON.stringify(chatNotification(view));
  const fallback = defaultMessage(view);
  let email = emailBody(view);
  let message = JSON.stringify({ default: fallback, email, https: chat });
  // A multi-byte email body can exceed the byte budget even under the character cap: shrink it until it fits.
  for (
    let cap = 50_000;
    Buffer.byteLength(message, 'utf8') > SNS_MESSAGE_MAX_BYTES && cap >= 1_000;
    cap = Math.floor(cap / 2)
  ) {
    email = capLength(email, cap);
    message = JSON.stringify({ default: fallback, email, https: chat });
  }
  return {
    TopicArn: topicArn,
    MessageStructure: 'json',
    Message: message,
    Subject: emailSubject(view),
    MessageAttributes: {
      severity: { DataType: 'String', StringValue: view.severity },
      cause: { DataType: 'String', StringValue: view.cause },
      roleAccountId: { DataType: 'String', StringValue: view.roleAccountId },
    },
  };
}

export class SnsNotifier implements Notifier {
  constructor(
    private readonly client: Pick<SNSClient, 'send'>,
    private readonly topicArn: string,
  ) {}

  /** Any failure is thrown: the pipeline rolls its notification claim back and the event is retried. */
  async publish(context: NotificationContext): Promise<{ messageId?: string }> {
    const out = await this.client.send(new PublishCommand(buildPublishInput(buildMessageView(context), this.topicArn)));
    return { messageId: out.MessageId };
  }
}
