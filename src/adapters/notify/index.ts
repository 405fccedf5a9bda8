export { type ChatbotCustomNotification, chatNotification, defaultMessage } from './chat-message';
export { emailBody, emailSubject } from './email-message';
export { buildMessageView, type MessageView, type NotificationContext } from './message-view';
export { sanitizeCode, sanitizeSubject, sanitizeText } from './sanitize';
export { type Severity, severityOf } from './severity';
export { buildPublishInput, type Notifier, SNS_MESSAGE_MAX_BYTES, SnsNotifier } from './sns-notifier';
