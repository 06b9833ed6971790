// The extension's `codeward.*` settings and the names the language server reads
// (`initializationOptions` and `workspace/didChangeConfiguration`, see server/src/lsp/settings.rs).
// Pure code, no `vscode` import, so the protocol tests can use the very same mapping.

/** Reads one `codeward.*` setting by its key without the prefix (`"minimumSeverity"`). */
export type SettingReader = (key: string) => unknown;

/** What the server accepts, with the server's key names. */
export interface ServerSettings {
  analysisType: 'Security' | 'All';
  scanType: 'Express' | 'Standard';
  minSeverity: 'Info' | 'Low' | 'Medium' | 'High' | 'Critical';
  scanTrigger: 'type' | 'save' | 'manual';
  debounceMs: number;
  disabledRules: string[];
  honorForeignSuppressions: boolean;
}

export const DEFAULTS: ServerSettings = {
  analysisType: 'Security',
  scanType: 'Express',
  minSeverity: 'Info',
  scanTrigger: 'type',
  debounceMs: 200,
  disabledRules: [],
  honorForeignSuppressions: false,
};

const ANALYSIS_TYPES = ['Security', 'All'] as const;
const SCAN_TYPES = ['Express', 'Standard'] as const;
const SEVERITIES = ['Info', 'Low', 'Medium', 'High', 'Critical'] as const;
const TRIGGERS = ['type', 'save', 'manual'] as const;

/** `value` as one of `allowed` (matched case-insensitively), else `fallback`. */
function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  if (typeof value !== 'string') {
    return fallback;
  }
  const found = allowed.find((a) => a.toLowerCase() === value.trim().toLowerCase());
  return found ?? fallback;
}

/**
 * The server's settings from the extension's (`codeward.minimumSeverity` becomes `minSeverity`, …).
 * Every key is always present, so a setting reset to its default also reaches the server (the
 * server only replaces the keys a change carries). Invalid values fall back to the defaults.
 */
export function serverSettings(read: SettingReader): ServerSettings {
  const debounce = read('debounceMs');
  const rules = read('disabledRules');
  return {
    analysisType: oneOf(read('analysisType'), ANALYSIS_TYPES, DEFAULTS.analysisType),
    scanType: oneOf(read('scanType'), SCAN_TYPES, DEFAULTS.scanType),
    minSeverity: oneOf(read('minimumSeverity'), SEVERITIES, DEFAULTS.minSeverity),
    scanTrigger: oneOf(read('scanTrigger'), TRIGGERS, DEFAULTS.scanTrigger),
    debounceMs:
      typeof debounce === 'number' && Number.isFinite(debounce) && debounce >= 0
        ? Math.min(Math.round(debounce), 60_000)
        : DEFAULTS.debounceMs,
    disabledRules: Array.isArray(rules)
      ? rules.filter((r): r is string => typeof r === 'string' && r.trim() !== '').map((r) => r.trim())
      : [],
    honorForeignSuppressions: read('honorForeignSuppressions') === true,
  };
}

/** The auto-scan period in milliseconds, or 0 when off (values under 10 s are raised to 10 s). */
export function autoScanMillis(read: SettingReader): number {
  const seconds = read('autoScanInterval');
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0) {
    return 0;
  }
  return Math.max(10, seconds) * 1000;
}

/** Language ids the client sends to the server: its three languages, TypeScript, and config and
 * text files for the secrets detectors. */
export const LANGUAGES = [
  'python',
  'java',
  'javascript',
  'javascriptreact',
  'typescript',
  'typescriptreact',
  'dotenv',
  'properties',
  'yaml',
  'ini',
  'toml',
  'json',
  'jsonc',
  'shellscript',
  'dockerfile',
  'plaintext',
] as const;

/** The bundled server's folder for a platform, as `npm run package` lays it out (`linux-x64`). */
export function platformDir(platform: string, arch: string): string {
  return `${platform}-${arch}`;
}

/** The server binary's file name on a platform. */
export function binaryName(platform: string): string {
  return platform === 'win32' ? 'codeward.exe' : 'codeward';
}
