/** The toolkit version, written into every synthesized stack and report. Generated from package.json by the version script (npm version runs it); a test holds the two equal. */
export const TOOLKIT_VERSION = '0.1.0';
