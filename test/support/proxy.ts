import { createServer, IncomingMessage, request, Server, ServerResponse } from 'node:http';
import { AddressInfo, connect, Socket } from 'node:net';

export interface ProxyOptions {
  /** Answer every request and tunnel with this status (407 asks for credentials) instead of passing it on. */
  refuse?: number;
}

/**
 * A forward HTTP proxy on 127.0.0.1 that records what passes through it, one line a request:
 * `CONNECT host:port` for each tunnel, and `METHOD http://host:port/path` for each request, sent
 * to it with an absolute URI or inside a tunnel to a plain-http target. Clients (undici, so
 * VS Code's fetch) tunnel to http targets too, and reuse a tunnel for several requests, so the
 * CONNECT lines alone cannot say which requests went through.
 */
export class RecordingProxy {
  readonly seen: string[] = [];
  private server: Server | undefined;
  /**
   * Speaks HTTP inside the tunnels to plain-http targets, each tunnel bridged to it over loopback
   * (a socket handed to an http server loses what was read of it already). Keyed by the bridge's port.
   */
  private readonly inner = createServer((req, res) => this.forward(req, res, `http://${this.targets.get(req.socket.remotePort ?? 0)}`));
  private readonly targets = new Map<number, string>();
  private innerPort = 0;

  constructor(private readonly options: ProxyOptions = {}) {}

  async start(): Promise<string> {
    const server = createServer((req, res) => {
      if (this.options.refuse) return this.refuse(req, res);
      this.forward(req, res, '');
    });
    server.on('connect', (req: IncomingMessage, socket: Socket, head: Buffer) => {
      this.seen.push(`CONNECT ${req.url}`);
      if (this.options.refuse) {
        socket.end(`HTTP/1.1 ${this.options.refuse} Refused\r\n${challenge(this.options.refuse)}Content-Length: 0\r\n\r\n`);
        return;
      }
      socket.on('error', () => socket.destroy());
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      const first = (chunk: Buffer) => {
        // A TLS record starts with 0x16: pass those bytes on unread; plain HTTP is read here.
        if (chunk[0] === 0x16) this.pipe(socket, req.url ?? '', chunk);
        else this.pipe(socket, `127.0.0.1:${this.innerPort}`, chunk, req.url);
      };
      if (head.length > 0) first(head);
      else socket.once('data', (chunk: Buffer) => {
        socket.pause();
        first(chunk);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => this.inner.listen(0, '127.0.0.1', resolve));
    this.innerPort = (this.inner.address() as AddressInfo).port;
    this.server = server;
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /** The lines for requests to `origin` (`http://host:port`), tunnels left out. */
  requestsTo(origin: string): string[] {
    return this.seen.filter((line) => line.split(' ')[1]?.startsWith(origin + '/'));
  }

  async stop(): Promise<void> {
    this.inner.closeAllConnections();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    await new Promise<void>((resolve) => (this.inner.listening ? this.inner.close(() => resolve()) : resolve()));
  }

  /** `origin` is empty when the request line carries the absolute URI. */
  private forward(req: IncomingMessage, res: ServerResponse, origin: string): void {
    const target = new URL(origin + (req.url ?? ''));
    this.seen.push(`${req.method} ${target.href}`);
    const upstream = request(
      { host: target.hostname, port: target.port, path: target.pathname + target.search, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  }

  /** `tunnelTo`: the target of a plain tunnel that `target` (the inner server) reads for it. */
  private pipe(socket: Socket, target: string, head: Buffer, tunnelTo?: string): void {
    const [host, port] = target.split(':');
    const upstream = connect(Number(port), host, () => {
      if (tunnelTo !== undefined) this.targets.set(upstream.localPort ?? 0, tunnelTo);
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
      socket.resume();
    });
    upstream.on('error', () => socket.destroy());
    socket.on('close', () => upstream.destroy());
  }

  private refuse(req: IncomingMessage, res: ServerResponse): void {
    this.seen.push(`${req.method} ${req.url}`);
    res.writeHead(this.options.refuse ?? 502, this.options.refuse === 407 ? { 'Proxy-Authenticate': 'Basic realm="test proxy"' } : {});
    res.end();
  }
}

function challenge(status: number): string {
  return status === 407 ? 'Proxy-Authenticate: Basic realm="test proxy"\r\n' : '';
}
