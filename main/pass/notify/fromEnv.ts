// Which notifier a send uses: the one saved from the console's Settings screen when there is
// one, else the environment's (PASS_NOTIFIER_WEBHOOK_URL, else the log file, so an install
// without a relay works offline).
import { dirname, join } from 'node:path';
import type { Kysely } from 'kysely';
import { defaultDatabaseUrl } from '../../batch/index.ts';
import { readSavedSettings, type SavedNotifier } from '../savedSettings.ts';
import { logFileNotifier } from './logFileNotifier.ts';
import type { Notifier } from './notifier.ts';
import { rateLimited } from './rateLimited.ts';
import { webhookNotifier } from './webhookNotifier.ts';

export interface NotifierSettings {
  webhookUrl?: string;
  webhookHeaders?: Record<string, string>;
  timeoutMs?: number;
  /** sends per second for the whole process (0 or undefined: no limit) */
  ratePerSecond?: number;
  /** where the log-file notifier writes (default <data dir>/notifications.log) */
  logPath?: string;
}

/** The folder a desktop install keeps its data in (PASS_DATA_DIR, else the OS's app-data folder). */
export function dataDirectory(): string {
  return dirname(defaultDatabaseUrl().slice('sqlite:'.length));
}

/**
 * PASS_NOTIFIER_WEBHOOK_URL, PASS_NOTIFIER_WEBHOOK_HEADERS (a JSON object),
 * PASS_NOTIFIER_TIMEOUT_MS, PASS_NOTIFIER_RATE_PER_SECOND, PASS_NOTIFIER_LOG.
 */
export function notifierSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): NotifierSettings {
  const number = (text: string | undefined) => (text && Number.isFinite(Number(text)) ? Number(text) : undefined);
  let webhookHeaders: Record<string, string> | undefined;
  if (env.PASS_NOTIFIER_WEBHOOK_HEADERS) {
    try {
      webhookHeaders = JSON.parse(env.PASS_NOTIFIER_WEBHOOK_HEADERS) as Record<string, string>;
    } catch {
      throw new Error('PASS_NOTIFIER_WEBHOOK_HEADERS must be a JSON object, e.g. {"Authorization":"Bearer ..."}');
    }
  }
  return {
    webhookUrl: env.PASS_NOTIFIER_WEBHOOK_URL?.trim() || undefined,
    webhookHeaders,
    timeoutMs: number(env.PASS_NOTIFIER_TIMEOUT_MS),
    ratePerSecond: number(env.PASS_NOTIFIER_RATE_PER_SECOND),
    logPath: env.PASS_NOTIFIER_LOG?.trim() || undefined,
  };
}

/**
 * `share`: how many threads send at once with their own copy (the send step's worker
 * threads), so that together they keep to the process's rate.
 */
export function notifierFromSettings(settings: NotifierSettings, share = 1): Notifier {
  const base = settings.webhookUrl
    ? webhookNotifier({ url: settings.webhookUrl, timeoutMs: settings.timeoutMs, headers: settings.webhookHeaders })
    : logFileNotifier(settings.logPath ?? join(dataDirectory(), 'notifications.log'));
  return settings.ratePerSecond ? rateLimited(base, settings.ratePerSecond / Math.max(1, share)) : base;
}

export function notifierFromEnv(share = 1): Notifier {
  return notifierFromSettings(notifierSettingsFromEnv(), share);
}

/** The environment's notifier settings, or none when they cannot be read (a malformed header list). */
function envOrNothing(env: NodeJS.ProcessEnv): NotifierSettings {
  try {
    return notifierSettingsFromEnv(env);
  } catch {
    return {};
  }
}

/**
 * The notifier a saved choice names. The environment still sets the pace
 * (PASS_NOTIFIER_RATE_PER_SECOND) and a webhook's timeout when the choice has none; its headers
 * (often the relay's Authorization) go only to the address they were given for.
 */
export function notifierSettingsOf(saved: SavedNotifier, env: NodeJS.ProcessEnv = process.env): NotifierSettings {
  const fromEnv = envOrNothing(env);
  if (saved.kind === 'webhook') {
    return {
      webhookUrl: saved.url,
      webhookHeaders: fromEnv.webhookUrl === saved.url ? fromEnv.webhookHeaders : undefined,
      timeoutMs: saved.timeoutMs ?? fromEnv.timeoutMs,
      ratePerSecond: fromEnv.ratePerSecond,
    };
  }
  return { logPath: saved.path, ratePerSecond: fromEnv.ratePerSecond };
}

/** The saved notifier when there is one, else the environment's. */
export function resolveNotifierSettings(saved: SavedNotifier | undefined, env: NodeJS.ProcessEnv = process.env): NotifierSettings {
  return saved ? notifierSettingsOf(saved, env) : notifierSettingsFromEnv(env);
}

/** What the next send uses, read from the database now: a change saved in the console applies from the next run. */
export async function configuredNotifierSettings(db: Kysely<any>, env: NodeJS.ProcessEnv = process.env): Promise<NotifierSettings> {
  return resolveNotifierSettings((await readSavedSettings(db)).notifier, env);
}
