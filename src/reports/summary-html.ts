/**
 * The monitoring summary (and the pre-release digest, the same document model) as one
 * self-contained, printable HTML page: no scripts, no external
 * assets, inline CSS with print rules, tables with captions and scoped headings. Every piece of
 * text (names, summaries, verbatim threats) is escaped.
 */
import { MonitoringSummary } from './monitoring-summary';
import {
  StaffNames,
  SummaryDocument,
  SummarySection,
  SummaryTable,
  summaryDocument,
} from './summary-document';

/** A policy for this page alone: nothing may load or run; only its own inline styles apply. */
export const SUMMARY_HTML_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text safe to put in HTML content and in quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ESCAPES[ch]);
}

const CSS = `
  :root { color-scheme: light; }
  body { font-family: Arial, Helvetica, sans-serif; font-size: 11pt; line-height: 1.4; color: #0b0c0c;
         margin: 2rem auto; max-width: 60rem; padding: 0 1rem; }
  .marking { font-weight: bold; text-align: center; letter-spacing: 0.05em; margin: 0 0 1rem; }
  h1 { font-size: 1.6rem; margin: 0.5rem 0; }
  h2 { font-size: 1.2rem; margin: 1.8rem 0 0.4rem; border-bottom: 2px solid #0b0c0c; padding-bottom: 0.2rem; }
  .subtitle { font-size: 1.05rem; margin: 0 0 0.5rem; }
  .meta { margin: 0; color: #505a5f; }
  table { border-collapse: collapse; width: 100%; margin: 0.4rem 0 0.8rem; }
  caption { text-align: left; font-weight: bold; padding: 0.2rem 0; }
  th, td { border: 1px solid #b1b4b6; padding: 0.3rem 0.4rem; text-align: left; vertical-align: top;
           overflow-wrap: anywhere; white-space: pre-line; }
  thead th { background: #f3f2f1; }
  tbody th { background: #f8f8f8; font-weight: bold; width: 40%; }
  .empty { font-style: italic; }
  .prose { white-space: pre-line; overflow-wrap: anywhere; }
  footer { margin-top: 2rem; border-top: 1px solid #b1b4b6; padding-top: 0.5rem; font-size: 0.9rem; }
  @page { size: A4; margin: 15mm; }
  @media print {
    body { margin: 0; max-width: none; padding: 0; font-size: 9.5pt; }
    h2 { break-after: avoid; page-break-after: avoid; }
    caption { break-after: avoid; }
    thead { display: table-header-group; }
    tr, th, td { break-inside: avoid; page-break-inside: avoid; }
    thead th, tbody th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  }`;

function table(t: SummaryTable): string {
  const head = t.columns.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join('');
  const body = t.rows
    .map((row) => {
      const cells = row.map((cell, i) =>
        i === 0 && t.rowHeaders
          ? `<th scope="row">${escapeHtml(cell)}</th>`
          : `<td>${escapeHtml(cell)}</td>`,
      );
      return `<tr>${cells.join('')}</tr>`;
    })
    .join('\n');
  return `<table>\n<caption>${escapeHtml(t.caption)}</caption>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

function section(s: SummarySection): string {
  const id = `section-${s.id}`;
  return [
    `<section aria-labelledby="${id}">`,
    `<h2 id="${id}">${escapeHtml(s.heading)}</h2>`,
    s.intro ? `<p>${escapeHtml(s.intro)}</p>` : '',
    ...(s.paragraphs ?? []).map((p) => `<p class="prose">${escapeHtml(p)}</p>`),
    !s.table
      ? ''
      : s.table.rows.length
        ? table(s.table)
        : `<p class="empty">${escapeHtml(s.empty)}</p>`,
    `</section>`,
  ]
    .filter(Boolean)
    .join('\n');
}

export function renderSummaryHtml(summary: MonitoringSummary, names?: StaffNames): string {
  return renderDocumentHtml(summaryDocument(summary, names));
}

/** Any document of the summary's model (the MAPPA summary, the pre-release digest) as one page. */
export function renderDocumentHtml(doc: SummaryDocument): string {
  return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${escapeHtml(doc.title)}</title>
<style>${CSS}
</style>
</head>
<body>
<p class="marking">${escapeHtml(doc.marking)}</p>
<header>
<h1>${escapeHtml(doc.title)}</h1>
<p class="subtitle">${escapeHtml(doc.subtitle)}</p>
${doc.lines.map((l) => `<p class="meta">${escapeHtml(l)}</p>`).join('\n')}
</header>
<main>
${doc.sections.map(section).join('\n')}
</main>
<footer>
${doc.notes.map((n) => `<p>${escapeHtml(n)}</p>`).join('\n')}
<p class="marking">${escapeHtml(doc.marking)}</p>
</footer>
</body>
</html>
`;
}
