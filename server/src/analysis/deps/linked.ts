/**
 * The summaries the linker sees: the project's files, and behind them the installed packages'
 * files, summarised on first access. Iteration yields the project's files only, so registrations,
 * workers and findings stay the project's.
 */
import type { FileSummary } from '../summaryTypes';
import type { Dependencies } from './dependencies';

export class LinkedSummaries extends Map<string, FileSummary> {
  private deps: Dependencies | undefined;

  constructor(project: Iterable<[string, FileSummary]>, deps: Dependencies | undefined) {
    super(project);
    this.deps = deps;
  }

  /** A project file's summary, else a package file's (loaded lazily). */
  override get(file: string): FileSummary | undefined {
    return super.get(file) ?? this.deps?.summary(file);
  }
}
