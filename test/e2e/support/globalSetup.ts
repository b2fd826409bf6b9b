// The screens under test are the built ones (`serve` serves out/renderer): build once first,
// unless PASS_E2E_SKIP_BUILD=1 says the build is fresh.
import { execFileSync } from 'node:child_process';
import { ROOT } from './server.ts';

export default function setup(): void {
  if (process.env.PASS_E2E_SKIP_BUILD === '1') return;
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
}
