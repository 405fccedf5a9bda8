import { EmulatedError, formMap } from './protocol';
import type { QueryService, RequestContext } from './server';

export interface PublishedMessage {
  topicArn: string;
  message: string;
  subject?: string;
  messageStructure?: string;
  /** Name → { DataType, StringValue } as sent. */
  attributes: Record<string, Record<string, string>>;
  messageId: string;
  callerArn: string;
}

/** SNS in the awsQuery protocol: Publish, recorded for the test to read. */
export class EmulatedSns implements QueryService {
  readonly name = 'sns';
  readonly xmlns = 'http://sns.amazonaws.com/doc/2010-03-31/';
  readonly published: PublishedMessage[] = [];

  handle(action: string, form: Record<string, string>, ctx: RequestContext): unknown {
    if (action !== 'Publish') throw new EmulatedError(400, 'InvalidAction', `SNS action ${action} is not emulated`);
    if (!form.TopicArn || form.Message === undefined) {
      throw new EmulatedError(400, 'InvalidParameter', 'Invalid parameter: TopicArn and Message are required');
    }
    const messageId = `emulated-message-${this.published.length + 1}`;
    this.published.push({
      topicArn: form.TopicArn,
      message: form.Message,
      subject: form.Subject,
      messageStructure: form.MessageStructure,
      attributes: formMap(form, 'MessageAttributes'),
      messageId,
      callerArn: ctx.caller.arn,
    });
    return { MessageId: messageId };
  }
}
