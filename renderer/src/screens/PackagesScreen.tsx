// 패키지 (managers): what the gym sells. The list, on sale first; a new package and a changed one in
// a dialog (name, uses or unlimited, days or no end); taken off sale after a confirmation that
// says what stays, and put back on sale. A change of uses or days is confirmed too: it applies to
// passes sold from then on, never to those sold before. Its price (optional, whole won) is what
// the desk sells a pass of it for; a new one, too, applies to the passes sold afterwards.
import { useEffect, useId, useState, type FormEvent } from 'react';
import type { PackageView } from '../../../main/service/contract.ts';
import { confirmAction, Dialog, Empty, Field, FormActions, Loaded, PageHeader, Table } from '../components/common.tsx';
import { both, useT } from '../i18n/i18n.ts';
import type { Words } from '../i18n/words.ts';
import { formatDate, formatWon, wholeTyped, wonTyped } from '../lib/format.ts';
import { focusSoon } from '../lib/focus.ts';
import { usePackages } from '../stores/packages.ts';
import { useUi } from '../stores/ui.ts';

export function PackagesScreen() {
  const { t, lang } = useT();
  const zone = useUi((s) => s.timeZone);
  const toast = useUi((s) => s.toast);
  const { packages, reload, setOnSale } = usePackages();
  const [editing, setEditing] = useState<PackageView | 'new' | null>(null);

  useEffect(() => {
    void reload();
  }, [reload]);

  const amount = (p: PackageView) => ({
    uses: p.count === null ? t('unlimited') : t('countUnit', { n: p.count }),
    days: p.period === null ? t('packageNoEnd') : t('daysUnit', { n: p.period }),
  });

  const toggle = async (p: PackageView) => {
    const onSale = p.retiredAt !== null;
    if (!onSale && !(await confirmAction({ title: t('packageRetire'), body: t('packageRetireConfirm', { name: p.packageName }), confirmLabel: t('packageRetire'), danger: true }))) return;
    const outcome = await setOnSale(p.packageSeq, onSale);
    if (!outcome.ok) {
      toast('error', outcome.error);
      return;
    }
    toast('success', both(onSale ? 'packageRestored' : 'packageRetired', { name: p.packageName }));
    // the row's other button takes the place of the one pressed
    focusSoon(`[data-testid=package-row][data-package="${p.packageSeq}"] [data-testid=${onSale ? 'package-retire' : 'package-restore'}]`);
  };

  return (
    <div className="page">
      <PageHeader title={t('navPackages')}>
        <button type="button" className="btn btn-primary" onClick={() => setEditing('new')} data-testid="package-new">
          {t('packageNew')}
        </button>
      </PageHeader>
      <p className="muted" data-testid="packages-intro">
        {t('packagesIntro')}
      </p>
      <section className="card">
        <Loaded load={packages} onRetry={() => void reload()}>
          {(list) =>
            list.length === 0 ? (
              <Empty>{t('packagesNone')}</Empty>
            ) : (
              <Table columns={[t('packageNameLabel'), t('packageUses'), t('packageDays'), { label: t('packagePrice'), className: 'num' }, t('status'), null]}>
                {[...list.filter((p) => p.retiredAt === null), ...list.filter((p) => p.retiredAt !== null)].map((p) => (
                  <tr key={p.packageSeq} data-testid="package-row" data-package={p.packageSeq} data-on-sale={p.retiredAt === null ? 'yes' : 'no'}>
                    <td data-testid="package-name">{p.packageName}</td>
                    <td data-testid="package-uses">{amount(p).uses}</td>
                    <td data-testid="package-days">{amount(p).days}</td>
                    <td className="num" data-testid="package-price">
                      {p.price === null ? <span className="muted">{t('packageNoPrice')}</span> : formatWon(p.price, lang)}
                    </td>
                    <td data-testid="package-status">
                      {p.retiredAt === null ? (
                        <span className="badge badge-ok">{t('packageOnSale')}</span>
                      ) : (
                        <span className="badge badge-mute">{t('packageOffSaleSince', { date: formatDate(p.retiredAt, lang, zone) })}</span>
                      )}
                    </td>
                    <td>
                      <div className="row-actions">
                        <button type="button" className="btn btn-small" onClick={() => setEditing(p)} aria-label={`${t('edit')}: ${p.packageName}`} data-testid="package-edit">
                          {t('edit')}
                        </button>
                        {p.retiredAt === null ? (
                          <button type="button" className="btn btn-small btn-danger-outline" onClick={() => void toggle(p)} aria-label={`${t('packageRetire')}: ${p.packageName}`} data-testid="package-retire">
                            {t('packageRetire')}
                          </button>
                        ) : (
                          <button type="button" className="btn btn-small" onClick={() => void toggle(p)} aria-label={`${t('packageRestore')}: ${p.packageName}`} data-testid="package-restore">
                            {t('packageRestore')}
                          </button>
                        )}
                      </div>
                    </td>
                  </tr>
                ))}
              </Table>
            )
          }
        </Loaded>
      </section>
      {editing && <PackageFormDialog editing={editing === 'new' ? undefined : editing} onClose={() => setEditing(null)} />}
    </div>
  );
}

/** A whole number in [min, max] as typed, or null when it is not one (blank too). */
function wholeIn(text: string, min: number, max: number): number | null {
  const n = wholeTyped(text, min, max);
  return typeof n === 'number' ? n : null;
}

function PackageFormDialog({ editing, onClose }: { editing?: PackageView; onClose: () => void }) {
  const { t, pick, lang } = useT();
  const toast = useUi((s) => s.toast);
  const { create, update } = usePackages();
  const [name, setName] = useState(editing?.packageName ?? '');
  const [uses, setUses] = useState(editing?.count === null || editing === undefined ? '10' : String(editing.count));
  const [unlimited, setUnlimited] = useState(editing?.count === null);
  const [days, setDays] = useState(editing?.period === null || editing === undefined ? '30' : String(editing.period));
  const [noEnd, setNoEnd] = useState(editing?.period === null);
  const [priceText, setPriceText] = useState(editing?.price === null || editing === undefined ? '' : String(editing.price));
  // kept in both languages, so a switch of language mid-form says it again in the new one
  const [problem, setProblem] = useState<{ field: string; words: Words } | null>(null);
  const [busy, setBusy] = useState(false);
  const count = unlimited ? null : wholeIn(uses, 1, 9999);
  const period = noEnd ? null : wholeIn(days, 1, 3650);
  const price = wonTyped(priceText);
  const errorOf = (field: string) => (problem?.field === field ? pick(problem.words) : null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!unlimited && count === null) {
      setProblem({ field: 'count', words: both('packageUsesProblem') });
      return;
    }
    if (!noEnd && period === null) {
      setProblem({ field: 'period', words: both('packageDaysProblem') });
      return;
    }
    if (price === 'bad') {
      setProblem({ field: 'price', words: both('packagePriceProblem') });
      return;
    }
    setProblem(null);
    // a change of what a pass gets or costs: the passes already sold keep theirs, and the screen says so first
    const amountChanged = editing !== undefined && (count !== editing.count || period !== editing.period || price !== editing.price);
    if (amountChanged) {
      const what = [
        count === null ? t('unlimited') : t('countUnit', { n: count }),
        period === null ? t('packageNoEnd') : t('daysUnit', { n: period }),
        // the price when it has one or loses it
        ...(price !== null ? [formatWon(price, lang)] : price !== editing.price ? [t('packageNoPrice')] : []),
      ].join(' · ');
      if (!(await confirmAction({ title: t('packageEdit'), body: t('packageChangeConfirm', { name: editing.packageName, what }), confirmLabel: t('save') }))) return;
    }
    setBusy(true);
    const outcome = editing
      ? await update({
          packageSeq: editing.packageSeq,
          ...(name.trim() !== editing.packageName ? { packageName: name } : {}),
          ...(count !== editing.count ? { count } : {}),
          ...(period !== editing.period ? { period } : {}),
          ...(price !== editing.price ? { price } : {}),
        })
      : await create({ packageName: name, count, period, ...(price !== null ? { price } : {}) });
    setBusy(false);
    if (!outcome.ok) {
      if (outcome.field) setProblem({ field: outcome.field, words: outcome.error });
      toast('error', outcome.error);
      return;
    }
    toast('success', both(editing ? 'packageSaved' : 'packageCreated', { name: outcome.saved.packageName }));
    onClose();
    focusSoon(`[data-testid=package-row][data-package="${outcome.saved.packageSeq}"] [data-testid=package-edit]`);
  };

  const unchanged = editing !== undefined && name.trim() === editing.packageName && count === editing.count && period === editing.period && price === editing.price;
  return (
    <Dialog title={editing ? t('packageEdit') : t('packageNew')} onClose={onClose} testId="package-form">
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <Field label={t('packageNameLabel')} hint={t('packageNameHint')} error={errorOf('packageName')}>
          <input
            value={name}
            onChange={(e) => {
              setName(e.target.value);
              if (problem?.field === 'packageName') setProblem(null);
            }}
            maxLength={50}
            required
            aria-invalid={errorOf('packageName') ? true : undefined}
            data-autofocus=""
            data-testid="package-form-name"
          />
        </Field>
        <Amount
          label={t('packageUses')}
          value={uses}
          onChange={setUses}
          max={9999}
          none={unlimited}
          onNone={setUnlimited}
          noneLabel={t('packageUnlimitedUses')}
          error={errorOf('count')}
          clearError={() => problem?.field === 'count' && setProblem(null)}
          testId="package-form-uses"
        />
        <Amount
          label={t('packageDaysLabel')}
          value={days}
          onChange={setDays}
          max={3650}
          none={noEnd}
          onNone={setNoEnd}
          noneLabel={t('packageNoEnd')}
          error={errorOf('period')}
          clearError={() => problem?.field === 'period' && setProblem(null)}
          testId="package-form-days"
        />
        <Field label={t('packagePriceLabel')} hint={t('packagePriceHint')} error={errorOf('price')}>
          <input
            inputMode="numeric"
            value={priceText}
            onChange={(e) => {
              setPriceText(e.target.value);
              if (problem?.field === 'price') setProblem(null);
            }}
            maxLength={15}
            placeholder={t('packageNoPrice')}
            aria-invalid={errorOf('price') ? true : undefined}
            data-testid="package-form-price"
          />
        </Field>
        <FormActions
          onCancel={onClose}
          submitLabel={editing ? t('save') : t('packageNew')}
          disabled={busy || name.trim() === '' || unchanged}
          why={name.trim() === '' ? t('packageNeedsName') : unchanged ? t('noChanges') : null}
          testId="package-form-submit"
        />
      </form>
    </Dialog>
  );
}

/** A number of uses or days, or none of them (unlimited, no end), with its error under it. */
function Amount(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  max: number;
  none: boolean;
  onNone: (none: boolean) => void;
  noneLabel: string;
  error: string | null;
  clearError: () => void;
  testId: string;
}) {
  const labelId = useId();
  const errorId = useId();
  return (
    <div className="field" role="group" aria-labelledby={labelId}>
      <span className="field-label" id={labelId}>
        {props.label}
      </span>
      <input
        type="number"
        inputMode="numeric"
        min={1}
        max={props.max}
        value={props.none ? '' : props.value}
        disabled={props.none}
        onChange={(e) => {
          props.onChange(e.target.value);
          props.clearError();
        }}
        aria-labelledby={labelId}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.error ? errorId : undefined}
        data-testid={props.testId}
      />
      <label className="check">
        <input
          type="checkbox"
          checked={props.none}
          onChange={(e) => {
            props.onNone(e.target.checked);
            props.clearError();
          }}
          data-testid={`${props.testId}-none`}
        />
        {props.noneLabel}
      </label>
      {props.error && (
        <span className="field-error" id={errorId}>
          {props.error}
        </span>
      )}
    </div>
  );
}
