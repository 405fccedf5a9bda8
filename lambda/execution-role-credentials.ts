/**
 * Stands in for @aws-sdk/credential-provider-node in the Lambda bundle only (an esbuild alias in
 * lib/denied-assume-role-monitor.ts). In Lambda the SDK's default chain always stops at its first link, the
 * environment: the runtime sets AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN from the function's
 * execution role (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime).
 * The chain's other links (SSO, ini profiles, web identity, process, IMDS, container) and the nested STS/SSO clients
 * they carry are 117 KB of the bundle that Lambda compiles and never runs.
 */
interface EnvironmentCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Same signature as the SDK's defaultProvider, as each client's runtimeConfig calls it. */
export function defaultProvider(): () => Promise<EnvironmentCredentials> {
  return () => {
    const accessKeyId = process.env.AWS_ACCESS_KEY_ID;
    const secretAccessKey = process.env.AWS_SECRET_ACCESS_KEY;
    if (!accessKeyId || !secretAccessKey)
      return Promise.reject(
        new Error('no AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY in the environment: the Lambda runtime sets them'),
      );
    const sessionToken = process.env.AWS_SESSION_TOKEN;
    return Promise.resolve({ accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) });
  };
}
