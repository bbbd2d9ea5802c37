import type { OutgoingMail } from './mail-delivery';

/** The plain-text and HTML parts of a notice: the text, then the link; everything in the HTML escaped. */
export function composeMail(
  row: { id: string; to: string; subject: string; text: string; link: string | null },
  from: string,
): OutgoingMail {
  const text = [row.text, row.link ? `Open: ${row.link}` : null, '— Courier'].filter((p) => p !== null).join('\n\n');
  const paragraphs = row.text
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
  const link = row.link ? `<p><a href="${escapeHtml(row.link)}">${escapeHtml(row.link)}</a></p>\n` : '';
  const html = `<!doctype html>\n<html><body>\n${paragraphs}\n${link}<p>— Courier</p>\n</body></html>\n`;
  return { id: row.id, from, to: row.to, subject: row.subject, text, html };
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
