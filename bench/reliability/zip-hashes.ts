/** SHA-256 of every file in a downloaded zip, streamed entry by entry, so a folder download can be checked byte for byte. */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';

export function readZipHashes(file: string): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error(`${file} is not a zip`));
      const hashes = new Map<string, string>();
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        zip.openReadStream(entry, (err, stream) => {
          if (err || !stream) return reject(err ?? new Error(`no stream for ${entry.fileName}`));
          hashStream(stream).then((sha256) => {
            hashes.set(entry.fileName, sha256);
            zip.readEntry();
          }, reject);
        });
      });
      zip.on('end', () => resolve(hashes));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

async function hashStream(stream: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
