// Types for bin/native.mjs, which tests import.
import type { RuntimeFacts } from '../main/batch/database/sqliteDriver.ts';
export type { RuntimeFacts };
export class NativeBuildError extends Error {}
export function runtimeFacts(exe: string): RuntimeFacts;
export function adviceFor(output: string): string;
export function prepareNativeDriver(options: {
  exe: string;
  nodedir?: string;
  force?: boolean;
  timeoutMs?: number;
  cacheFolder?: string;
  quiet?: boolean;
}): Promise<{ file: string; key: string; how: 'cached' | 'prebuilt' | 'compiled' }>;
export function nodeRuntime(version: string, options?: { cacheFolder?: string }): Promise<{ exe: string; nodedir: string }>;
export function stageNativeDriver(prepared: { file: string; key: string }, dir: string): string;
