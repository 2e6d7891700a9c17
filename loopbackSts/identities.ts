/*
 * Long-term keys that tests and the benchmark register with the loopback
 * STS. Made up: they open nothing anywhere else.
 */

/** The main account: a long-term key the loopback STS knows. */
export const MAIN = {
  accountId: '111111111111',
  accessKeyId: 'AKIAMAINACCOUNT00001',
  secretAccessKey: 'main-secret-access-key-0000000000000000',
  arn: 'arn:aws:iam::111111111111:user/backstage',
};

/** An account with keys of its own. */
export const OTHER = {
  accountId: '222222222222',
  accessKeyId: 'AKIAOTHERACCOUNT0002',
  secretAccessKey: 'other-secret-access-key-000000000000000',
  arn: 'arn:aws:iam::222222222222:user/backstage',
};
