#!/usr/bin/env node
// `npm run lint:electron`: @doyensec/electronegativity over main/ and renderer/ together (so its
// global checks, such as "is there a CSP" or "is navigation limited", see the whole app), and a
// failure for every finding that .electronegativity-allowlist does not list with a reason.
//
// The allowlist: one finding per line, `CHECK_ID path/in/repo` (path `*` for the checks that
// name no file), each preceded by at least one `#` comment line saying why it is acceptable.
// An entry without its comment is itself an error; an entry that matched nothing is reported,
// so the list shrinks when the code does.
//
// Runs offline: electronegativity's look-ups of Electron releases and translations fail quietly
// here, and the Electron version is taken from node_modules/electron instead.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const ALLOWLIST = join(root, '.electronegativity-allowlist');
const SCANNED = ['main', 'renderer'];

/** The allowlist's entries, each with its reason; throws on an entry without one. */
export function parseAllowlist(text) {
  const entries = [];
  const problems = [];
  let reason = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') {
      reason = [];
      return;
    }
    if (line.startsWith('#')) {
      reason.push(line.replace(/^#\s?/, ''));
      return;
    }
    const [check, path, ...extra] = line.split(/\s+/);
    if (!path || extra.length > 0 || !/^[A-Z_]+$/.test(check)) {
      problems.push(`line ${index + 1}: expected "CHECK_ID path", got "${line}"`);
    } else if (reason.length === 0) {
      problems.push(`line ${index + 1}: ${check} ${path} has no comment above it saying why it is allowed`);
    } else {
      entries.push({ check, path, reason: reason.join(' '), line: index + 1 });
    }
  });
  return { entries, problems };
}

function electronVersion() {
  try {
    return JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

function scan() {
  const work = mkdtempSync(join(tmpdir(), 'electronegativity-'));
  try {
    const input = join(work, 'app');
    for (const folder of SCANNED) {
      cpSync(join(root, folder), join(input, folder), { recursive: true, filter: (source) => !source.includes(`${'node_modules'}`) });
    }
    const output = join(work, 'findings.sarif');
    const cli = join(dirname(require.resolve('@doyensec/electronegativity/package.json')), 'dist/index.js');
    const version = electronVersion();
    const args = [cli, '-i', input, '-o', output, '-r', '-v', 'false', ...(version ? ['-e', version] : [])];
    // English messages, whatever the machine's locale: the parse-error check below reads them.
    const run = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 300_000, env: { ...process.env, LANG: 'en_US.UTF-8', LC_ALL: 'en_US.UTF-8' } });
    if (run.status !== 0 || !existsSync(output)) {
      throw new Error(`electronegativity did not run (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
    }
    // A file it could not parse is a file it did not check: that fails the lint too.
    const unparsed = `${run.stdout}\n${run.stderr}`.split('\n').filter((line) => /error parsing/i.test(line));
    if (unparsed.length > 0) throw new Error(`electronegativity could not read some files:\n${unparsed.join('\n')}`);
    const sarif = JSON.parse(readFileSync(output, 'utf8'));
    return sarif.runs.flatMap((r) => r.results ?? []).map((result) => {
      const location = result.locations?.[0]?.physicalLocation;
      const uri = location?.artifactLocation?.uri ?? '';
      const path = uri === '' || uri.startsWith('file:') || uri === 'N/A' ? '*' : uri.replace(/\\/g, '/').replace(/^\.\//, '');
      return { check: result.ruleId, path, line: location?.region?.startLine ?? 0, message: result.message?.text ?? '' };
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const { entries, problems } = parseAllowlist(existsSync(ALLOWLIST) ? readFileSync(ALLOWLIST, 'utf8') : '');
let findings;
try {
  findings = scan();
} catch (error) {
  console.error(`lint:electron: ${error.message}`);
  process.exit(2);
}

const used = new Set();
const unexplained = findings.filter((finding) => {
  const entry = entries.find((e) => e.check === finding.check && e.path === finding.path);
  if (entry) used.add(entry);
  return !entry;
});

for (const problem of problems) console.error(`.electronegativity-allowlist ${problem}`);
for (const finding of unexplained) {
  console.error(`${finding.check} ${finding.path}${finding.line ? `:${finding.line}` : ''} — ${finding.message}`);
}
for (const entry of entries.filter((e) => !used.has(e))) {
  console.warn(`note: allowlist line ${entry.line} (${entry.check} ${entry.path}) matched no finding; remove it if the code changed`);
}
const allowed = findings.length - unexplained.length;
if (unexplained.length > 0 || problems.length > 0) {
  console.error(
    `lint:electron: ${unexplained.length} finding${unexplained.length === 1 ? '' : 's'} not in .electronegativity-allowlist` +
      `${problems.length ? `, ${problems.length} allowlist problem${problems.length === 1 ? '' : 's'}` : ''} (${allowed} allowed). ` +
      'Fix the code, or add the finding to the allowlist with a comment saying why it is safe.',
  );
  process.exit(1);
}
console.log(`lint:electron: electronegativity over ${SCANNED.join('/ and ')}/: ${findings.length} finding${findings.length === 1 ? '' : 's'}, all explained in .electronegativity-allowlist.`);
