/**
 * Every command of Loop Lens, declared once: `src/ui/commands.ts` must register exactly these
 * (its handler table is typed by them) and test/unit/manifest.test.ts holds package.json's
 * `contributes.commands` to them, both ways. Ids are `loopLens.verbNoun` (CONTRIBUTING.md).
 */
export const commandIds = [
  'loopLens.attachProcess',
  'loopLens.attachRemote',
  'loopLens.launchAndRecord',
  'loopLens.recordDebugSession',
  'loopLens.stopRecording',
  'loopLens.saveRecording',
  'loopLens.openRecording',
  'loopLens.showHeatmap',
  'loopLens.clearRecording',
  'loopLens.showSessionRecording',
  'loopLens.pickProcess',
] as const;

export type CommandId = (typeof commandIds)[number];
