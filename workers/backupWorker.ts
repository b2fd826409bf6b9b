// Piscina entry point for backupDatabaseJob's copy: SQLite's online backup, and the write of the
// copy at its end, on a thread of its own, so the console's thread never waits on the disk.
import { copyDatabaseFile } from '../main/batch/index.ts';

export default copyDatabaseFile;
