/** Kept equal to package.json's version by __tests__/cli/version.test.ts (a JSON import would not bundle as simply). */
export const VERSION = '0.1.0'
