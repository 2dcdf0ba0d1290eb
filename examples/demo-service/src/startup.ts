/**
 * Runs once when the service starts, before it listens: reads its settings and seeds the data
 * folder. Synchronous file calls are fine here: nothing else is waiting on the event loop yet.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Settings {
  pbkdf2Iterations: number;
  reportRows: number;
  fileCount: number;
  fileSizeBytes: number;
}

/** The demo's own folder (one level above src/ and dist/ alike). */
export const rootDir = join(__dirname, '..');
export const dataDir = process.env.DATA_DIR ?? join(rootDir, '.data');
export const filesDir = join(dataDir, 'files');
export const reportFile = join(dataDir, 'report.json');

function readSettings(): Settings {
  const text = readFileSync(join(rootDir, 'config', 'defaults.json'), 'utf8');
  return JSON.parse(text) as Settings;
}

/** Writes the report and the small files the routes serve, unless a previous run did. */
function seedData(s: Settings): void {
  mkdirSync(filesDir, { recursive: true });
  if (!existsSync(reportFile)) {
    const rows = Array.from({ length: s.reportRows }, (_, i) => ({
      id: i,
      customer: `customer-${i % 977}`,
      amount: Math.round(((i * 7919) % 100000) / 10) / 10,
      items: [i % 13, i % 7, i % 5],
      note: 'x'.repeat(120),
    }));
    writeFileSync(reportFile, JSON.stringify(rows));
  }
  for (let i = 0; i < s.fileCount; i++) {
    const file = join(filesDir, `part-${String(i).padStart(4, '0')}.txt`);
    if (!existsSync(file)) writeFileSync(file, `${i}\n`.repeat(s.fileSizeBytes / 4));
  }
}

export const settings: Settings = readSettings();
seedData(settings);
