import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findAwsCredentials } from './findAwsCredentials';

describe('findAwsCredentials', () => {
  let home: string;

  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'dev-home-'));
  });

  afterEach(() => {
    rmSync(home, { recursive: true, force: true });
  });

  function writeAwsFile(name: string, content: string): string {
    mkdirSync(join(home, '.aws'), { recursive: true });
    const path = join(home, '.aws', name);
    writeFileSync(path, content);
    return path;
  }

  it('finds nothing on a machine without AWS variables or files', () => {
    expect(findAwsCredentials({ env: {}, home })).toEqual({
      files: [join(home, '.aws', 'credentials'), join(home, '.aws', 'config')],
    });
  });

  it.each([
    'AWS_ACCESS_KEY_ID',
    'AWS_PROFILE',
    'AWS_WEB_IDENTITY_TOKEN_FILE',
    'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
    'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  ])('finds credentials when %s is set', name => {
    expect(findAwsCredentials({ env: { [name]: 'x' }, home }).found).toBe(
      `${name} is set`,
    );
  });

  it('ignores variables that are empty, and ones that hold no credentials', () => {
    const env = {
      AWS_ACCESS_KEY_ID: '',
      AWS_PROFILE: ' ',
      AWS_REGION: 'eu-west-1',
      AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:1',
    };
    expect(findAwsCredentials({ env, home }).found).toBeUndefined();
  });

  it('finds a profile in ~/.aws/credentials', () => {
    const path = writeAwsFile(
      'credentials',
      '# keys\n[default]\naws_access_key_id = AKIAEXAMPLE\n',
    );
    expect(findAwsCredentials({ env: {}, home }).found).toBe(
      `profile 'default' in ${path}`,
    );
  });

  it('finds a profile in ~/.aws/config', () => {
    const path = writeAwsFile(
      'config',
      '[profile dev]\nsso_session = corp\nsso_account_id = 111111111111\n',
    );
    expect(findAwsCredentials({ env: {}, home }).found).toBe(
      `profile 'dev' in ${path}`,
    );
  });

  it('does not count config sections that are not profiles, or empty files', () => {
    writeAwsFile('config', '[sso-session corp]\nsso_region = eu-west-1\n');
    writeAwsFile('credentials', '\n# nothing yet\n');
    expect(findAwsCredentials({ env: {}, home }).found).toBeUndefined();
  });

  it('reads the files named by AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE instead of ~/.aws', () => {
    writeAwsFile('credentials', '[default]\n');
    const elsewhere = join(home, 'elsewhere');
    const env = {
      AWS_SHARED_CREDENTIALS_FILE: join(elsewhere, 'credentials'),
      AWS_CONFIG_FILE: join(elsewhere, 'config'),
    };

    expect(findAwsCredentials({ env, home })).toEqual({
      files: [env.AWS_SHARED_CREDENTIALS_FILE, env.AWS_CONFIG_FILE],
    });

    mkdirSync(elsewhere);
    writeFileSync(env.AWS_CONFIG_FILE, '[default]\nregion = eu-west-1\n');
    expect(findAwsCredentials({ env, home }).found).toBe(
      `profile 'default' in ${env.AWS_CONFIG_FILE}`,
    );
  });
});
