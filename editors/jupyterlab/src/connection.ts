/**
 * A JSON-RPC 2.0 client over jupyter-lsp's websocket (`/lsp/ws/<server>`), which carries bare
 * JSON messages (no `Content-Length` framing).
 *
 * jupyter-lsp runs ONE server process per key and forwards its output to every websocket open
 * on it (other browser tabs too), so request ids carry a random per-connection prefix and
 * replies to other connections are ignored.
 */

/** A JSON-RPC error from the server. */
export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string
  ) {
    super(message);
  }
}

/** What the connection calls back. */
export interface IConnectionHandlers {
  /** A server notification. */
  notification(method: string, params: any): void;
  /** A server request; the value (or the promise's) is the result. */
  request(method: string, params: any): unknown;
  /** The socket closed (the server exited, Jupyter stopped, or `dispose`). */
  closed(reason: string): void;
}

interface IPending {
  resolve(value: any): void;
  reject(error: Error): void;
  method: string;
}

/** One websocket connection. */
export class LspConnection {
  private socket: WebSocket | null = null;
  private readonly pending = new Map<string, IPending>();
  private readonly prefix = `cw-${Math.random().toString(36).slice(2, 10)}-`;
  private next = 1;
  private disposed = false;

  constructor(
    private readonly url: string,
    private readonly handlers: IConnectionHandlers
  ) {}

  /** Opens the socket; rejects when it cannot be opened. */
  open(): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(this.url);
      let opened = false;
      socket.onopen = () => {
        opened = true;
        this.socket = socket;
        resolve();
      };
      socket.onmessage = (event) => this.receive(String(event.data));
      socket.onerror = () => {
        if (!opened) {
          reject(new Error(`cannot open ${this.url.replace(/token=[^&]*/, 'token=…')}`));
        }
      };
      socket.onclose = (event) => {
        this.socket = null;
        const reason = event.reason || `websocket closed (code ${event.code})`;
        for (const [, p] of this.pending) {
          p.reject(new Error(`${p.method}: ${reason}`));
        }
        this.pending.clear();
        if (opened && !this.disposed) {
          this.handlers.closed(reason);
        } else if (!opened) {
          reject(new Error(reason));
        }
      };
    });
  }

  /** Whether the socket is open. */
  get isOpen(): boolean {
    return this.socket !== null && this.socket.readyState === WebSocket.OPEN;
  }

  /** Sends a request and waits for its result. */
  request<T = any>(method: string, params: unknown): Promise<T> {
    const id = `${this.prefix}${this.next++}`;
    return new Promise<T>((resolve, reject) => {
      if (!this.isOpen) {
        reject(new Error(`${method}: not connected to the Codeward server`));
        return;
      }
      this.pending.set(id, { resolve, reject, method });
      this.send({ jsonrpc: '2.0', id, method, params });
    });
  }

  /** Sends a notification (dropped when the socket is closed). */
  notify(method: string, params: unknown): void {
    if (this.isOpen) {
      this.send({ jsonrpc: '2.0', method, params });
    }
  }

  /** Closes the socket without calling `closed`. */
  dispose(): void {
    this.disposed = true;
    this.socket?.close();
    this.socket = null;
  }

  private send(message: object): void {
    this.socket?.send(JSON.stringify(message));
  }

  private receive(text: string): void {
    let message: any;
    try {
      message = JSON.parse(text);
    } catch {
      console.warn('codeward: ignoring a message that is not JSON', text.slice(0, 200));
      return;
    }
    if (message === null || typeof message !== 'object') {
      return;
    }
    const hasId = message.id !== undefined && message.id !== null;
    if (typeof message.method === 'string' && hasId) {
      void this.answer(message.id, message.method, message.params);
    } else if (typeof message.method === 'string') {
      this.handlers.notification(message.method, message.params);
    } else if (hasId) {
      const pending = this.pending.get(String(message.id));
      if (!pending) {
        return; // a reply to another connection on the same server
      }
      this.pending.delete(String(message.id));
      if (message.error) {
        pending.reject(new RpcError(message.error.code, `${pending.method}: ${message.error.message}`));
      } else {
        pending.resolve(message.result ?? null);
      }
    }
  }

  private async answer(id: unknown, method: string, params: unknown): Promise<void> {
    try {
      const result = await this.handlers.request(method, params);
      this.send({ jsonrpc: '2.0', id, result: result ?? null });
    } catch (error) {
      this.send({ jsonrpc: '2.0', id, error: { code: -32603, message: String(error) } });
    }
  }
}
