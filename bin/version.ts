/** The toolkit version, written into every synthesized stack and report (checked against package.json by a test). */
export const TOOLKIT_VERSION = '0.1.0';
