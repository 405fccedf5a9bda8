/**
 * What AWS itself says in an access-denied errorMessage. The wordings (IAM User Guide, "Troubleshoot access denied
 * error messages"):
 *   "… is not authorized to perform: sts:AssumeRole on resource: arn:… because no identity-based policy allows the
 *    sts:AssumeRole action"
 *   "… with an explicit deny in a service control policy[: arn:aws:organizations::…:policy/o-…/service_control_policy/p-…]"
 * with the policy types service control / resource control policy, permissions boundary, identity-based policy,
 * session policy and resource-based policy. Older messages name no policy type at all.
 */
export type StatedLayer = 'scp' | 'rcp' | 'boundary' | 'identity' | 'session' | 'trust';

export interface StatedReason {
  kind: 'explicit-deny' | 'no-allow';
  layer: StatedLayer;
  /** The denying policy's ARN, when AWS names it. */
  policyArn?: string;
  /** The sentence AWS wrote, for the evidence. */
  text: string;
}

const LAYERS: Array<[string, StatedLayer]> = [
  ['service control policy', 'scp'],
  ['resource control policy', 'rcp'],
  ['permissions boundary', 'boundary'],
  ['identity-based policy', 'identity'],
  ['session policy', 'session'],
  ['resource-based policy', 'trust'],
];

function layerAt(text: string, at: number): [StatedLayer, number] | undefined {
  const rest = text.slice(at).toLowerCase();
  for (const [words, layer] of LAYERS) if (rest.startsWith(words)) return [layer, at + words.length];
  return undefined;
}

/** Parses with plain index searches (no regular expressions over attacker-influenced text). */
export function parseStatedReason(message: string | undefined): StatedReason | undefined {
  if (!message) return undefined;
  const text = message.slice(0, 4096);
  const lower = text.toLowerCase();
  const deny = lower.indexOf('with an explicit deny in ');
  if (deny >= 0) {
    let at = deny + 'with an explicit deny in '.length;
    if (lower.startsWith('a ', at)) at += 2;
    else if (lower.startsWith('an ', at)) at += 3;
    else if (lower.startsWith('the ', at)) at += 4;
    const found = layerAt(text, at);
    if (!found) return undefined;
    const [layer, end] = found;
    const after = text.slice(end).trimStart();
    let policyArn: string | undefined;
    if (after.startsWith(':')) {
      const candidate = policyArnAt(after.slice(1).trimStart());
      if (candidate !== undefined) policyArn = candidate;
    }
    return { kind: 'explicit-deny', layer, ...(policyArn ? { policyArn } : {}), text: text.slice(deny).trim() };
  }
  const none = lower.indexOf('because no ');
  if (none >= 0) {
    const found = layerAt(text, none + 'because no '.length);
    if (!found) return undefined;
    return { kind: 'no-allow', layer: found[0], text: text.slice(none).trim() };
  }
  return undefined;
}

/** The ARN that opens `text` (up to the first blank, without trailing . , ;), by index search: no regex on AWS text. */
function policyArnAt(text: string): string | undefined {
  if (!text.startsWith('arn:')) return undefined;
  let end = 0;
  while (end < text.length && end <= 2048 && !isBlank(text.charCodeAt(end))) end++;
  while (end > 0 && ',.;'.includes(text[end - 1])) end--;
  return end <= 2048 ? text.slice(0, end) : undefined;
}

function isBlank(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13 || code === 0xa0;
}
