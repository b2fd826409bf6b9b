// A TCP proxy between the app and MariaDB, written for the "database goes away" test: it
// forwards bytes both ways until told to cut every open connection and to refuse new ones for a
// while (each new connection is reset at once, as a restarting server or a dropped link does).
import { createServer, connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface TcpProxy {
  port: number;
  /** connections accepted so far, and reset while refusing */
  stats: { accepted: number; refused: number; cut: number };
  /** resets every open connection now, and every new one until `refuseMs` have passed */
  cut(refuseMs: number): void;
  readonly refusing: boolean;
  close(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const open = new Set<Socket>();
  let refuseUntil = 0;
  const stats = { accepted: 0, refused: 0, cut: 0 };
  const server = createServer((client) => {
    if (Date.now() < refuseUntil) {
      stats.refused++;
      client.resetAndDestroy();
      return;
    }
    stats.accepted++;
    const upstream = connect(targetPort, targetHost);
    open.add(client);
    open.add(upstream);
    const drop = () => {
      open.delete(client);
      open.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    stats,
    cut(refuseMs) {
      refuseUntil = Date.now() + refuseMs;
      for (const socket of [...open]) {
        stats.cut++;
        socket.resetAndDestroy();
      }
      open.clear();
    },
    get refusing() {
      return Date.now() < refuseUntil;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
