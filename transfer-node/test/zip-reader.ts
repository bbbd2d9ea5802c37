/** Reads a whole zip answer into `{ name: content }` (folders as `<dir>`); yauzl refuses unsafe names. */
import { fromBuffer, type Entry } from 'yauzl';

export async function zipEntries(body: Buffer): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    fromBuffer(body, { lazyEntries: true }, (err, zip) => {
      if (err) return reject(err);
      const out: Record<string, string> = {};
      zip.on('entry', (entry: Entry) => {
        if (entry.fileName.endsWith('/')) {
          out[entry.fileName] = '<dir>';
          return zip.readEntry();
        }
        zip.openReadStream(entry, async (e, stream) => {
          if (e) return reject(e);
          const chunks: Buffer[] = [];
          for await (const c of stream) chunks.push(c as Buffer);
          out[entry.fileName] = Buffer.concat(chunks).toString();
          zip.readEntry();
        });
      });
      zip.on('end', () => resolve(out));
      zip.readEntry();
    });
  });
}
