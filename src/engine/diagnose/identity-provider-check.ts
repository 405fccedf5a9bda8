import type { CallerProfile } from '../eval/caller-profile';
import type { NormalizedEvent } from '../event/types';
import type { IamFacts, IdentityProviderFacts, Lookup } from '../iam/iam-facts';
import { andThen, lookUp, type MaybePromise } from '../iam/look-up';
import type { FindingBody } from './finding-builder';
import { shellQuote } from './fix/shell';

/**
 * Web identity and SAML calls need the identity provider registered in the role's account. When the provider ARN
 * the call used does not exist there, nothing else matters. Well-known providers (Google, Cognito…) need none.
 */
export function checkIdentityProvider(
  event: NormalizedEvent,
  caller: CallerProfile,
  facts: IamFacts,
): MaybePromise<IdentityProviderBlocker | undefined> {
  if (caller.type !== 'WebIdentityUser' && caller.type !== 'SAMLUser') return undefined;
  const arn = caller.federatedPrincipal;
  if (!arn?.startsWith('arn:')) return undefined;
  return andThen(lookUp(facts, 'getIdentityProvider', arn), (lookup) => providerBlocker(event, arn, lookup));
}

export type IdentityProviderBlocker = Omit<FindingBody, 'otherGaps' | 'warnings' | 'unknowns'>;

function providerBlocker(
  event: NormalizedEvent,
  arn: string,
  lookup: Lookup<IdentityProviderFacts>,
): IdentityProviderBlocker | undefined {
  if (lookup.status !== 'not-found') return undefined;
  const isOidc = arn.includes(':oidc-provider/');
  const host = arn.slice(arn.indexOf('provider/') + 'provider/'.length);
  const aud = event.caller.webIdentity?.aud;
  return {
    cause: 'IDP_NOT_FOUND',
    policy: 'token',
    summary: `The ${isOidc ? 'OIDC' : 'SAML'} identity provider ${arn} is not registered in account ${event.role.accountId ?? '?'}, so STS cannot accept its ${isOidc ? 'tokens' : 'assertions'} for any role there.`,
    evidence: [
      {
        policy: 'token',
        source: `IAM identity providers of account ${event.role.accountId ?? '?'}`,
        statement: 'provider lookup',
        expected: [arn],
        actual: [],
      },
    ],
    fix: {
      kind: 'policy',
      summary: isOidc
        ? `Register the OIDC provider https://${host}${aud ? ` with client ID ${aud}` : ''}.`
        : "Create the SAML provider with the IdP's metadata document.",
      commands: isOidc
        ? [
            `aws iam create-open-id-connect-provider --url ${shellQuote(`https://${host}`)}${aud ? ` --client-id-list ${shellQuote(aud)}` : ''}`,
          ]
        : [`aws iam create-saml-provider --name ${shellQuote(host)} --saml-metadata-document file://idp-metadata.xml`],
      verified: false,
      admits: [],
    },
    confidence: 'high',
  };
}
