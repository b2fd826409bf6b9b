// 패키지: what the gym sells, for its managers: the list (on sale and off), a new one, one changed,
// one taken off sale or put back. Each change also makes the desk's forms (a sale, a class, a bulk
// grant) read the packages again when next opened, so they offer what is on sale now.
import { create } from 'zustand';
import type { InputOf, PackageView } from '../../../main/service/contract.ts';
import { BridgeError } from '../bridge/Bridge.ts';
import { bridge } from '../bridge/index.ts';
import type { Words } from '../i18n/words.ts';
import { useBulkGrants } from './bulkGrants.ts';
import { idle, load, messageOf, type Load } from './errors.ts';
import { useMembers } from './members.ts';

/** What a change came to: the package as saved, or refused and why (with the field at fault). */
export type PackageChange = { ok: true; saved: PackageView } | { ok: false; error: Words; field: string | null };

interface PackagesState {
  packages: Load<PackageView[]>;
  reload(): Promise<void>;
  create(input: InputOf<'packages.create'>): Promise<PackageChange>;
  update(input: InputOf<'packages.update'>): Promise<PackageChange>;
  /** off sale (false) or back on sale (true) */
  setOnSale(packageSeq: number, onSale: boolean): Promise<PackageChange>;
}

export const usePackages = create<PackagesState>((set, get) => {
  async function change(run: () => Promise<PackageView>): Promise<PackageChange> {
    let saved: PackageView;
    try {
      saved = await run();
    } catch (error) {
      return { ok: false, error: messageOf(error), field: error instanceof BridgeError ? (error.field ?? null) : null };
    }
    useMembers.setState({ packages: idle });
    useBulkGrants.setState({ packages: idle });
    await get().reload();
    return { ok: true, saved };
  }
  return {
    packages: idle,
    async reload() {
      await load((packages) => set({ packages }), get().packages, () => bridge().call('packages.list', {}));
    },
    create: (input) => change(() => bridge().call('packages.create', input)),
    update: (input) => change(() => bridge().call('packages.update', input)),
    setOnSale: (packageSeq, onSale) => change(() => bridge().call(onSale ? 'packages.restore' : 'packages.retire', { packageSeq })),
  };
});
