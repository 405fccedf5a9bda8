export { SnsNotifier, buildPublishInput, SNS_MESSAGE_MAX_BYTES, type Notifier } from './sns-notifier';
export { buildMessageView, type MessageView, type NotificationContext } from './message-view';
export { chatNotification, defaultMessage, type ChatbotCustomNotification } from './chat-message';
export { emailBody, emailSubject } from './email-message';
export { sanitizeCode, sanitizeSubject, sanitizeText } from './sanitize';
export { severityOf, type Severity } from './severity';
