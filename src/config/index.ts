export {
  readAwsIntegrationConfig,
  readAwsBlock,
} from './readAwsIntegrationConfig';
export { configWarnings } from './configWarnings';
export type { ConfigWarning } from './configWarnings';
export { substitutePluginId } from './roleSessionName';
export { pluginSettingsOf } from './readPlugins';
export { problemsOf } from './Problems';
