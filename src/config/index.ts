export {
  readAwsIntegrationConfig,
  readAwsBlock,
} from './readAwsIntegrationConfig';
export { configWarnings, stsRegionOf } from './configWarnings';
export type { ConfigWarning } from './configWarnings';
