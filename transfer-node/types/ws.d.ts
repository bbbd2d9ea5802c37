/**
 * The part of `ws` 8 the gateway's WebSocket upload uses (docs/http-gateway.md §9). `ws` ships no
 * types and `@types/ws` is not installed; this declares only what transfer-node/gateway/ws-*.ts
 * and their tests call, against ws 8.23's documented API.
 */
declare module 'ws' {
  import type { EventEmitter } from 'node:events';
  import type { IncomingMessage } from 'node:http';
  import type { Duplex } from 'node:stream';

  type RawData = Buffer | ArrayBuffer | Buffer[];

  class WebSocket extends EventEmitter {
    // Other options go to http.request: localAddress picks the client's address (a test's client behind or past a proxy).
    constructor(url: string, options?: { headers?: Record<string, string>; ca?: Buffer; localAddress?: string });
    static readonly OPEN: number;
    readonly readyState: number;
    readonly isPaused: boolean;
    send(data: string | Buffer | Uint8Array, cb?: (err?: Error) => void): void;
    close(code?: number, reason?: string): void;
    terminate(): void;
    pause(): void;
    resume(): void;
    on(event: 'message', listener: (data: RawData, isBinary: boolean) => void): this;
    on(event: 'close', listener: (code: number, reason: Buffer) => void): this;
    on(event: 'error', listener: (err: Error) => void): this;
    on(event: 'open', listener: () => void): this;
    on(event: 'unexpected-response', listener: (req: unknown, res: IncomingMessage) => void): this;
    once(event: 'open' | 'close' | 'error', listener: (...args: unknown[]) => void): this;
  }

  class WebSocketServer extends EventEmitter {
    constructor(options: { noServer: true; maxPayload?: number; perMessageDeflate?: boolean });
    handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer, cb: (ws: WebSocket) => void): void;
    close(cb?: () => void): void;
  }

  export { WebSocket, WebSocketServer, type RawData };
  export default WebSocket;
}
