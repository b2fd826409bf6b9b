// 4. 회원 이용권: search by name, phone, its last four digits or id; the member's groups, passes
// and recent bookings; register a pass. Members themselves: create and edit (a dialog),
// deactivate or reactivate (after a confirmation), add to and remove from groups.
import { DateTime } from 'luxon';
import { useEffect, useId, useState, type FormEvent } from 'react';
import type { GroupView, MemberPasses, MemberSaved, PackageView, PassView, PaymentMethod } from '../../../main/service/contract.ts';
import { confirmAction, Dialog, Empty, Field, FormActions, Loaded, PageHeader, PassBadge, ProgressBar, Table, useDisabledWhy } from '../components/common.tsx';
import { DateInput } from '../components/DateInput.tsx';
import { CancelPass } from './members/CancelPass.tsx';
import { ExtendPass } from './members/ExtendPass.tsx';
import { both, useT } from '../i18n/i18n.ts';
import type { Words } from '../i18n/words.ts';
import { focusSoon } from '../lib/focus.ts';
import { formatDate, formatDateTime, formatMoment, formatNumber, formatPassEnd, formatPhone, formatWon } from '../lib/format.ts';
import { isDay } from '../lib/time24.ts';
import { passProgress, useMembers } from '../stores/members.ts';
import { useUi } from '../stores/ui.ts';

export function MembersScreen() {
  const { t, lang } = useT();
  const { query, setQuery, search, more, loadingMore, results, userId, open, member, loadPackages, loadGroups } = useMembers();
  const hasResults = results.state === 'ready' && results.data.members.length > 0;
  const [creating, setCreating] = useState(false);

  useEffect(() => {
    void loadPackages();
    void loadGroups();
  }, [loadPackages, loadGroups]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void search();
  };

  return (
    <div className="page">
      <PageHeader title={t('navMembers')}>
        <button type="button" className="btn btn-primary" onClick={() => setCreating(true)} data-testid="member-new">
          {t('memberNew')}
        </button>
      </PageHeader>
      {creating && <MemberForm onClose={() => setCreating(false)} />}
      <form className="search-bar" role="search" onSubmit={submit}>
        <input
          type="search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          placeholder={t('memberSearch')}
          aria-label={t('memberSearch')}
          data-testid="member-query"
        />
        <button type="submit" className="btn btn-primary" data-testid="member-search">
          {t('search')}
        </button>
      </form>
      <div className="two-col two-col-detail">
        <section className="card list-card" aria-label={t('member')}>
          {results.state === 'idle' ? (
            <Empty>{t('searchHint')}</Empty>
          ) : (
            <Loaded load={results} onRetry={() => void search()}>
              {({ members }) =>
                members.length === 0 ? (
                  <Empty>{t('noMembers')}</Empty>
                ) : (
                  <ul className="pick-list">
                    {members.map((m) => (
                      <li key={m.userId}>
                        <button type="button" className={m.userId === userId ? 'selected' : ''} onClick={() => {
                            void open(m.userId);
                            // past the other results, straight to the member
                            focusSoon(`[data-testid=member-detail][data-user="${m.userId}"] h2`);
                          }}
                          data-testid="member-result" data-user={m.userId}>
                          <strong>{m.userName}</strong>
                          <span className="muted mono">{m.userId}</span>
                          <span className="muted phone" data-testid="member-result-phone">{formatPhone(m.phone)}</span>
                          <span className="pill">{t('livePasses')} {formatNumber(m.livePasses, lang)}</span>
                        </button>
                      </li>
                    ))}
                  </ul>
                )
              }
            </Loaded>
          )}
          {results.state === 'ready' && results.data.members.length > 0 && (
            <div className="pager" data-testid="member-count">
              <span>{t('membersShown', { total: formatNumber(results.data.total, lang), shown: formatNumber(results.data.members.length, lang) })}</span>
              {results.data.next && (
                <button type="button" className="btn btn-small" onClick={() => void more()} disabled={loadingMore} data-testid="member-more">
                  {loadingMore ? t('loading') : t('showMore')}
                </button>
              )}
            </div>
          )}
        </section>
        <section className="card detail-card" aria-label={t('navMembers')}>
          {userId === null ? <Empty>{hasResults ? t('pickMember') : t('searchHint')}</Empty> : <Loaded load={member} onRetry={() => void open(userId)}>{(data) => <MemberDetail data={data} />}</Loaded>}
        </section>
      </div>
    </div>
  );
}

function MemberDetail({ data }: { data: MemberPasses }) {
  const { t, lang } = useT();
  const zone = useUi((s) => s.timeZone);
  const packages = useMembers((s) => s.packages);
  // the packages as last read, while they are read again too (the sale form reads them each time it opens)
  const packageList = ('data' in packages ? packages.data : undefined) ?? [];
  const countOf = (seq: number) => packageList.find((p) => p.packageSeq === seq)?.count ?? null;
  const [registering, setRegistering] = useState(false);
  const [editing, setEditing] = useState(false);
  const [cancelling, setCancelling] = useState<PassView | null>(null);
  const [extending, setExtending] = useState<PassView | null>(null);
  const warnings = useMembers((s) => s.warnings);
  const setActive = useMembers((s) => s.setActive);
  const open = useMembers((s) => s.open);
  const toast = useUi((s) => s.toast);
  const passLabel = new Map(data.passes.map((p) => [p.passSeq, p.packageName]));
  const active = data.member.status === 'ACTIVE';
  const names = { name: data.member.userName, id: data.member.userId };

  const toggleActive = async () => {
    // Deactivating cancels the member's bookings and waitlist places still to come: the count is
    // read again now, as the server will find them, not as the detail showed them when opened.
    const upcoming = active ? ((await open(data.member.userId))?.upcoming ?? data.upcoming) : null;
    const cancels = upcoming && upcoming.bookings + upcoming.waitlist > 0 ? ` ${t('deactivateCancels', upcoming)}` : '';
    const ok = await confirmAction({
      title: active ? t('deactivate') : t('reactivate'),
      body: active ? `${t('deactivateConfirm', names)}${cancels}` : t('reactivateConfirm', names),
      confirmLabel: active ? t('deactivate') : t('reactivate'),
      danger: active,
    });
    if (!ok) return;
    const outcome = await setActive(!active);
    if (outcome.ok) {
      toast('success', doneWords(active, outcome.cancelled));
      focusSoon(`[data-testid=${active ? 'member-reactivate' : 'member-deactivate'}]`);
    } else toast('error', outcome.error);
  };

  return (
    <div data-testid="member-detail" data-user={data.member.userId} data-status={data.member.status}>
      <div className="member-head">
        <div>
          <h2 tabIndex={-1}>{data.member.userName}</h2>
          <div className="muted">
            <span className="mono">{data.member.userId}</span> · <span className="phone" data-testid="member-phone">{formatPhone(data.member.phone)}</span> ·{' '}
            {active ? t('memberActive') : t('memberInactive')}
          </div>
        </div>
        <div className="page-actions">
          <button type="button" className="btn" onClick={() => setEditing(true)} data-testid="member-edit">
            {t('edit')}
          </button>
          <button type="button" className={active ? 'btn btn-danger-outline' : 'btn'} onClick={() => void toggleActive()} data-testid={active ? 'member-deactivate' : 'member-reactivate'}>
            {active ? t('deactivate') : t('reactivate')}
          </button>
          <button type="button" className="btn btn-primary" onClick={() => setRegistering(true)} data-shortcut="n" aria-keyshortcuts="n" data-testid="register-open">
            {t('registerPass')}
          </button>
        </div>
      </div>
      {warnings.length > 0 && (
        <div className="notice notice-warn" role="status" data-testid="member-warning">
          <strong>{t('checkThis')}</strong>
          {warnings.map((w) => (
            <p key={w.code} data-code={w.code}>
              {w.message[lang]}
            </p>
          ))}
        </div>
      )}
      {data.member.memo && (
        <p className="member-memo" data-testid="member-memo">
          <span className="muted">{t('memo')}</span> {data.member.memo}
        </p>
      )}
      <MemberGroups data={data} />
      <h3>{t('pass')}</h3>
      {data.passes.length === 0 ? (
        <Empty>{t('noPasses')}</Empty>
      ) : (
        <div className="table-wrap">
          <Table columns={[t('package'), t('status'), { label: t('remaining'), className: 'num' }, t('period'), { label: t('usedSoFar'), className: 'col-usage' }]}>
              {data.passes.map((p) => (
                <tr key={p.passSeq} data-testid="pass-row" data-pass={p.passSeq} data-package={p.packageSeq}>
                  <td>
                    {p.packageName}
                    {p.bulkPassSeq !== null && <span className="pill pill-soft">{t('bulkGrant')}</span>}
                    {/* what the desk sold it for and how it was paid, under its name (a column of its own pushed
                        the table past a 1024-px window, and so would a method kept on one line: "· Bank
                        transfer" wraps like the name, the dot with its first word); nothing for a pass not
                        sold (a grant, an import, a bonus, before prices) */}
                    {p.price !== null && (
                      <span className="pass-price pass-sold muted">
                        <span className="visually-hidden">{t('passPrice')} </span>
                        <span className="nowrap" data-testid="pass-price">{formatWon(p.price, lang)}</span>
                        {p.paymentMethod && (
                          <>
                            {' ·\u00a0'}
                            <span data-testid="pass-payment">
                              <span className="visually-hidden">{t('paymentMethod')} </span>
                              {t(`payment${p.paymentMethod}`)}
                            </span>
                          </>
                        )}
                      </span>
                    )}
                  </td>
                  <td data-testid="pass-status" tabIndex={-1}>
                    <PassBadge status={p.status} />
                    {p.status === 'CANCELLED' ? (
                      <span className="pass-cancel-note muted" data-testid="pass-cancelled">
                        {p.cancelledAt && t('passCancelledOn', { date: formatDate(p.cancelledAt, lang, zone) })}
                        {p.refund !== null && ` · ${t('passRefunded', { refund: formatWon(p.refund, lang) })}`}
                        {p.cancelReason && <span className="pass-cancel-reason" title={p.cancelReason}>{p.cancelReason}</span>}
                      </span>
                    ) : (
                      p.status !== 'EXPIRED' && (
                        <span className="pass-actions">
                          {(p.endedAt !== null || p.remainingCount !== null) && (
                            <button type="button" className="btn btn-small" onClick={() => setExtending(p)} data-testid="pass-extend-open">
                              {t('passExtendOpen')}
                              {/* which pass, for a screen reader: the visible words start the name, as they must */}
                              <span className="visually-hidden"> {t('passExtendOpenOf', { package: p.packageName })}</span>
                            </button>
                          )}
                          <button type="button" className="btn btn-small" onClick={() => setCancelling(p)} data-testid="pass-cancel-open">
                            {t('passCancelOpen')}
                            <span className="visually-hidden"> {t('passCancelOpenOf', { package: p.packageName })}</span>
                          </button>
                        </span>
                      )
                    )}
                  </td>
                  <td className="num">{p.remainingCount === null ? t('unlimited') : t('countUnit', { n: formatNumber(p.remainingCount, lang) })}</td>
                  <td>
                    <span className="nowrap">{formatMoment(p.startedAt, lang, zone)} –</span>{' '}
                    <span className="nowrap">{p.endedAt ? formatPassEnd(p.endedAt, lang, zone) : t('noEnd')}</span>
                  </td>
                  <td className="col-usage">
                    <ProgressBar fraction={passProgress(p, countOf(p.packageSeq))} tone={p.status === 'EXPIRED' || p.status === 'CANCELLED' ? 'mute' : 'ok'} label={p.packageName} />
                  </td>
                </tr>
              ))}
          </Table>
        </div>
      )}
      <h3>{t('bookings')}</h3>
      {data.bookings.length === 0 ? (
        <Empty>{t('noBookings')}</Empty>
      ) : (
        <div className="table-wrap">
          <Table columns={[t('started'), t('bookedClass'), t('pass'), t('status'), t('attended'), t('usedPass')]}>
              {data.bookings.map((b) => (
                <tr key={b.bookingSeq} data-testid="member-booking" data-booking={b.bookingSeq}>
                  <td>{formatDateTime(b.startedAt, lang, zone)}</td>
                  <td data-testid="member-booking-class">{b.classTitle ?? '–'}</td>
                  <td>{passLabel.get(b.passSeq) ?? `#${b.passSeq}`}</td>
                  <td>{b.status === 'CANCELLED' ? t('cancelled') : b.status === 'COMPLETED' ? t('bookingCompleted') : b.status === 'PROGRESSED' ? t('bookingProgressed') : t('bookingReady')}</td>
                  <td>{b.attended ? '✓' : '–'}</td>
                  <td>{b.usedPass ? '✓' : '–'}</td>
                </tr>
              ))}
          </Table>
        </div>
      )}
      {registering && <RegisterPass memberName={data.member.userName} packages={packageList.filter((p) => p.retiredAt === null)} onClose={() => setRegistering(false)} />}
      {editing && <MemberForm member={data.member} onClose={() => setEditing(false)} />}
      {cancelling && <CancelPass pass={cancelling} data={data} onClose={() => setCancelling(null)} />}
      {extending && <ExtendPass pass={extending} data={data} onClose={() => setExtending(null)} />}
    </div>
  );
}

/** What a deactivation or reactivation did, in words: with what it cancelled and who moved in, if anything. */
function doneWords(deactivated: boolean, cancelled: MemberSaved['cancelled']): Words {
  if (!deactivated || !cancelled || cancelled.bookings + cancelled.waitlist === 0) return both(deactivated ? 'memberDeactivated' : 'memberReactivated');
  const done = both('memberDeactivatedCancelled', cancelled);
  if (cancelled.promoted === 0) return done;
  const moved = both('memberDeactivatedPromoted', cancelled);
  return { ko: `${done.ko} ${moved.ko}`, en: `${done.en} ${moved.en}` };
}

/**
 * The words a group is shown by: its name. Ids are not words staff use, so one is added only where
 * two groups share a name and nothing else would tell them apart ("요가 회원 (YOGA2)").
 */
function groupLabels(groups: Array<{ userGroupId: string; userGroupName: string }>): (group: { userGroupId: string; userGroupName: string }) => string {
  const named = new Map<string, Set<string>>();
  for (const g of groups) named.set(g.userGroupName.trim(), (named.get(g.userGroupName.trim()) ?? new Set()).add(g.userGroupId));
  return (g) => ((named.get(g.userGroupName.trim())?.size ?? 0) > 1 ? `${g.userGroupName} (${g.userGroupId})` : g.userGroupName);
}

/** The groups the member is in, each with a way out, and a way into another. */
/** The group select's choice for a group that does not exist yet (ids are trimmed: none starts with a space). */
const NEW_GROUP = ' new';

function MemberGroups({ data }: { data: MemberPasses }) {
  const { t, pick } = useT();
  const toast = useUi((s) => s.toast);
  const { groups, addToGroup, addToNewGroup, removeFromGroup } = useMembers();
  const [picked, setPicked] = useState('');
  // NEW_GROUP picked: a name for a group that does not exist yet
  const [newName, setNewName] = useState('');
  const [newProblem, setNewProblem] = useState<Words | null>(null);
  const inGroup = new Set(data.groups.map((g) => g.userGroupId));
  const all = groups.state === 'ready' ? groups.data : [];
  const others = all.filter((g) => !inGroup.has(g.userGroupId));
  const label = groupLabels([...all, ...data.groups]);
  // what the add button still waits for, said beside it (a name of spaces is no name)
  const why = !picked ? t('groupNeedsPick') : picked === NEW_GROUP && newName.trim() === '' ? t('newGroupNeedsName') : null;
  const { note, describedBy } = useDisabledWhy(why !== null, why, 'group-add');

  const add = async (e: FormEvent) => {
    e.preventDefault();
    if (picked === NEW_GROUP) {
      const outcome = await addToNewGroup(newName);
      if (outcome.ok) {
        toast('success', both('newGroupAdded', { group: newName.trim() }));
        setPicked('');
        setNewName('');
        setNewProblem(null);
        focusSoon('[data-testid=group-add-select]');
      } else {
        setNewProblem(outcome.error);
        toast('error', outcome.error);
      }
      return;
    }
    const group = others.find((g) => g.userGroupId === picked);
    if (!group) return;
    const outcome = await addToGroup(group.userGroupId);
    if (outcome.ok) {
      setPicked('');
      toast('success', both('groupAdded', { group: group.userGroupName }));
    } else toast('error', outcome.error);
  };
  const remove = async (group: { userGroupId: string; userGroupName: string }) => {
    const ok = await confirmAction({
      title: t('removeFromGroup'),
      body: t('removeFromGroupConfirm', { name: data.member.userName, group: group.userGroupName }),
      confirmLabel: t('removeFromGroup'),
      danger: true,
    });
    if (!ok) return;
    const outcome = await removeFromGroup(group.userGroupId);
    if (outcome.ok) toast('success', both('groupRemoved', { group: group.userGroupName }));
    else toast('error', outcome.error);
    focusSoon('[data-testid=group-add-select]');
  };

  return (
    <section aria-label={t('memberGroups')} data-testid="member-groups">
      <h3>{t('memberGroups')}</h3>
      {data.groups.length === 0 ? (
        <Empty>{t('noGroups')}</Empty>
      ) : (
        <ul className="chip-list">
          {data.groups.map((g) => (
            <li key={g.userGroupId} className="pill" data-testid="member-group" data-group={g.userGroupId}>
              {label(g)}
              <button type="button" className="btn btn-small" onClick={() => void remove(g)} aria-label={`${t('removeFromGroup')}: ${label(g)}`} data-testid="group-remove">
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="search-bar group-add" onSubmit={(e) => void add(e)}>
        <select
          value={picked}
          onChange={(e) => {
            setPicked(e.target.value);
            if (e.target.value === NEW_GROUP) focusSoon('[data-testid=group-new-name]');
          }}
          aria-label={t('pickGroup')}
          data-testid="group-add-select"
        >
          <option value="">{t('pickGroup')}</option>
          {others.map((g) => (
            <option key={g.userGroupId} value={g.userGroupId}>
              {label(g)}
            </option>
          ))}
          <option value={NEW_GROUP}>{t('newGroupOption')}</option>
        </select>
        {picked === NEW_GROUP && (
          <Field label={t('newGroupName')} hint={t('newGroupHint')} error={newProblem ? pick(newProblem) : null}>
            <input
              value={newName}
              onChange={(e) => {
                setNewName(e.target.value);
                setNewProblem(null);
              }}
              maxLength={20}
              aria-invalid={newProblem ? true : undefined}
              data-testid="group-new-name"
            />
          </Field>
        )}
        <button type="submit" className="btn" disabled={why !== null} aria-describedby={describedBy} data-testid="group-add">
          {picked === NEW_GROUP ? t('addToNewGroup') : t('addToGroup')}
        </button>
        {note}
      </form>
    </section>
  );
}

/** Create a member (no `member`) or edit one: name, phone, memo; a new one's id and groups too. */
function MemberForm({ member, onClose }: { member?: MemberPasses['member']; onClose: () => void }) {
  const { t, pick } = useT();
  const toast = useUi((s) => s.toast);
  const dismiss = useUi((s) => s.dismiss);
  const { createMember, updateMember, groups } = useMembers();
  const [userId, setUserId] = useState('');
  const [userName, setUserName] = useState(member?.userName ?? '');
  const [phone, setPhone] = useState(member?.phone ? formatPhone(member.phone) : '');
  const [memo, setMemo] = useState(member?.memo ?? '');
  const [chosen, setChosen] = useState<string[]>([]);
  // the last refusal: said under its field and in a message (toastId), both taken down once the
  // field is changed or the form is saved
  const [problem, setProblem] = useState<{ field: string | null; text: string; toastId: number } | null>(null);
  const [busy, setBusy] = useState(false);
  const groupList: GroupView[] = groups.state === 'ready' ? groups.data : [];
  const groupLabel = groupLabels(groupList);
  const errorOf = (field: string) => (problem?.field && (problem.field === field || problem.field.startsWith(`${field}.`)) ? problem.text : null);
  const clearProblem = () => {
    if (problem) dismiss(problem.toastId);
    setProblem(null);
  };
  /** a field typed in: its refusal, if the last one was about it, is gone */
  const edited = (field: string) => {
    if (errorOf(field) !== null) clearProblem();
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const outcome = member
      ? await updateMember({ userName, phone: phone.trim() === '' ? null : phone, memo: memo.trim() === '' ? null : memo })
      : await createMember({
          userName,
          ...(userId.trim() ? { userId: userId.trim() } : {}),
          ...(phone.trim() ? { phone } : {}),
          ...(memo.trim() ? { memo } : {}),
          ...(chosen.length ? { groups: chosen } : {}),
        });
    setBusy(false);
    clearProblem();
    if (!outcome.ok) {
      setProblem({ field: outcome.field, text: pick(outcome.error), toastId: toast('error', outcome.error) });
      return;
    }
    toast('success', member ? both('memberSaved') : both('memberCreated', { name: userName.trim(), id: outcome.userId }));
    onClose();
    focusSoon(`[data-testid=member-detail][data-user="${outcome.userId}"] h2`);
  };

  return (
    <Dialog title={member ? `${t('memberEdit')} · ${member.userName}` : t('memberNew')} onClose={onClose} testId="member-form">
      <form className="form" onSubmit={(e) => void submit(e)}>
        {!member && (
          <Field label={`${t('memberId')} (${t('optional')})`} hint={t('memberIdHint')} error={errorOf('userId')}>
            <input value={userId} onChange={(e) => {
                setUserId(e.target.value);
                edited('userId');
              }} maxLength={20} className="mono" data-testid="member-form-id" />
          </Field>
        )}
        <Field label={t('memberName')} error={errorOf('userName')}>
          <input value={userName} onChange={(e) => {
              setUserName(e.target.value);
              edited('userName');
            }} maxLength={50} required data-autofocus="" data-testid="member-form-name" />
        </Field>
        <Field label={`${t('phone')} (${t('optional')})`} hint={t('phoneHint')} error={errorOf('phone')}>
          <input type="tel" value={phone} onChange={(e) => {
              setPhone(e.target.value);
              edited('phone');
            }} maxLength={40} data-testid="member-form-phone" />
        </Field>
        <Field label={`${t('memo')} (${t('optional')})`} error={errorOf('memo')}>
          <textarea value={memo} onChange={(e) => {
              setMemo(e.target.value);
              edited('memo');
            }} maxLength={1000} rows={3} data-testid="member-form-memo" />
        </Field>
        {!member && groupList.length > 0 && (
          <fieldset className="field" data-testid="member-form-groups">
            <legend className="field-label">{`${t('memberGroups')} (${t('optional')})`}</legend>
            {groupList.map((g) => (
              <label key={g.userGroupId} className="check">
                <input
                  type="checkbox"
                  checked={chosen.includes(g.userGroupId)}
                  onChange={(e) => {
                    setChosen((c) => (e.target.checked ? [...c, g.userGroupId] : c.filter((id) => id !== g.userGroupId)));
                    edited('groups');
                  }}
                  value={g.userGroupId}
                />
                {groupLabel(g)}
              </label>
            ))}
            {errorOf('groups') && <span className="field-error">{errorOf('groups')}</span>}
          </fieldset>
        )}
        <FormActions
          onCancel={onClose}
          submitLabel={member ? t('save') : t('memberNew')}
          disabled={busy || userName.trim() === ''}
          why={userName.trim() === '' ? t('memberNeedsName') : null}
          testId="member-form-submit"
        />
      </form>
    </Dialog>
  );
}

function RegisterPass({ memberName, packages, onClose }: { memberName: string; packages: PackageView[]; onClose: () => void }) {
  const { t, lang, pick } = useT();
  const zone = useUi((s) => s.timeZone);
  const toast = useUi((s) => s.toast);
  const register = useMembers((s) => s.register);
  const loadPackages = useMembers((s) => s.loadPackages);
  const [packageSeq, setPackageSeq] = useState('');
  const [bonus, setBonus] = useState('');
  // how it was paid: asked only of a package sold for more than 0원 (nothing is paid for one with no price or at 0원)
  const [method, setMethod] = useState<PaymentMethod | ''>('');
  const methodName = useId();
  const [startedAt, setStartedAt] = useState(() => DateTime.now().setZone(zone).toFormat('yyyy-MM-dd'));
  // the last refusal: under the start when it was about the start, else at the top of the form (an inactive member)
  const [problem, setProblem] = useState<{ field: string | null; error: Words } | null>(null);
  const pkg = packages.find((p) => String(p.packageSeq) === packageSeq);
  const label = (p: PackageView) => `${p.packageName}${p.count !== null ? ` · ${t('countUnit', { n: p.count })}` : ''}${p.period !== null ? ` · ${t('daysUnit', { n: p.period })}` : ''}`;
  // what the package sells for, so the desk says it before the sale; a bonus is given, so its options show none
  const saleLabel = (p: PackageView) => `${label(p)}${p.price !== null ? ` · ${formatWon(p.price, lang)}` : ''}`;
  const bonusPkg = packages.find((p) => String(p.packageSeq) === bonus);
  const paid = pkg !== undefined && pkg.price !== null && pkg.price > 0;
  // a refusal about the method is said under the choice while it is shown, else at the top (the price gone since the form opened)
  const methodProblem = problem?.field === 'paymentMethod' && paid ? problem.error : null;

  // what is on sale now: a manager may have made a package or taken one off sale since the screen opened
  useEffect(() => {
    void loadPackages();
  }, [loadPackages]);

  // Closed (cancelled, Escape or registered): back to the button that opened it.
  const close = () => {
    onClose();
    focusSoon('[data-testid=register-open]');
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!pkg) return;
    if (!isDay(startedAt)) {
      // a day that is not one (2026-02-30, 12/07/2026): said under the start, nothing sent
      setProblem({ field: 'startedAt', error: both('dayProblem') });
      toast('error', { ko: `${both('startsAt').ko}: ${both('dayProblem').ko}`, en: `${both('startsAt').en}: ${both('dayProblem').en}` });
      return;
    }
    const ok = await confirmAction({
      title: t('registerPass'),
      body: [
        t('registerConfirm', { member: memberName, package: pkg.packageName, date: formatDate(`${startedAt}T00:00:00Z`, lang, 'UTC') }),
        pkg.price === null
          ? t('registerConfirmNoPrice')
          : paid && method
            ? t('registerConfirmPaid', { price: formatWon(pkg.price, lang), method: t(`payment${method}`) })
            : t('registerConfirmPrice', { price: formatWon(pkg.price, lang) }),
        ...(bonusPkg ? [t('registerConfirmBonus', { bonus: bonusPkg.packageName })] : []),
      ].join(' '),
      confirmLabel: t('register'),
    });
    if (!ok) return;
    const outcome = await register({ packageSeq: pkg.packageSeq, startedAt, ...(bonus ? { bonusPackageSeq: Number(bonus) } : {}), ...(paid && method ? { paymentMethod: method } : {}) });
    if (outcome.ok) {
      toast('success', both('registered'));
      close();
    } else {
      // the package's price changed since the form opened: read it again, so the method is asked or not as it is now
      if (outcome.field === 'paymentMethod') void loadPackages();
      setProblem({ field: outcome.field, error: outcome.error });
      toast('error', outcome.error);
    }
  };

  return (
    <form
      className="card inset form"
      onSubmit={(e) => void submit(e)}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          close();
        }
      }}
      data-testid="register-form"
    >
      <h3>{t('registerPass')}</h3>
      {problem && problem.field !== 'startedAt' && methodProblem === null && (
        <p className="notice" role="alert" data-testid="register-error">
          {pick(problem.error)}
        </p>
      )}
      <div className="form-grid">
        <Field label={t('package')}>
          <select
            value={packageSeq}
            onChange={(e) => {
              setPackageSeq(e.target.value);
              if (problem?.field === 'paymentMethod') setProblem(null);
            }}
            required
            autoFocus
            data-testid="register-package"
          >
            <option value="">–</option>
            <PackageOptions packages={packages} label={saleLabel} />
          </select>
        </Field>
        {paid && (
          <fieldset className="field" data-testid="register-payment">
            <legend className="field-label">{t('paymentMethod')}</legend>
            <div className="check-row">
              {PAYMENT_METHODS.map((m) => (
                <label key={m} className="check">
                  <input
                    type="radio"
                    name={methodName}
                    value={m}
                    checked={method === m}
                    onChange={() => {
                      setMethod(m);
                      if (problem?.field === 'paymentMethod') setProblem(null);
                    }}
                    aria-invalid={methodProblem !== null || undefined}
                    data-testid={`register-method-${m}`}
                  />
                  {t(`payment${m}`)}
                </label>
              ))}
            </div>
            {methodProblem && <span className="field-error">{pick(methodProblem)}</span>}
          </fieldset>
        )}
        <Field label={t('startsAt')} error={problem?.field === 'startedAt' ? pick(problem.error) : null}>
          <DateInput
            value={startedAt}
            onChange={(day) => {
              setStartedAt(day);
              if (problem?.field === 'startedAt') setProblem(null);
            }}
            asTyped
            required
            invalid={problem?.field === 'startedAt'}
            testId="register-start"
          />
        </Field>
        <Field label={`${t('bonusPackage')} (${t('optional')})`}>
          <select value={bonus} onChange={(e) => setBonus(e.target.value)}>
            <option value="">{t('none')}</option>
            <PackageOptions packages={packages} label={label} />
          </select>
        </Field>
      </div>
      <FormActions
        onCancel={close}
        submitLabel={t('register')}
        disabled={!pkg || (paid && !method)}
        why={pkg ? (paid && !method ? t('registerNeedsPayment') : null) : packages.length === 0 ? t('registerNoPackage') : t('registerNeedsPackage')}
        testId="register-submit"
      />
    </form>
  );
}

/** How a sale may be paid, in the order the form offers them. */
const PAYMENT_METHODS: PaymentMethod[] = ['CARD', 'CASH', 'TRANSFER'];

/** The packages as a select's options, each in words (name, uses, period). */
function PackageOptions({ packages, label }: { packages: PackageView[]; label: (p: PackageView) => string }) {
  return (
    <>
      {packages.map((p) => (
        <option key={p.packageSeq} value={p.packageSeq}>
          {label(p)}
        </option>
      ))}
    </>
  );
}
