/**
 * The second entry of the port, for a dynamic `import()`: the aspera-sdk adapter, kept out of the
 * chunk that every page behind the login loads, since most deployments name no SDK URL.
 */
export { createAsperaSdkClient } from './aspera-sdk/aspera-sdk-client';
