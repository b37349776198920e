import { version } from '../../../package.json';

/** The app's version, as package.json names it; recorded with each benchmark run. */
export const APP_VERSION: string = version;
