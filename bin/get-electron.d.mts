// Types for bin/get-electron.mjs, which tests import.
export function electronBinary(): string | null;
export function downloadProblem(output: string, timedOut: boolean): string;
export function installElectron(options?: { timeoutMs?: number; installer?: string; log?: (line: string) => void }): Promise<{ exe: string | null; reason: string | null }>;
