import { isRoleArn, parseRoleArn } from './arn';
import { asObject, cleanString, type JsonObject, MAX_ID_LENGTH, MAX_TEXT_LENGTH, withoutUndefined } from './json-value';
import type { NormalizedRole, RoleSource } from './types';

/**
 * Which role the caller tried to assume. CloudTrail says it in up to three places, in decreasing reliability:
 *  1. requestParameters.roleArn — exactly what the caller sent (absent when requestParameters is null);
 *  2. resources[] — the AWS::IAM::Role entry CloudTrail resolved;
 *  3. errorMessage — "… on resource: arn:aws:iam::…:role/…" and its variants.
 * `arn` is the value as found, so a ValidationError for a malformed roleArn keeps the malformed value (often a bare
 * role name passed instead of an ARN); name/path/accountId are filled only when it parses as a role ARN.
 */
export function locateRole(record: JsonObject): NormalizedRole {
  const fromRequest = nonEmptyString(asObject(record.requestParameters)?.roleArn);
  if (fromRequest !== undefined) return describeRole(fromRequest, 'requestParameters');

  const fromResources = roleFromResources(record.resources);
  if (fromResources !== undefined) return describeRole(fromResources, 'resources');

  // Only the first MAX_TEXT_LENGTH characters are searched: real STS messages are far shorter, and this bounds
  // the work on a hostile 100 KB message.
  const message = nonEmptyString(record.errorMessage);
  const fromMessage = message !== undefined ? roleFromErrorMessage(message.slice(0, MAX_TEXT_LENGTH)) : undefined;
  if (fromMessage !== undefined) return describeRole(fromMessage, 'errorMessage');

  return { source: 'none' };
}

/** `raw` is the value as logged; it is cleaned for output, and parsed only when it is not absurdly long. */
export function describeRole(raw: string, source: RoleSource): NormalizedRole {
  const arn = cleanString(raw, MAX_ID_LENGTH);
  const parsed = raw.length <= MAX_ID_LENGTH ? parseRoleArn(arn) : undefined;
  if (!parsed) return { arn, source };
  return withoutUndefined({ arn, accountId: parsed.accountId, name: parsed.name, path: parsed.path, source });
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** resources[]: the entry typed AWS::IAM::Role, else the first whose ARN is a role ARN. */
function roleFromResources(resources: unknown): string | undefined {
  if (!Array.isArray(resources)) return undefined;
  let fallback: string | undefined;
  for (const item of resources) {
    const resource = asObject(item);
    if (!resource) continue;
    const arn = nonEmptyString(resource.ARN ?? resource.arn);
    if (arn === undefined) continue;
    if (resource.type === 'AWS::IAM::Role') return arn;
    if (fallback === undefined && arn.length <= MAX_ID_LENGTH && isRoleArn(arn)) fallback = arn;
  }
  return fallback;
}

// "User: <principal> is not authorized to perform: sts:AssumeRole on resource: <arn>[ because no … policy allows
// the sts:AssumeRole action| with an explicit deny in a … policy[: <policy arn>]]". The resource is sometimes
// quoted. Only the token right after "on resource:" is taken, so the policy ARN at the end is never mistaken for it.
const ON_RESOURCE = /on resource:\s*"?([^\s"]+)/;
// ValidationError: "1 validation error detected: Value 'x' at 'roleArn' failed to satisfy constraint: …".
const VALIDATION_VALUE = /Value '([^']*)' at 'roleArn'/;
// Any other wording that names a role ARN (e.g. "Not authorized to perform sts:AssumeRoleWithSAML on <arn>").
// The caller's own ARN in "User: …" is an assumed-role/user ARN, which this cannot match (":role/" is required).
const ANY_ROLE_ARN = /arn:aws[a-z-]*:iam::[0-9]*:role\/[^\s"',;)]+/;

export function roleFromErrorMessage(message: string): string | undefined {
  const onResource = ON_RESOURCE.exec(message);
  if (onResource) {
    const candidate = trimSentenceEnd(onResource[1]);
    if (isRoleArn(candidate)) return candidate;
  }
  const validation = VALIDATION_VALUE.exec(message);
  if (validation && validation[1] !== '') return validation[1];
  const anyRole = ANY_ROLE_ARN.exec(message);
  return anyRole ? trimSentenceEnd(anyRole[0]) : undefined;
}

/**
 * A message may end its sentence right after the ARN ("… on resource: arn:…:role/X."). IAM role names may contain
 * "." and ",", but a name ending in one followed by the end of a sentence is far less likely than punctuation.
 */
function trimSentenceEnd(token: string): string {
  return token.replace(/[.,]+$/, '');
}
