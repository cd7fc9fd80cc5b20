import { renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { reportData, reportMarkdown, type ReportData } from './report';
import { reportHtml } from './report-html';
import { readAllResults } from './results-file';

function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

/** Reads every results file in `outDir` and writes report.md and report.html there. */
export function writeReport(outDir: string): { markdown: string; files: string[]; data: ReportData } {
  const data = reportData(readAllResults(outDir));
  const markdown = reportMarkdown(data);
  const files = [path.join(outDir, 'report.md'), path.join(outDir, 'report.html')];
  writeAtomic(files[0], markdown);
  writeAtomic(files[1], reportHtml(data));
  return { markdown, files, data };
}
