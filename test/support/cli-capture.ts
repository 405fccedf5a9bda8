/** Runs the CLI in process with its output captured, and points it at the team emulator as the central function. */
import { runCli } from '../../src/cli/cli';
import type { AwsEmulator } from './aws-emulator';
import { CENTRAL_ACCESS_KEY } from './org-fixture/to-emulator';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCliCaptured(argv: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

/** The SDK's endpoints on the emulator, signing with the central trustgap-diagnoser's key. */
export function useEmulatorAsCentral(emulator: AwsEmulator): void {
  Object.assign(process.env, emulator.env(), {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: CENTRAL_ACCESS_KEY,
    AWS_SECRET_ACCESS_KEY: 'emulated-secret',
  });
}
