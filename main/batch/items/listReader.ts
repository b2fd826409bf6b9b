// Reads items from an array, restartable by index: for tests and small in-memory inputs.
import type { ItemReader } from '../job.ts';

export function listReader<T>(items: readonly T[], name = 'listReader'): ItemReader<T> {
  let index = 0;
  return {
    open(context) {
      index = Number(context[`${name}.index`] ?? 0);
    },
    read() {
      return index < items.length ? items[index++] : null;
    },
    update(context) {
      context[`${name}.index`] = index;
    },
    async expectedCount() {
      return items.length - index;
    },
  };
}
