// 설정 (admin): the gym's time zone, the console's language and the notifier, edited as a draft
// and saved at once after a confirmation; the two tests (a database address, a test message
// through the saved notifier). The checks here mirror the contract's so a mistake is named next
// to its field before anything is sent; the service checks again and has the last word.
import { create } from 'zustand';
import type { ConnectionTest, InputOf, NotifierConfig, SettingsView } from '../../../main/service/contract.ts';
import { bridge } from '../bridge/index.ts';
import { useLang } from '../i18n/i18n.ts';
import type { WordKey, Words } from '../i18n/words.ts';
import { codeOf, idle, load, messageOf, type Load } from './errors.ts';
import { useUi } from './ui.ts';

export interface SettingsDraft {
  timeZone: string;
  language: 'ko' | 'en';
  notifierKind: NotifierConfig['kind'];
  webhookUrl: string;
  /** milliseconds as typed; '' for the default */
  timeoutMs: string;
  /** '' for <data dir>/notifications.log */
  logPath: string;
  /** the booking cut-off in minutes before a class, as typed */
  cancelCutoffMinutes: string;
  lateCancelCountsAsUse: boolean;
  /** a no-show (a booking not marked attended) takes a use when its class ends */
  deductNoShows: boolean;
}

export type DraftField = 'timeZone' | 'webhookUrl' | 'timeoutMs' | 'logPath' | 'databaseUrl' | 'cancelCutoffMinutes';
export type Problems = Partial<Record<DraftField, WordKey | Words>>;

export function draftOf(view: SettingsView): SettingsDraft {
  const n = view.notifier;
  return {
    timeZone: view.timeZone,
    language: view.language,
    notifierKind: n.kind,
    webhookUrl: n.kind === 'webhook' ? n.url : '',
    timeoutMs: n.kind === 'webhook' && n.timeoutMs !== undefined ? String(n.timeoutMs) : '',
    logPath: n.kind === 'logFile' ? (n.path ?? '') : '',
    cancelCutoffMinutes: String(view.bookingPolicy.cancelCutoffMinutes),
    lateCancelCountsAsUse: view.bookingPolicy.lateCancelCountsAsUse,
    deductNoShows: view.bookingPolicy.deductNoShows,
  };
}

/** Every IANA zone this browser knows, UTC included, for the picker. */
export function timeZoneNames(): string[] {
  let names: string[] = [];
  try {
    names = (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];
  } catch {
    names = [];
  }
  const all = new Set([...names, 'UTC', 'Asia/Seoul']);
  return [...all].sort((a, b) => a.localeCompare(b));
}

/** A zone name as the service takes it: Area/City (or UTC), never an offset or an abbreviation. */
export function isTimeZoneName(text: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/.test(text)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: text });
    return true;
  } catch {
    return false;
  }
}

export function isWebhookUrl(text: string): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' && url.username === '' && url.password === '';
}

export function isLogPath(text: string): boolean {
  return (text.startsWith('/') || /^[A-Za-z]:[\\/]/.test(text) || text.startsWith('\\\\')) && /\.(log|jsonl|txt)$/i.test(text);
}

export function isDatabaseUrl(text: string): boolean {
  return /^(mysql|mariadb):\/\/[^/]+\/[^/?#]+/.test(text) || /^sqlite:.+/.test(text);
}

/** The draft's mistakes by field; empty when it may be saved. */
export function draftProblems(draft: SettingsDraft): Problems {
  const problems: Problems = {};
  const zone = draft.timeZone.trim();
  if (!zone) problems.timeZone = 'settingsZoneRequired';
  else if (!isTimeZoneName(zone)) problems.timeZone = 'settingsZoneUnknown';
  const cutoff = draft.cancelCutoffMinutes.trim();
  if (!(/^\d+$/.test(cutoff) && Number(cutoff) <= 10_080)) problems.cancelCutoffMinutes = 'settingsCutoffBad';
  if (draft.notifierKind === 'webhook') {
    const url = draft.webhookUrl.trim();
    if (!url) problems.webhookUrl = 'settingsWebhookRequired';
    else if (!isWebhookUrl(url)) problems.webhookUrl = 'settingsWebhookBad';
    const timeout = draft.timeoutMs.trim();
    if (timeout && !(/^\d+$/.test(timeout) && Number(timeout) >= 100 && Number(timeout) <= 60_000)) problems.timeoutMs = 'settingsTimeoutBad';
  } else {
    const path = draft.logPath.trim();
    if (path && !isLogPath(path)) problems.logPath = 'settingsLogPathBad';
  }
  return problems;
}

export function notifierOf(draft: SettingsDraft): NotifierConfig {
  if (draft.notifierKind === 'webhook') {
    const timeout = draft.timeoutMs.trim();
    return { kind: 'webhook', url: draft.webhookUrl.trim(), ...(timeout ? { timeoutMs: Number(timeout) } : {}) };
  }
  const path = draft.logPath.trim();
  return path ? { kind: 'logFile', path } : { kind: 'logFile' };
}

const sameNotifier = (a: NotifierConfig, b: NotifierConfig) => JSON.stringify(a) === JSON.stringify(b);

/** Only what the draft changes, as settings.update takes it; null when nothing changed. */
export function changesOf(saved: SettingsView, draft: SettingsDraft): InputOf<'settings.update'> | null {
  const changes: InputOf<'settings.update'> = {};
  if (draft.timeZone.trim() !== saved.timeZone) changes.timeZone = draft.timeZone.trim();
  if (draft.language !== saved.language) changes.language = draft.language;
  const notifier = notifierOf(draft);
  const before = saved.notifier.kind === 'webhook'
    ? { kind: 'webhook' as const, url: saved.notifier.url, ...(saved.notifier.timeoutMs !== undefined ? { timeoutMs: saved.notifier.timeoutMs } : {}) }
    : saved.notifier.path ? { kind: 'logFile' as const, path: saved.notifier.path } : { kind: 'logFile' as const };
  if (!sameNotifier(notifier, before)) changes.notifier = notifier;
  const policy = { cancelCutoffMinutes: Number(draft.cancelCutoffMinutes.trim()), lateCancelCountsAsUse: draft.lateCancelCountsAsUse };
  const was = saved.bookingPolicy;
  // the no-show part goes only when it changes (the service keeps a part left out as saved)
  const noShows = draft.deductNoShows !== was.deductNoShows ? { deductNoShows: draft.deductNoShows } : {};
  if (policy.cancelCutoffMinutes !== was.cancelCutoffMinutes || policy.lateCancelCountsAsUse !== was.lateCancelCountsAsUse || 'deductNoShows' in noShows) {
    changes.bookingPolicy = { ...policy, ...noShows };
  }
  return Object.keys(changes).length ? changes : null;
}

/** "notifier.url" (the service's field) → the draft field that shows it. */
export function draftFieldOf(field: string | undefined): DraftField | null {
  switch (field) {
    case 'timeZone':
      return 'timeZone';
    case 'notifier.url':
      return 'webhookUrl';
    case 'notifier.timeoutMs':
      return 'timeoutMs';
    case 'notifier.path':
      return 'logPath';
    case 'url':
      return 'databaseUrl';
    case 'bookingPolicy.cancelCutoffMinutes':
      return 'cancelCutoffMinutes';
    default:
      return null;
  }
}

export type SaveOutcome = { ok: true; view: SettingsView } | { ok: false; error: Words };

interface SettingsState {
  settings: Load<SettingsView>;
  draft: SettingsDraft | null;
  /** the service's refusals by field, shown until the field is edited */
  serverProblems: Problems;
  saving: boolean;
  databaseUrl: string;
  databaseTest: Load<ConnectionTest>;
  notifierTest: Load<ConnectionTest>;
  reload(): Promise<void>;
  edit(patch: Partial<SettingsDraft>): void;
  reset(): void;
  save(): Promise<SaveOutcome>;
  setDatabaseUrl(url: string): void;
  testDatabase(): Promise<void>;
  testNotifier(): Promise<void>;
}

function clearFor(problems: Problems, patch: Partial<SettingsDraft>): Problems {
  const next = { ...problems };
  if ('timeZone' in patch) delete next.timeZone;
  if ('webhookUrl' in patch || 'notifierKind' in patch) delete next.webhookUrl;
  if ('timeoutMs' in patch || 'notifierKind' in patch) delete next.timeoutMs;
  if ('logPath' in patch || 'notifierKind' in patch) delete next.logPath;
  return next;
}

/** The saved language takes effect here at once; the zone the screens show times in is the running one. */
function apply(view: SettingsView, previous: SettingsView | undefined) {
  useUi.getState().setTimeZone(view.activeTimeZone);
  if (previous && previous.language !== view.language) useLang.getState().setLang(view.language);
}

export const useSettings = create<SettingsState>((set, get) => ({
  settings: idle,
  draft: null,
  serverProblems: {},
  saving: false,
  databaseUrl: '',
  databaseTest: idle,
  notifierTest: idle,

  async reload() {
    const view = await load((settings) => set({ settings }), get().settings, () => bridge().call('settings.get', {}));
    if (view) {
      apply(view, undefined);
      set({ draft: draftOf(view), serverProblems: {} });
    }
  },

  edit(patch) {
    const draft = get().draft;
    if (!draft) return;
    set({ draft: { ...draft, ...patch }, serverProblems: clearFor(get().serverProblems, patch) });
  },

  reset() {
    const s = get().settings;
    if ('data' in s && s.data) set({ draft: draftOf(s.data), serverProblems: {} });
  },

  async save() {
    const { settings, draft } = get();
    const saved = 'data' in settings ? settings.data : undefined;
    if (!saved || !draft) return { ok: false, error: { ko: '설정을 아직 불러오지 못했습니다.', en: 'The settings have not loaded yet.' } };
    const changes = changesOf(saved, draft);
    if (!changes) return { ok: false, error: { ko: '바뀐 설정이 없습니다.', en: 'Nothing has changed.' } };
    if (Object.keys(draftProblems(draft)).length) return { ok: false, error: { ko: '저장할 수 없는 값이 있습니다.', en: 'Some values cannot be saved.' } };
    set({ saving: true });
    try {
      const view = await bridge().call('settings.update', changes);
      set({ saving: false, settings: { state: 'ready', data: view }, draft: draftOf(view), serverProblems: {} });
      apply(view, saved);
      return { ok: true, view };
    } catch (error) {
      const field = draftFieldOf((error as { field?: string }).field);
      set({ saving: false, ...(field && codeOf(error) === 'VALIDATION' ? { serverProblems: { ...get().serverProblems, [field]: messageOf(error) } } : {}) });
      return { ok: false, error: messageOf(error) };
    }
  },

  setDatabaseUrl(databaseUrl) {
    const serverProblems = { ...get().serverProblems };
    delete serverProblems.databaseUrl;
    set({ databaseUrl, serverProblems, databaseTest: idle });
  },

  async testDatabase() {
    const url = get().databaseUrl.trim();
    if (!isDatabaseUrl(url)) {
      set({ serverProblems: { ...get().serverProblems, databaseUrl: 'settingsDatabaseUrlBad' } });
      return;
    }
    await load((databaseTest) => set({ databaseTest }), idle, () => bridge().call('settings.testDatabase', { url }));
  },

  async testNotifier() {
    await load((notifierTest) => set({ notifierTest }), idle, () => bridge().call('settings.testNotifier', {}));
  },
}));
