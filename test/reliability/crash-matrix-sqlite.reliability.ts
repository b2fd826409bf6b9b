// Part 1 on SQLite: see support/crashMatrix.ts.
import { crashMatrix } from './support/crashMatrix.ts';

crashMatrix('sqlite');
