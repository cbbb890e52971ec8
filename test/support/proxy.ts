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
   * Reads a copy of what goes into each tunnel to a plain-http target (the bytes themselves pass
   * on unchanged) and records its requests: re-sending them with http.request would, inside the
   * extension host, go through VS Code's proxy patch and back here. Keyed by the copy's port.
   */
  private readonly observer = createServer((req, res) => {
    this.seen.push(`${req.method} http://${this.targets.get(req.socket.remotePort ?? 0)}${req.url}`);
    req.resume();
    req.on('end', () => res.writeHead(204).end());
  });
  private readonly targets = new Map<number, string>();
  private observerPort = 0;

  constructor(private readonly options: ProxyOptions = {}) {}

  async start(): Promise<string> {
    const server = createServer((req, res) => {
      if (this.options.refuse) return this.refuse(req, res);
      this.forward(req, res);
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
        // A TLS record starts with 0x16: nothing to read in it; plain HTTP is also copied to the observer.
        this.pipe(socket, req.url ?? '', chunk, chunk[0] !== 0x16);
      };
      if (head.length > 0) first(head);
      else socket.once('data', (chunk: Buffer) => {
        socket.pause();
        first(chunk);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => this.observer.listen(0, '127.0.0.1', resolve));
    this.observerPort = (this.observer.address() as AddressInfo).port;
    this.server = server;
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /** The lines for requests to `origin` (`http://host:port`), tunnels left out. */
  requestsTo(origin: string): string[] {
    return this.seen.filter((line) => line.split(' ')[1]?.startsWith(origin + '/'));
  }

  async stop(): Promise<void> {
    this.observer.closeAllConnections();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    await new Promise<void>((resolve) => (this.observer.listening ? this.observer.close(() => resolve()) : resolve()));
  }

  /**
   * A request with an absolute URI (undici tunnels even to http targets, so only other clients
   * send these; inside the extension host, VS Code's patch of http.request may route this one back here).
   */
  private forward(req: IncomingMessage, res: ServerResponse): void {
    const target = new URL(req.url ?? '');
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

  /** `observe`: the tunnel carries plain HTTP, whose requests are recorded from a copy. */
  private pipe(socket: Socket, target: string, head: Buffer, observe: boolean): void {
    const [host, port] = target.split(':');
    const copy = observe ? connect(this.observerPort, '127.0.0.1') : undefined;
    copy?.on('connect', () => this.targets.set(copy.localPort ?? 0, target));
    copy?.on('error', () => undefined).resume(); // its answers are not wanted
    const upstream = connect(Number(port), host, () => {
      upstream.write(head);
      copy?.write(head);
      upstream.pipe(socket);
      socket.on('data', (chunk: Buffer) => {
        copy?.write(chunk);
        if (!upstream.write(chunk)) socket.pause();
      });
      upstream.on('drain', () => socket.resume());
      socket.on('end', () => {
        upstream.end();
        copy?.end();
      });
      socket.resume();
    });
    upstream.on('error', () => socket.destroy());
    socket.on('close', () => {
      upstream.destroy();
      copy?.destroy();
    });
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
