/**
 * Every policy document the corpus's fixes write — the recommended fix and every alternative, every step's command —
 * goes through the fix-document validator (IAM grammar and size quotas), and must be one IAM accepts; a verified fix
 * never carries a FIX_DOCUMENT_INVALID warning.
 */
import * as path from 'node:path';
import { diagnoseEvent } from '../../src/engine/diagnose/diagnose-event';
import { validateFixDocument } from '../../src/engine/diagnose/fix/validate-fix-document';
import type { Finding, Fix } from '../../src/engine/finding/types';
import type { PolicyDocument, PolicyKind } from '../../src/engine/iam/policy-types';
import { SnapshotIamFacts } from '../../src/engine/iam/snapshot/snapshot-iam-facts';
import { fixLayer, loadScenarios, originalDocuments, scenarioEvent } from '../fixtures/scenarios/scenario-corpus';

const scenarios = loadScenarios(path.join(__dirname, '../fixtures/scenarios'));
/** Documents checked per layer, over the whole corpus. */
const checkedByLayer = new Map<string, number>();

/** The argument after `flag` in a command, unquoted from POSIX single quotes (shellQuote's `'\''` escapes). */
function quotedArgument(command: string, flag: string): string | undefined {
  const start = command.indexOf(`${flag} '`);
  if (start < 0) return undefined;
  let out = '';
  let i = start + flag.length + 2;
  while (i < command.length) {
    if (command.startsWith(`'\\''`, i)) {
      out += "'";
      i += 4;
    } else if (command[i] === "'") return out;
    else out += command[i++];
  }
  return undefined;
}

/** Each document a fix's commands write, with the layer the command writes it to. */
function writtenDocuments(fix: Fix, fallback: string): Array<{ kind: PolicyKind; doc: PolicyDocument }> {
  return fix.commands.flatMap((command) => {
    const text = quotedArgument(command, '--policy-document') ?? quotedArgument(command, '--content');
    if (text === undefined) return [];
    return [{ kind: fixLayer([command], fallback) as PolicyKind, doc: JSON.parse(text) as PolicyDocument }];
  });
}

describe('quotedArgument (reads documents back out of fix commands)', () => {
  it('unquotes single-quoted text with embedded quotes', () => {
    expect(quotedArgument(`aws x --policy-document '{"a":"it'\\''s"}' --more`, '--policy-document')).toBe(
      `{"a":"it's"}`,
    );
    expect(quotedArgument('aws x --role-name r', '--policy-document')).toBeUndefined();
  });
});

describe.each(scenarios.map((s) => [s.name, s] as const))('%s', (_name, s) => {
  let finding: Finding;

  beforeAll(async () => {
    const facts = SnapshotIamFacts.fromFiles(s.snapshotPaths, s.orgPath);
    finding = await diagnoseEvent(await scenarioEvent(s, facts), facts);
  });

  it('writes only documents IAM accepts, in the recommended fix and every alternative', () => {
    const fixes = [finding.fix, ...finding.alternatives];
    const checked: string[] = [];
    for (const fix of fixes) {
      const written = writtenDocuments(fix, finding.policy);
      if (fix.policyDocument) expect(written.map((w) => w.doc)).toContainEqual(fix.policyDocument);
      for (const { kind, doc } of written) {
        const original = kind === 'trust' ? originalDocuments(s, 'trust', finding.role.arn)[0] : undefined;
        const verdict = validateFixDocument(doc, { kind, original });
        expect({ kind, invalid: verdict.invalid }).toEqual({ kind, invalid: [] });
        // A fix emits the current language version, so policy variables mean what they say.
        expect(doc.Version).toBe('2012-10-17');
        checked.push(kind);
        checkedByLayer.set(kind, (checkedByLayer.get(kind) ?? 0) + 1);
      }
    }
    // A fix that writes a policy says so with a command that carries the document.
    for (const fix of fixes) if (fix.policyDocument) expect(checked.length).toBeGreaterThan(0);
  });

  it('never verifies a fix whose document IAM would reject', () => {
    const invalid = finding.warnings.filter((w) => w.code === 'FIX_DOCUMENT_INVALID');
    if (finding.fix.verified) expect(invalid.filter((w) => w.message.startsWith('The recommended'))).toEqual([]);
    expect(invalid).toEqual([]);
  });
});

describe('the corpus as a whole', () => {
  it('had documents of every layer a fix edits to check', () => {
    expect([...checkedByLayer.keys()].sort()).toEqual(['boundary', 'identity', 'rcp', 'scp', 'trust']);
    expect([...checkedByLayer.values()].reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(30);
  });
});
