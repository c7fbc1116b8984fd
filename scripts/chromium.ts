import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/** The browser the tests and the screenshot use: the system's Chromium, never a download. */
const CANDIDATES = ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome'];

/** As the developers' guide prescribes for this project's machines (headless, no sandbox as root, no network of its own). */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

/** CHROMIUM_PATH when set, else the first of the usual names on PATH; null when there is none. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  const explicit = env['CHROMIUM_PATH'];
  if (explicit !== undefined && explicit !== '') return isExecutable(explicit) ? explicit : null;
  for (const name of CANDIDATES) {
    for (const directory of (env['PATH'] ?? '').split(delimiter)) {
      const path = join(directory, name);
      if (directory !== '' && isExecutable(path)) return path;
    }
  }
  return null;
}

/** Why there is no browser to run, in one line; null when there is one. */
export function chromiumMissingReason(env: NodeJS.ProcessEnv = process.env): string | null {
  if (findChromium(env) !== null) return null;
  const explicit = env['CHROMIUM_PATH'];
  if (explicit !== undefined && explicit !== '') return `CHROMIUM_PATH=${explicit} is not an executable file`;
  return `no ${CANDIDATES.join(', ')} on PATH (as root: apt-get update && apt-get install -y chromium; .ci/run does this)`;
}

export async function launchChromium(): Promise<Browser> {
  const executablePath = findChromium();
  if (executablePath === null) throw new Error(chromiumMissingReason() ?? 'Chromium was not found');
  return chromium.launch({ executablePath, args: CHROMIUM_FLAGS });
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
