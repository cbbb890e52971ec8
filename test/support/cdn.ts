import { createServer, IncomingHttpHeaders, request, Server } from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * Another host in front of the emulator's result files, as a CDN that a result link redirects
 * to: it passes each GET on to `origin` and keeps the headers each request arrived with.
 */
export class RecordingCdn {
  readonly requests: { path: string; headers: IncomingHttpHeaders }[] = [];
  private server: Server | undefined;

  constructor(private readonly origin: string) {}

  /** On 127.0.0.2: a host other than the emulator's 127.0.0.1. */
  async start(): Promise<string> {
    const server = createServer((req, res) => {
      this.requests.push({ path: req.url ?? '', headers: req.headers });
      const upstream = request(`${this.origin}${req.url}`, { method: 'GET' }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.writeHead(502).end());
      upstream.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.2', resolve));
    this.server = server;
    return `http://127.0.0.2:${(server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
