// Builds the prebuilt labextension (codeward_jupyterlab/labextension) with @jupyterlab/builder
// against the JupyterLab found by the Python on PATH (or $PYTHON): what `jupyter labextension
// build` used to do, without its new dependency on downloading @jupyterlab/core-meta.
// Usage: node scripts/build-labextension.mjs [--development]
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const here = path.resolve(import.meta.dirname, '..');
const pythons = [process.env.PYTHON, 'python', 'python3'].filter(Boolean);
let core = null;
for (const py of pythons) {
  try {
    core = execFileSync(py, ['-c', 'import jupyterlab, os; print(os.path.join(os.path.dirname(jupyterlab.__file__), "staging"))'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore']
    }).trim();
    break;
  } catch {
    // try the next one
  }
}
if (!core) {
  console.error(`no Python with jupyterlab found (tried ${pythons.join(', ')}): pip install jupyterlab, or set PYTHON`);
  process.exit(1);
}
const builder = path.join(here, 'node_modules/@jupyterlab/builder/lib/build-labextension.js');
execFileSync(process.execPath, [builder, '--core-path', core, ...process.argv.slice(2), here], { stdio: 'inherit', cwd: here });
