import type { Bill } from '@telehall/contracts';
import PDFDocument from 'pdfkit';

const yuan = (fen: number) => `${fen < 0 ? '-' : ''}CNY ${Math.trunc(Math.abs(fen) / 100).toLocaleString('en-US')}.${String(Math.abs(fen) % 100).padStart(2, '0')}`;
const localDate = (iso: string) => new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 10);

/**
 * A bill as a one-page PDF. Labels are English: the PDF standard fonts
 * (Helvetica) have no Chinese glyphs, and no CJK font ships with our
 * dependencies; the app shows the same bill in Chinese.
 */
export function billPdf(bill: Bill, operator = 'Telehall'): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: `Bill ${bill.cycle} ${bill.msisdn}`, Author: operator, Subject: 'Monthly bill' } });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.font('Helvetica-Bold').fontSize(20).text(`${operator} monthly bill`);
  doc.moveDown(0.5).font('Helvetica').fontSize(11).fillColor('#555')
    .text(`Line ${bill.msisdn}   Cycle ${bill.cycle} (${localDate(bill.cycleStart)} to ${localDate(new Date(new Date(bill.cycleEnd).getTime() - 1).toISOString())}, China time)`)
    .text(`Bill ${bill.id}   Issued ${localDate(bill.createdAt)}`);
  doc.moveDown(1.5).fillColor('#000');
  const rows: [string, number, boolean?][] = [
    ['Opening balance', bill.openingBalance.amount, true],
    ['Plan fees', -bill.planFees.amount],
    ['Add-on packs', -bill.addons.amount],
    ['Overage: data', -bill.overage.data.amount],
    ['Overage: voice', -bill.overage.voice.amount],
    ['Overage: SMS', -bill.overage.sms.amount],
    ['Adjustments', bill.adjustments.amount],
    ['Payments (top-ups)', bill.payments.amount],
    ['Refunds', -bill.refunds.amount],
    ['Other', bill.other.amount],
    ['Closing balance', bill.closingBalance.amount, true],
  ];
  const x = doc.page.margins.left;
  const w = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  for (const [label, fen, bold] of rows) {
    const y = doc.y;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(12).text(label, x, y, { width: w / 2 });
    doc.text(yuan(fen), x + w / 2, y, { width: w / 2, align: 'right' });
    doc.moveDown(0.4);
    if (bold) doc.moveTo(x, doc.y).lineTo(x + w, doc.y).strokeColor('#ddd').stroke().moveDown(0.4);
  }
  doc.moveDown(2).font('Helvetica').fontSize(9).fillColor('#777')
    .text('Every figure is the sum of this line\'s ledger entries in the cycle. Charges are shown as negative amounts.', x, doc.y, { width: w });
  doc.end();
  return done;
}
