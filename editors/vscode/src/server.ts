// Finding the `codeward` binary: the setting, then the binary bundled for this platform, then PATH.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { binaryName, platformDir } from './settings';

export interface ResolvedServer {
  command: string;
  /** Where the command came from, for the output channel and error messages. */
  origin: 'setting' | 'bundled' | 'PATH';
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The first `name` on `PATH`, if any. */
export function onPath(name: string, envPath = process.env.PATH ?? ''): string | undefined {
  for (const dir of envPath.split(path.delimiter)) {
    if (dir !== '' && isExecutable(path.join(dir, name))) {
      return path.join(dir, name);
    }
  }
  return undefined;
}

/**
 * The server to start. `configured` is `codeward.serverPath` (empty: unset); `extensionRoot` the
 * extension's folder. Throws with a helpful message when nothing is found.
 */
export function resolveServer(configured: string, extensionRoot: string): ResolvedServer {
  const name = binaryName(process.platform);
  if (configured.trim() !== '') {
    const file = configured.trim().replace(/^~(?=$|\/)/, process.env.HOME ?? '~');
    if (isExecutable(file)) {
      return { command: file, origin: 'setting' };
    }
    const found = !file.includes('/') && !file.includes('\\') ? onPath(file) : undefined;
    if (found) {
      return { command: found, origin: 'setting' };
    }
    throw new Error(`codeward.serverPath is "${configured}", which is not an executable file`);
  }
  const bundled = path.join(extensionRoot, 'server', platformDir(process.platform, process.arch), name);
  if (fs.existsSync(bundled)) {
    if (!isExecutable(bundled) && process.platform !== 'win32') {
      // Some unpackers drop the executable bit; the file is ours, so restore it.
      try {
        fs.chmodSync(bundled, 0o755);
      } catch {
        // reported below
      }
    }
    if (isExecutable(bundled)) {
      return { command: bundled, origin: 'bundled' };
    }
  }
  const found = onPath(name);
  if (found) {
    return { command: found, origin: 'PATH' };
  }
  throw new Error(
    `no codeward server: this extension has no bundled binary for ${platformDir(process.platform, process.arch)} ` +
      `and "${name}" is not on PATH. Install it (cargo install --path server) or set codeward.serverPath.`,
  );
}
