/**
 * The monitoring summary as an A4 PDF, ready for the POM to attach to the MAPPA F report, and the
 * pre-release digest for the COM: the same layout as the HTML page (summary-document.ts), the
 * protective marking on every page, tagged for assistive technology.
 *
 * It uses PDF's standard Helvetica, so nothing is embedded and the text is plain in the file
 * (uncompressed). Those fonts only hold the Windows-1252 characters: any other character (another
 * script, an emoji) is shown as "?", and the PDF then says so and points to the HTML and JSON
 * versions, which hold the exact words.
 */
import PDFDocument from 'pdfkit';
import { MonitoringSummary } from './monitoring-summary';
import { StaffNames, SummaryDocument, SummarySection, summaryDocument } from './summary-document';

const FONT = 'Helvetica';
const BOLD = 'Helvetica-Bold';
const MARGIN = 50;
const HEADER_FILL = '#eeeeee';

/** Characters beyond Latin-1 that Windows-1252, and so the standard PDF fonts, can show. */
const WIN_ANSI_EXTRA = new Set(
  '€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ'.split('').map((ch) => ch.codePointAt(0)!),
);

/**
 * The text as the standard fonts can show it: tabs become spaces, other control characters go, and
 * a character the fonts lack becomes "?". `lossy` says whether anything was replaced.
 */
export function toPdfText(text: string): { text: string; lossy: boolean } {
  let lossy = false;
  let out = '';
  for (const ch of text.normalize('NFC')) {
    const code = ch.codePointAt(0)!;
    if (ch === '\n' || (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff)) out += ch;
    else if (ch === '\t') out += ' ';
    else if (WIN_ANSI_EXTRA.has(code)) out += ch;
    else if (code < 0x20 || (code >= 0x7f && code < 0xa0)) continue;
    else {
      out += '?';
      lossy = true;
    }
  }
  return { text: out, lossy };
}

export interface PdfSummary {
  filename: string;
  document: PDFKit.PDFDocument;
}

/** YYYY-MM-DD (London) of an ISO instant, for the file name. */
function fileDate(iso: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/London',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(iso));
}

export function summaryPdfFilename(summary: MonitoringSummary): string {
  return `monitoring-summary-${summary.prisoner.prisonNumber}-${fileDate(summary.period.from)}-${fileDate(summary.period.to)}.pdf`;
}

/** The MAPPA monitoring summary as a PDF. */
export function renderSummaryPdf(summary: MonitoringSummary, names?: StaffNames): PdfSummary {
  return {
    filename: summaryPdfFilename(summary),
    document: renderDocumentPdf(summaryDocument(summary, names), {
      reference: summary.prisoner.prisonNumber,
      keywords: 'MAPPA, monitoring',
    }),
  };
}

type Struct = PDFKit.PDFStructureElement;
/** pdfkit's tagging options its type definitions leave out: a header cell's scope, the table's parent. */
type TaggedCell = PDFKit.Mixins.CellOptions & { scope?: 'Column' | 'Row' };
type TaggedTable = PDFKit.Mixins.TableOptionsWithData & { structParent: Struct };

/**
 * Lays out any document of the summary's model (the MAPPA summary, the pre-release digest) and ends
 * it: the returned document is a readable stream of the PDF's bytes, to pipe to the response.
 *
 * A tagged PDF (PDF/UA's structure, so a screen reader reads it in order): the document's language
 * and title in its metadata (shown as the window title), real text throughout, headings as H1 and
 * H2, prose as P, each section a Sect, each table a Table with TH header cells (column headers, and
 * row headers where the table has them) and TD cells; the marking and page numbers of every page
 * are artifacts, not content.
 */
export function renderDocumentPdf(
  layout: SummaryDocument,
  opts: { reference: string; keywords: string },
): PDFKit.PDFDocument {
  let lossy = false;
  const clean = (text: string) => {
    const r = toPdfText(text);
    lossy ||= r.lossy;
    return r.text;
  };

  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    compress: false,
    bufferPages: true,
    pdfVersion: '1.7',
    tagged: true,
    lang: 'en-GB',
    displayTitle: true,
    info: {
      Title: clean(layout.title),
      Subject: clean(layout.subtitle),
      Author: 'Monitor prisoner communications',
      Keywords: `${layout.marking}, ${opts.keywords}`,
    },
  });
  const width = doc.page.width - 2 * MARGIN;
  const root = doc.struct('Document');
  doc.addStructure(root);
  const tagged = (parent: Struct, type: string, draw: () => void) => {
    const element = doc.struct(type);
    parent.add(element);
    element.add(draw);
    element.end();
  };

  tagged(root, 'H1', () => doc.font(BOLD).fontSize(16).text(clean(layout.title), { width }));
  doc.moveDown(0.3);
  tagged(root, 'P', () => doc.font(FONT).fontSize(11).text(clean(layout.subtitle), { width }));
  doc.fontSize(9).fillColor('#505a5f');
  for (const line of layout.lines) tagged(root, 'P', () => doc.text(clean(line), { width }));
  doc.fillColor('black');

  for (const section of layout.sections) {
    const sect = doc.struct('Sect');
    root.add(sect);
    drawSection(doc, sect, section, width, clean, tagged);
    sect.end();
  }

  doc.moveDown();
  doc.font(FONT).fontSize(8).fillColor('#505a5f');
  const notes = [...layout.notes];
  if (lossy)
    notes.push(
      'Some characters (for example of another script) cannot be shown in this PDF and appear as "?". The HTML and JSON versions hold the exact words.',
    );
  tagged(root, 'P', () => doc.text(clean(notes.join(' ')), MARGIN, undefined, { width }));
  doc.fillColor('black');
  root.end();

  markEveryPage(doc, layout.marking, opts.reference);
  doc.end();
  return doc;
}

function drawSection(
  doc: PDFKit.PDFDocument,
  sect: Struct,
  section: SummarySection,
  width: number,
  clean: (text: string) => string,
  tagged: (parent: Struct, type: string, draw: () => void) => void,
): void {
  // Keep a heading with the start of what follows it.
  if (doc.y > doc.page.height - MARGIN - 90) doc.addPage();
  doc.moveDown(0.8);
  tagged(sect, 'H2', () =>
    doc.font(BOLD).fontSize(12).text(clean(section.heading), MARGIN, undefined, { width }),
  );
  doc.moveDown(0.2);
  doc.font(FONT).fontSize(9);
  const prose = [...(section.intro ? [section.intro] : []), ...(section.paragraphs ?? [])];
  for (const paragraph of prose) {
    tagged(sect, 'P', () => doc.text(clean(paragraph), { width }));
    doc.moveDown(0.3);
  }
  const t = section.table;
  if (!t) return;
  if (t.rows.length === 0) {
    tagged(sect, 'P', () => doc.font('Helvetica-Oblique').text(clean(section.empty), { width }));
    doc.font(FONT);
    return;
  }
  const weights = t.widths ?? t.columns.map(() => 1);
  const total = weights.reduce((a, b) => a + b, 0);
  const header = (text: string, scope: 'Column' | 'Row'): TaggedCell => ({
    text: clean(text),
    type: 'TH',
    scope,
    font: { src: BOLD },
  });
  const options: TaggedTable = {
    position: { x: MARGIN },
    maxWidth: width,
    structParent: sect,
    columnStyles: weights.map((w) => Math.floor((width * w) / total)),
    defaultStyle: { border: 0.5, borderColor: '#999999', padding: 3 },
    data: [
      t.columns.map((c) => ({ ...header(c, 'Column'), backgroundColor: HEADER_FILL })),
      ...t.rows.map((row) =>
        row.map((cell, i) =>
          i === 0 && t.rowHeaders ? header(cell, 'Row') : { text: clean(cell) },
        ),
      ),
    ],
  };
  doc.table(options);
  doc.x = MARGIN;
}

/**
 * The protective marking at the top and bottom of every page, with the page number: artifacts
 * (pagination), so a screen reader does not read them on every page.
 */
function markEveryPage(doc: PDFKit.PDFDocument, marking: string, reference: string): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i += 1) {
    doc.switchToPage(i);
    const { top, bottom } = doc.page.margins;
    // Writing inside the margins must not start a new page.
    doc.page.margins.top = 0;
    doc.page.margins.bottom = 0;
    const width = doc.page.width - 2 * MARGIN;
    doc.markContent('Artifact', { type: 'Pagination' });
    doc.font(BOLD).fontSize(9).fillColor('black');
    doc.text(marking, MARGIN, 22, { width, align: 'center', lineBreak: false });
    doc.font(FONT).fontSize(8);
    doc.text(
      `${marking} - ${reference} - page ${i - range.start + 1} of ${range.count}`,
      MARGIN,
      doc.page.height - 32,
      { width, align: 'center', lineBreak: false },
    );
    doc.endMarkedContent();
    doc.page.margins.top = top;
    doc.page.margins.bottom = bottom;
  }
}
