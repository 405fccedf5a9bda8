import { asObject, readNumber, readString, readStringArray, setOwn } from './json-value';
import type { NormalizedRequest } from './types';

/**
 * requestParameters → NormalizedRequest. When CloudTrail logged `requestParameters: null` (or something that is
 * not an object) every request key is unknown, and we say so with parametersLogged: false rather than guessing.
 */
export function normalizeRequest(requestParameters: unknown): NormalizedRequest {
  const params = asObject(requestParameters);
  if (!params) return { parametersLogged: false };

  const request: NormalizedRequest = { parametersLogged: true };
  const assign = <K extends keyof NormalizedRequest>(key: K, value: NormalizedRequest[K] | undefined): void => {
    if (value !== undefined) request[key] = value;
  };

  assign('roleSessionName', readString(params.roleSessionName));
  assign('externalId', readString(params.externalId));
  assign('durationSeconds', readNumber(params.durationSeconds));
  assign('sourceIdentity', readString(params.sourceIdentity));
  assign('tags', readSessionTags(params.tags, params.principalTags));
  assign('transitiveTagKeys', readStringArray(params.transitiveTagKeys));
  assign('serialNumber', readString(params.serialNumber));
  assign('policyArns', readPolicyArns(params.policyArns));
  // Only the presence of an inline session policy matters here; its text is not carried (it can be 2 KB+ and
  // the evaluator treats a session policy as "unknown effect" unless it is fetched separately).
  request.hasInlineSessionPolicy = params.policy !== undefined && params.policy !== null && params.policy !== '';
  assign('principalArn', readString(params.principalArn));
  assign('targetPrincipal', readString(params.targetPrincipal));
  assign('taskPolicyArn', readPolicyArn(params.taskPolicyArn));
  assign('providerId', readString(params.providerId));
  return request;
}

/**
 * Session tags. AssumeRole logs them as tags: [{key, value}]. AssumeRoleWithSAML / WithWebIdentity carry them in
 * the assertion or token, and CloudTrail logs them as principalTags: {key: value}; both become aws:RequestTag/*
 * for the trust policy, so both land here. Explicit tags win over principalTags on a key clash.
 */
function readSessionTags(tags: unknown, principalTags: unknown): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  let found = false;
  const fromToken = asObject(principalTags);
  if (fromToken) {
    for (const [rawKey, rawValue] of Object.entries(fromToken)) {
      const key = readString(rawKey);
      const value = typeof rawValue === 'string' ? (readString(rawValue) ?? '') : undefined;
      if (key !== undefined && value !== undefined) {
        setOwn(out, key, value);
        found = true;
      }
    }
  }
  if (Array.isArray(tags)) {
    found = true;
    for (const item of tags) {
      const tag = asObject(item);
      if (!tag) continue;
      const key = readString(tag.key ?? tag.Key);
      const rawValue = tag.value ?? tag.Value;
      // An empty tag value is legal in IAM; keep it as "".
      const value = typeof rawValue === 'string' ? (readString(rawValue) ?? '') : undefined;
      if (key !== undefined && value !== undefined) setOwn(out, key, value);
    }
  }
  return found ? out : undefined;
}

/** policyArns: [{arn}] (the logged shape) or plain strings. */
function readPolicyArns(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: string[] = [];
  for (const item of value) {
    const arn = readPolicyArn(item);
    if (arn !== undefined) out.push(arn);
  }
  return out;
}

/** A PolicyDescriptorType ({arn}) or a bare ARN string. AssumeRoot logs taskPolicyArn as {arn}. */
function readPolicyArn(value: unknown): string | undefined {
  if (typeof value === 'string') return readString(value);
  const descriptor = asObject(value);
  return descriptor ? readString(descriptor.arn ?? descriptor.Arn) : undefined;
}
