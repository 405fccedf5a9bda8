/**
 * No hostile request value is live in any body trustgap sends (issue 9 point 3): the generated payload corpus goes
 * into every caller-controlled field of a denied event and of its finding (session name, token subject, user agent,
 * error message, summary, evidence, fix, commands, policy), and each rendered body — email, chat title, description
 * and next steps, and the default message — is checked for links, domains, invisible characters, stacked marks,
 * mentions, chat formatting outside code spans, code spans that could be closed, and forged section lines.
 */
import { type Payload, payloadCorpus } from './payload-corpus';
import { hostileContext, renderedBodies } from './payload-render';

const INVISIBLE = /(?![ \n])[\p{Cc}\p{Cf}\p{Z}\p{Co}\p{Cn}\p{Default_Ignorable_Code_Point}\u2800]/u;

/** What would be live in a body: each entry names one problem. */
function liveProblems(name: string, body: string): string[] {
  const problems: string[] = [];
  const check = (what: string, re: RegExp, text = body) => {
    const m = re.exec(text);
    if (m) problems.push(`${name}: ${what} at ${JSON.stringify(text.slice(Math.max(0, m.index - 20), m.index + 30))}`);
  };
  check('a scheme separator', /:\/\//);
  check('an http scheme', /https?/i);
  check('a domain-like run', /[\p{L}\p{N}-]\.\p{L}/u);
  check('a dotted quad', /\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}/);
  check('an invisible or blank character', INVISIBLE);
  check('a run of combining marks', /\p{M}{3}/u);
  check('a forged section line', /^\s*\W{0,2}FIX \(verified\): aws/m);
  if (name.startsWith('chat')) {
    check('a chat control character', /[<>&@]/);
    // Code spans must not contain a fence or a line break; outside them, no emphasis touches the payload.
    const outside = body.replace(/`[^`\n]+`/g, '');
    check('an unclosed or closable code span', /`/, outside);
    check('chat formatting around the payload', /[*_~|>]FORGED|FORGED[\w ]*[*_~|]/, outside);
    check('a chat heading or quote from the payload', /^\s*[#>] ?FORGED/m, outside);
  }
  return problems;
}

describe('the generated payload corpus', () => {
  const corpus = payloadCorpus();

  it('is generated from every class, at a useful size', () => {
    const byClass = new Map<string, number>();
    for (const p of corpus) byClass.set(p.class, (byClass.get(p.class) ?? 0) + 1);
    expect([...byClass.keys()].sort()).toEqual(['blank', 'formatting', 'link', 'marks']);
    expect(corpus.length).toBeGreaterThan(1000);
  });

  it('the bodies of a harmless finding pass the same checks (the checks do not flag trustgap’s own text)', () => {
    const bodies = renderedBodies(hostileContext('deploy-session'));
    expect(Object.entries(bodies).flatMap(([name, body]) => liveProblems(name, body))).toEqual([]);
  });

  it('no payload is live in any email, chat or default body', () => {
    const problems: string[] = [];
    corpus.forEach((p: Payload, i) => {
      const bodies = renderedBodies(hostileContext(p.value, `evt-${i}`));
      for (const [name, body] of Object.entries(bodies)) {
        for (const problem of liveProblems(name, body))
          problems.push(`${p.class} ${JSON.stringify(p.label)}: ${problem}`);
      }
    });
    expect(problems.slice(0, 20)).toEqual([]);
  });
});
