// Types of example.mjs, for the tests written in TypeScript.
export function listExamples(): Record<string, string[]>;
export function compileExample(pkg: string, name: string): Promise<string>;
