import { createServer, Server } from 'node:http';
import { AddressInfo, Socket } from 'node:net';

/**
 * A loopback HTTP server that accepts connections and reads requests but never responds, to
 * test key-set request timeouts. It counts connections and requests and tracks open sockets.
 */
export class HangingServer {
  connectionCount = 0;
  requestCount = 0;
  private readonly sockets = new Set<Socket>();
  private readonly server: Server;

  private constructor() {
    this.server = createServer(() => {
      this.requestCount++;
    });
    this.server.on('connection', (socket) => {
      this.connectionCount++;
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  static async start(): Promise<HangingServer> {
    const hanging = new HangingServer();
    await new Promise<void>((resolve) => hanging.server.listen(0, '127.0.0.1', resolve));
    return hanging;
  }

  get jwksUri(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/.well-known/jwks.json`;
  }

  /** Connections the client has not closed yet. */
  get openConnectionCount(): number {
    return this.sockets.size;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}
