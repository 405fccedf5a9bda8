import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

export interface Acknowledgement {
  constructPath: string;
  id: string;
  reason: string;
}

/** Every acknowledgement recorded with Validations.of(...).acknowledge() anywhere under `root`. */
export function acknowledgementsUnder(root: IConstruct): Acknowledgement[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([qualifiedId, reason]) => ({
          constructPath: construct.node.path,
          // aws-cdk-lib records ids without a known prefix as "Annotation::<id>"; cdk-nag strips it the same way.
          id: qualifiedId.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

/**
 * The findings AwsSolutionsChecks would report with every acknowledgement ignored. cdk-nag 3 has no public switch
 * for that, so the private isAcknowledged check is replaced on this one instance; if cdk-nag renames it, the
 * stale-acknowledgement test below fails loudly instead of passing silently.
 */
export function rawFindings(root: IConstruct): { ruleName: string; constructPath: string }[] {
  const pack = new AwsSolutionsChecks();
  if (typeof (pack as any).isAcknowledged !== 'function') throw new Error('cdk-nag no longer has isAcknowledged');
  (pack as any).isAcknowledged = () => false;
  return pack.validateScope(root).violations.flatMap((violation) =>
    violation.violatingResources.map((resource) => ({
      ruleName: violation.ruleName,
      constructPath: resource.constructPath!,
    })),
  );
}
