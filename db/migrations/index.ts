// Every migration, in the order it runs. Names are numbered; never rename or reorder one
// that has shipped: the database remembers names.
import * as batchMetadata from './001_batch_metadata.ts';

export const migrations = {
  '001_batch_metadata': batchMetadata,
};
