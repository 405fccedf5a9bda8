import { defaultProvider } from '../../lambda/execution-role-credentials';

/** The bundle's stand-in for the SDK's default credential chain: the execution role's keys from the environment. */
const savedEnv = { ...process.env };
afterEach(() => {
  process.env = { ...savedEnv };
});

it('returns the keys and session token Lambda sets from the execution role', async () => {
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: 'ASIAEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'example-secret',
    AWS_SESSION_TOKEN: 'example-token',
  });
  await expect(defaultProvider()()).resolves.toEqual({
    accessKeyId: 'ASIAEXAMPLE',
    secretAccessKey: 'example-secret',
    sessionToken: 'example-token',
  });
});

it('leaves the session token out when there is none (long-term keys)', async () => {
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'example-secret' });
  delete process.env.AWS_SESSION_TOKEN;
  await expect(defaultProvider()()).resolves.toEqual({ accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'example-secret' });
});

it('fails, naming the variables, when the environment has no keys', async () => {
  delete process.env.AWS_ACCESS_KEY_ID;
  delete process.env.AWS_SECRET_ACCESS_KEY;
  await expect(defaultProvider()()).rejects.toThrow('AWS_ACCESS_KEY_ID');
});
