import { parseArn, parseRoleArn } from './arn';
import { cleanString, MAX_ID_LENGTH, MAX_TEXT_LENGTH } from './json-value';
import { ASSUME_APIS } from './record';
import type { AssumeApi } from './types';

/**
 * What the error message of a denied AssumeRole* call says, as the AWS CLI or an SDK prints it. Real wordings (the
 * test fixtures in test/fixtures/error-text/ hold one per SDK):
 *   An error occurred (AccessDenied) when calling the AssumeRole operation: User: arn:… is not authorized to perform:
 *     sts:AssumeRole on resource: arn:…[ because no identity-based policy allows the sts:AssumeRole action| with an
 *     explicit deny in a service control policy: arn:…]                                     (AWS CLI, boto3)
 *   operation error STS: AssumeRole, https response error StatusCode: 403, RequestID: …, api error AccessDenied: …  (Go)
 *   User: … (Service: AWSSecurityTokenService; Status Code: 403; Error Code: AccessDenied; Request ID: …)      (Java)
 *   AccessDenied: User: …   /   InvalidIdentityTokenException: No OpenIDConnect provider found in your account
 *     for https://…   /   ExpiredTokenException: Token expired: current date/time … (JavaScript v3)
 *   <Code>AccessDenied</Code><Message>Not authorized to perform sts:AssumeRoleWithWebIdentity</Message> (raw XML)
 * STS API reference: https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html#API_AssumeRole_Errors
 * (and the AssumeRoleWithWebIdentity / AssumeRoleWithSAML pages); IAM User Guide, "Troubleshoot access denied error
 * messages": https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html
 *
 * The text is pasted by the user but may carry attacker-chosen parts (a session name, a role name), so it is parsed
 * with index searches only: no regular expression runs over it.
 */
export interface ErrorTextFacts {
  api?: AssumeApi;
  errorCode?: string;
  /** The principal after "User: " (a user, role session, federated user or root ARN). */
  callerArn?: string;
  /** The role ARN after "on resource: " (or anywhere else in the message). */
  roleArn?: string;
  /** The issuer URL a "No OpenIDConnect provider found in your account for https://…" message names. */
  providerUrl?: string;
  /** AWS's own sentence, without the SDK's wrapping: what CloudTrail would log as errorMessage. */
  message: string;
}

/** Longest pasted text looked at; an error message with its stack trace is far shorter. */
export const MAX_ERROR_TEXT_LENGTH = 64 * 1024;

/** Where AWS's sentence starts when no SDK wrapping says so. */
const MESSAGE_STARTS = [
  'User: ',
  'Not authorized to perform',
  'No OpenIDConnect provider found',
  'Roles may not be assumed',
  'Token expired',
  'The web identity token',
  'The ID Token provided',
  'Incorrect token audience',
  'Access denied',
];
/** Where AWS's sentence ends: a line break (real or escaped), or the SDK's trailer. */
const MESSAGE_ENDS = ['\n', '\r', '\\n', ' (Service:', '</Message>', ', RequestID:'];

/** SDK exception names → the errorCode CloudTrail logs for the same failure. */
const EXCEPTION_CODES: Array<[string, string]> = [
  ['InvalidIdentityTokenException', 'InvalidIdentityToken'],
  ['IDPRejectedClaimException', 'IDPRejectedClaim'],
  ['IDPCommunicationErrorException', 'IDPCommunicationError'],
  ['ExpiredTokenException', 'ExpiredTokenException'],
  ['RegionDisabledException', 'RegionDisabledException'],
  ['MalformedPolicyDocumentException', 'MalformedPolicyDocument'],
  ['PackedPolicyTooLargeException', 'PackedPolicyTooLarge'],
];

/** The text between `open` and `close` after the first `open`, when it is a short identifier. */
function between(text: string, open: string, close: string, from = 0): string | undefined {
  const start = text.indexOf(open, from);
  if (start < 0) return undefined;
  const end = text.indexOf(close, start + open.length);
  if (end < 0) return undefined;
  const value = text.slice(start + open.length, end).trim();
  return isIdentifier(value) ? value : undefined;
}

function isIdentifier(value: string): boolean {
  if (value === '' || value.length > 64) return false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    const ok = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 46;
    if (!ok) return false;
  }
  return true;
}

/** Where the whitespace-delimited word starting at or after `at` ends. */
function wordEnd(text: string, start: number): number {
  let end = start;
  while (end < text.length && !' \t\r\n"\'<'.includes(text[end])) end++;
  return end;
}

/** The whitespace-delimited word at `at`, without surrounding quotes and sentence punctuation. */
function wordAt(text: string, at: number): string {
  let start = at;
  while (start < text.length && (text[start] === ' ' || text[start] === '"' || text[start] === "'")) start++;
  let end = wordEnd(text, start);
  while (end > start && '.,;)'.includes(text[end - 1])) end--;
  return text.slice(start, Math.min(end, start + MAX_ID_LENGTH));
}

function wordAfter(text: string, marker: string): string | undefined {
  const at = text.indexOf(marker);
  return at < 0 ? undefined : wordAt(text, at + marker.length) || undefined;
}

function apiNamed(name: string | undefined): AssumeApi | undefined {
  return ASSUME_APIS.find((api) => api === name);
}

function findApi(text: string): AssumeApi | undefined {
  const fromCall =
    apiNamed(wordAfter(text, 'when calling the ')) ??
    apiNamed(wordAfter(text, 'operation error STS: ')) ??
    apiNamed(between(text, 'Error executing "', '"'));
  if (fromCall) return fromCall;
  // Longest names first: "sts:AssumeRole" is a prefix of the other three.
  for (const api of ['AssumeRoleWithWebIdentity', 'AssumeRoleWithSAML', 'AssumeRoot', 'AssumeRole'] as const) {
    if (text.includes(`sts:${api}`) || text.includes(`operation: ${api}`)) return api;
  }
  // Both are AssumeRoleWithWebIdentity's own messages (an expired AssumeRole caller reads "The security token
  // included in the request is expired").
  return text.includes('No OpenIDConnect provider found') || text.includes('Token expired: current date/time')
    ? 'AssumeRoleWithWebIdentity'
    : undefined;
}

function findErrorCode(text: string, message: string): string | undefined {
  const stated =
    between(text, 'An error occurred (', ')') ??
    between(text, 'api error ', ':') ??
    between(text, '<Code>', '</Code>') ??
    between(text, 'Error Code: ', ';') ??
    between(text, '"Code":"', '"');
  if (stated) return EXCEPTION_CODES.find(([name]) => name === stated)?.[1] ?? stated;
  for (const [name, code] of EXCEPTION_CODES) if (text.includes(name)) return code;
  const lower = message.toLowerCase();
  if (lower.startsWith('no openidconnect provider found')) return 'InvalidIdentityToken';
  if (lower.startsWith('token expired')) return 'ExpiredTokenException';
  if (lower.includes('not authorized to perform') || lower.startsWith('roles may not be assumed'))
    return 'AccessDenied';
  if (text.startsWith('AccessDenied') || text.includes(' AccessDenied')) return 'AccessDenied';
  return undefined;
}

/** AWS's sentence: after the SDK's "…operation: " / "api error CODE: " prefix, else from a known opening words. */
function findMessage(text: string): string {
  let start = -1;
  for (const marker of [' operation: ', 'api error ']) {
    const at = text.indexOf(marker);
    if (at < 0) continue;
    start = at + marker.length;
    if (marker === 'api error ') {
      const colon = text.indexOf(': ', start);
      start = colon < 0 ? start : colon + 2;
    }
    break;
  }
  if (start < 0) {
    const message = text.indexOf('<Message>');
    if (message >= 0) start = message + '<Message>'.length;
  }
  if (start < 0) {
    const found = MESSAGE_STARTS.map((m) => text.indexOf(m)).filter((i) => i >= 0);
    start = found.length > 0 ? Math.min(...found) : 0;
  }
  let end = text.length;
  for (const marker of MESSAGE_ENDS) {
    const at = text.indexOf(marker, start);
    if (at >= 0 && at < end) end = at;
  }
  return text.slice(start, end).trim();
}

/** The first role ARN: the word after "on resource:", else any word of the message that parses as one. */
function findRoleArn(message: string): string | undefined {
  const onResource = wordAfter(message, 'on resource:');
  if (onResource && parseRoleArn(onResource)) return onResource;
  // Each word is looked at once (the search resumes after it), so a paste of "arn:arn:arn:…" stays linear.
  for (let at = message.indexOf('arn:'); at >= 0; at = message.indexOf('arn:', wordEnd(message, at))) {
    const word = wordAt(message, at);
    if (word.includes(':role/') && parseRoleArn(word)) return word;
  }
  return undefined;
}

export function parseErrorText(raw: string): ErrorTextFacts {
  const text = raw.slice(0, MAX_ERROR_TEXT_LENGTH);
  const message = findMessage(text);
  const callerWord = wordAfter(message, 'User: ');
  const caller = callerWord && parseArn(callerWord) ? callerWord : undefined;
  const provider = wordAfter(message, 'provider found in your account for ');
  const facts: ErrorTextFacts = { message: cleanString(message, MAX_TEXT_LENGTH) };
  const api = findApi(text);
  if (api) facts.api = api;
  const code = findErrorCode(text, message);
  if (code) facts.errorCode = code;
  if (caller) facts.callerArn = cleanString(caller, MAX_ID_LENGTH);
  const role = findRoleArn(message);
  if (role) facts.roleArn = cleanString(role, MAX_ID_LENGTH);
  if (provider?.startsWith('https://')) facts.providerUrl = cleanString(provider, MAX_ID_LENGTH);
  return facts;
}
