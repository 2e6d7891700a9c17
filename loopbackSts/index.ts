/*
 * The loopback STS: a local AWS STS endpoint for tests, the dev backend
 * (`dev/`) and the benchmark (`bench/`). Not shipped.
 */
export { LoopbackSts } from './LoopbackSts';
export { MAIN, OTHER } from './identities';
export { LoopbackOrganization } from './LoopbackOrganization';
export type {
  AccountStatus,
  NewAccount,
  OrganizationAccount,
} from './LoopbackOrganization';
export type { OrganizationsAction } from './organizationsActions';
export type {
  LoopbackStsOptions,
  StsAction,
  StsCall,
  StsFault,
  StsIdentity,
} from './types';
