/*
 * The loopback STS: a local AWS STS endpoint for tests, the dev backend
 * (`dev/`) and the benchmark (`bench/`). Not shipped.
 */
export { LoopbackSts } from './LoopbackSts';
export { MAIN, OTHER } from './identities';
export type {
  LoopbackStsOptions,
  StsAction,
  StsCall,
  StsFault,
  StsIdentity,
} from './types';
