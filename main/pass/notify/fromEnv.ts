// Which notifier a fresh process uses: the webhook when one is configured (settings or
// PASS_NOTIFIER_WEBHOOK_URL), else the log file, so an install without a relay works offline.
import { dirname, join } from 'node:path';
import { defaultDatabaseUrl } from '../../batch/index.ts';
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
