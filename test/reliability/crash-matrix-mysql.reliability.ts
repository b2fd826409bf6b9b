// Part 1 on MariaDB: see support/crashMatrix.ts. Skipped (with a warning) where MariaDB is
// unreachable; CI=true makes that a failure instead.
import { test } from 'vitest';
import { backends } from '../support/databases.ts';
import { crashMatrix } from './support/crashMatrix.ts';

if (backends.includes('mysql')) crashMatrix('mysql');
else test.skip('crash matrix [mysql]: MariaDB unreachable', () => undefined);
