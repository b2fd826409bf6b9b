// The settings store against a fake bridge: the draft's checks (time zone, webhook, timeout, log
// path), only what changed sent, the saved language applied, the service's refusals shown at
// their field, and the two tests (a bad address is never sent).
import { beforeEach, describe, expect, test } from 'vitest';
import type { SettingsView } from '../../../main/service/contract.ts';
import { BridgeError } from '../../../renderer/src/bridge/Bridge.ts';
import { setBridge } from '../../../renderer/src/bridge/index.ts';
import { useLang } from '../../../renderer/src/i18n/i18n.ts';
import { changesOf, draftOf, draftProblems, isTimeZoneName, timeZoneNames, useSettings } from '../../../renderer/src/stores/settings.ts';
import { useUi } from '../../../renderer/src/stores/ui.ts';
import { fakeBridge } from './fakeBridge.ts';

const saved: SettingsView = {
  timeZone: 'Asia/Seoul',
  activeTimeZone: 'Asia/Seoul',
  language: 'ko',
  dataFolder: '/home/desk/.local/share/pass-console',
  allowedFolders: [],
  notifier: { kind: 'logFile' },
  database: { url: 'sqlite:/data/pass-console.sqlite', dialect: 'sqlite' },
  modifiedAt: null,
  modifiedBy: null,
  bookingPolicy: { cancelCutoffMinutes: 180, lateCancelCountsAsUse: true, deductNoShows: true },
};

describe('settings draft', () => {
  test('knows IANA zones and refuses offsets, abbreviations and made-up places', () => {
    expect(isTimeZoneName('Asia/Seoul')).toBe(true);
    expect(isTimeZoneName('UTC')).toBe(true);
    expect(isTimeZoneName('America/Argentina/Buenos_Aires')).toBe(true);
    for (const bad of ['+09:00', 'KST', 'Asia/Atlantis', '', 'Asia/Seoul; DROP', '../etc']) expect(isTimeZoneName(bad), bad).toBe(false);
    const zones = timeZoneNames();
    expect(zones).toContain('Asia/Seoul');
    expect(zones).toContain('UTC');
    expect(zones.length).toBeGreaterThan(50);
  });

  test('names each mistake at its field', () => {
    const draft = draftOf(saved);
    expect(draftProblems(draft)).toEqual({});
    expect(draftProblems({ ...draft, timeZone: '' })).toEqual({ timeZone: 'settingsZoneRequired' });
    expect(draftProblems({ ...draft, timeZone: 'Mars/Olympus_Mons' })).toEqual({ timeZone: 'settingsZoneUnknown' });
    const webhook = { ...draft, notifierKind: 'webhook' as const };
    expect(draftProblems(webhook)).toEqual({ webhookUrl: 'settingsWebhookRequired' });
    expect(draftProblems({ ...webhook, webhookUrl: 'ftp://relay.example/hook' })).toEqual({ webhookUrl: 'settingsWebhookBad' });
    expect(draftProblems({ ...webhook, webhookUrl: 'https://user:pw@relay.example/hook' })).toEqual({ webhookUrl: 'settingsWebhookBad' });
    expect(draftProblems({ ...webhook, webhookUrl: 'https://relay.example/hook', timeoutMs: '50' })).toEqual({ timeoutMs: 'settingsTimeoutBad' });
    expect(draftProblems({ ...webhook, webhookUrl: 'https://relay.example/hook', timeoutMs: '1.5' })).toEqual({ timeoutMs: 'settingsTimeoutBad' });
    expect(draftProblems({ ...webhook, webhookUrl: 'https://relay.example/hook', timeoutMs: '5000' })).toEqual({});
    expect(draftProblems({ ...draft, logPath: 'notifications.log' })).toEqual({ logPath: 'settingsLogPathBad' });
    expect(draftProblems({ ...draft, logPath: '/etc/passwd' })).toEqual({ logPath: 'settingsLogPathBad' });
    expect(draftProblems({ ...draft, logPath: 'C:\\PassConsole\\notifications.log' })).toEqual({});
  });

  test('sends only what changed', () => {
    const draft = draftOf(saved);
    expect(changesOf(saved, draft)).toBeNull();
    expect(changesOf(saved, { ...draft, timeZone: ' UTC ' })).toEqual({ timeZone: 'UTC' });
    expect(changesOf(saved, { ...draft, language: 'en' })).toEqual({ language: 'en' });
    expect(changesOf(saved, { ...draft, notifierKind: 'webhook', webhookUrl: 'https://relay.example/hook', timeoutMs: '3000' })).toEqual({
      notifier: { kind: 'webhook', url: 'https://relay.example/hook', timeoutMs: 3000 },
    });
    // a webhook address typed and then abandoned for the log file again changes nothing
    expect(changesOf(saved, { ...draft, webhookUrl: 'https://relay.example/hook' })).toBeNull();
    const webhookSaved: SettingsView = { ...saved, notifier: { kind: 'webhook', url: 'https://relay.example/hook', timeoutMs: 3000 } };
    expect(changesOf(webhookSaved, draftOf(webhookSaved))).toBeNull();
    expect(changesOf(webhookSaved, { ...draftOf(webhookSaved), timeoutMs: '' })).toEqual({ notifier: { kind: 'webhook', url: 'https://relay.example/hook' } });
  });

  test('the booking cancellation policy: minutes from 0 to 7 days, sent whole when either part changed', () => {
    const draft = draftOf(saved);
    expect(draft).toMatchObject({ cancelCutoffMinutes: '180', lateCancelCountsAsUse: true });
    for (const bad of ['', '-5', '1.5', '10081', 'three hours']) expect(draftProblems({ ...draft, cancelCutoffMinutes: bad }), bad).toEqual({ cancelCutoffMinutes: 'settingsCutoffBad' });
    expect(draftProblems({ ...draft, cancelCutoffMinutes: '0' })).toEqual({});
    expect(changesOf(saved, { ...draft, cancelCutoffMinutes: '120' })).toEqual({ bookingPolicy: { cancelCutoffMinutes: 120, lateCancelCountsAsUse: true } });
    expect(changesOf(saved, { ...draft, lateCancelCountsAsUse: false })).toEqual({ bookingPolicy: { cancelCutoffMinutes: 180, lateCancelCountsAsUse: false } });
  });
});

describe('settings store', () => {
  let current: SettingsView;
  let bridge: ReturnType<typeof fakeBridge>;
  beforeEach(() => {
    current = { ...saved };
    bridge = fakeBridge({
      'settings.get': () => current,
      'settings.update': (input) => {
        if (input.timeZone === 'Asia/Atlantis') throw new BridgeError('VALIDATION', { ko: 'timeZone: 알 수 없는 시간대', en: 'timeZone: is not a known time zone' }, 'timeZone', 400);
        if (input.notifier?.url === 'https://refused.example/') throw new BridgeError('VALIDATION', { ko: 'notifier.url: 안 됨', en: 'notifier.url: refused' }, 'notifier.url', 400);
        current = { ...current, ...input, modifiedAt: '2026-11-26T01:00:00.000Z', modifiedBy: 'admin' };
        return current;
      },
      'settings.testDatabase': ({ url }) => ({ ok: false, target: url.replace(/:[^:@/]*@/, ':***@'), detail: null, elapsedMs: 12, error: { ko: '연결 거부', en: 'connection refused' } }),
      'settings.testNotifier': () => ({ ok: true, target: '/data/notifications.log', detail: 'written to the log file', elapsedMs: 3, error: null }),
    });
    setBridge(bridge);
    useLang.setState({ lang: 'ko' });
    useUi.setState({ timeZone: 'Asia/Seoul' });
    useSettings.setState({ settings: { state: 'idle' }, draft: null, serverProblems: {}, saving: false, databaseUrl: '', databaseTest: { state: 'idle' }, notifierTest: { state: 'idle' } });
  });

  test('loads the settings into a draft and shows times in the running zone', async () => {
    current = { ...saved, timeZone: 'UTC', activeTimeZone: 'Asia/Tokyo' };
    await useSettings.getState().reload();
    expect(useSettings.getState().draft).toMatchObject({ timeZone: 'UTC', language: 'ko', notifierKind: 'logFile' });
    expect(useUi.getState().timeZone).toBe('Asia/Tokyo');
  });

  test('saves the changes in one call, applies the language, and keeps who changed it', async () => {
    await useSettings.getState().reload();
    useSettings.getState().edit({ language: 'en', timeZone: 'UTC' });
    const outcome = await useSettings.getState().save();
    expect(outcome).toMatchObject({ ok: true, view: { language: 'en', timeZone: 'UTC', modifiedBy: 'admin' } });
    expect(bridge.calls.filter((c) => c.operation === 'settings.update')).toEqual([{ operation: 'settings.update', input: { timeZone: 'UTC', language: 'en' } }]);
    expect(useLang.getState().lang).toBe('en');
    expect(changesOf(current, useSettings.getState().draft!)).toBeNull();
  });

  test('sends nothing when nothing changed or a field is wrong', async () => {
    await useSettings.getState().reload();
    expect((await useSettings.getState().save()).ok).toBe(false);
    useSettings.getState().edit({ notifierKind: 'webhook', webhookUrl: 'javascript:alert(1)' });
    expect((await useSettings.getState().save()).ok).toBe(false);
    expect(bridge.calls.some((c) => c.operation === 'settings.update')).toBe(false);
  });

  test("shows the service's refusal at its field until that field is edited", async () => {
    await useSettings.getState().reload();
    useSettings.getState().edit({ notifierKind: 'webhook', webhookUrl: 'https://refused.example/' });
    const outcome = await useSettings.getState().save();
    expect(outcome).toEqual({ ok: false, error: { ko: 'notifier.url: 안 됨', en: 'notifier.url: refused' } });
    expect(useSettings.getState().serverProblems).toEqual({ webhookUrl: { ko: 'notifier.url: 안 됨', en: 'notifier.url: refused' } });
    expect(useLang.getState().lang).toBe('ko');
    useSettings.getState().edit({ webhookUrl: 'https://relay.example/' });
    expect(useSettings.getState().serverProblems).toEqual({});
  });

  test('tests a database address only when it looks like one, and shows the answer', async () => {
    useSettings.getState().setDatabaseUrl('postgres://u:p@localhost/db');
    await useSettings.getState().testDatabase();
    expect(useSettings.getState().serverProblems).toEqual({ databaseUrl: 'settingsDatabaseUrlBad' });
    expect(bridge.calls.some((c) => c.operation === 'settings.testDatabase')).toBe(false);

    useSettings.getState().setDatabaseUrl('mysql://pass:secret@127.0.0.1:3999/pass_local');
    expect(useSettings.getState().serverProblems).toEqual({});
    await useSettings.getState().testDatabase();
    expect(bridge.calls.at(-1)).toEqual({ operation: 'settings.testDatabase', input: { url: 'mysql://pass:secret@127.0.0.1:3999/pass_local' } });
    expect(useSettings.getState().databaseTest).toMatchObject({ state: 'ready', data: { ok: false, target: 'mysql://pass:***@127.0.0.1:3999/pass_local', error: { en: 'connection refused' } } });
  });

  test('sends a test notification through the saved notifier', async () => {
    await useSettings.getState().testNotifier();
    expect(bridge.calls.at(-1)).toEqual({ operation: 'settings.testNotifier', input: {} });
    expect(useSettings.getState().notifierTest).toMatchObject({ state: 'ready', data: { ok: true, detail: 'written to the log file' } });
  });
});
