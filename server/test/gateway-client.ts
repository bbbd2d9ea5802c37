/** What a browser's HTTP Gateway v3 client sends (http-gateway-v3.md §3.1, §4.1), for tests. */
export async function gatewayUpload(gatewayUrl: string, spec: Record<string, unknown>, files: Array<{ path: string; data: Buffer | string }>): Promise<Response> {
  const form = new FormData();
  form.append('x-aspera-spec', JSON.stringify({ ...spec, paths: files.map((f) => ({ source: f.path, destination: f.path })) }));
  for (const file of files) {
    const bytes = typeof file.data === 'string' ? Buffer.from(file.data) : file.data;
    form.append('Content-Length', String(bytes.length));
    form.append('file', new Blob([new Uint8Array(bytes)]), file.path);
  }
  return fetch(`${gatewayUrl}/v3/upload`, { method: 'POST', body: form });
}

export async function gatewayDownload(gatewayUrl: string, spec: Record<string, unknown>): Promise<Response> {
  return fetch(`${gatewayUrl}/v3/download`, { headers: { 'x-aspera-spec': Buffer.from(JSON.stringify(spec), 'utf8').toString('base64') } });
}
