/** A compact description of an organization for the emulator (to-emulator.ts): accounts with their IAM, and the Organizations tree. */
export type Doc = Record<string, unknown>;

export interface LoopbackRole {
  name: string;
  path?: string;
  trust: Doc;
  inline?: Record<string, Doc>;
  attached?: string[];
  boundary?: string;
  tags?: Record<string, string>;
}

export interface LoopbackUser {
  name: string;
  path?: string;
  inline?: Record<string, Doc>;
  attached?: string[];
  groups?: string[];
  boundary?: string;
}

export interface LoopbackAccount {
  id: string;
  roles?: LoopbackRole[];
  users?: LoopbackUser[];
  groups?: Array<{ name: string; inline?: Record<string, Doc>; attached?: string[] }>;
  /** Customer-managed policies, by name (ARN arn:aws:iam::<id>:policy/<name>). */
  policies?: Record<string, Doc>;
  /** false: the account has no reader role (not in a target OU of the StackSet). */
  reader?: boolean;
}

export interface LoopbackOrgPolicy {
  id: string;
  name: string;
  type: 'SERVICE_CONTROL_POLICY' | 'RESOURCE_CONTROL_POLICY';
  awsManaged?: boolean;
  content: Doc;
  targets: string[];
}

export interface LoopbackOrganization {
  id: string;
  managementAccountId: string;
  rootId: string;
  /** Child (account or OU id) → parent (OU or root id). */
  parents: Record<string, string>;
  scpsEnabled: boolean;
  rcpsEnabled: boolean;
  policies: LoopbackOrgPolicy[];
}

export interface LoopbackOptions {
  centralAccountId: string;
  readerRoleName: string;
  accounts: LoopbackAccount[];
  organization?: LoopbackOrganization;
}

export const FULL_AWS_ACCESS: Doc = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
};
export const RCP_FULL_AWS_ACCESS: Doc = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }],
};
