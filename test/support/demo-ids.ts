export { DEMO_IDS } from '../../apps/demo-api/src/dev/demo-data';

/** A free loopback port with nothing listening on it, found by binding and releasing it. */
export async function closedPort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
