// Loaded with --import into the api and worker by `npm run soak` only (start:prod never loads it):
// a server on 127.0.0.1:SOAK_PROBE_PORT that answers each GET with this process's memory after a
// full garbage collection (the processes run with --expose-gc) and its active handles by type;
// GET /snapshot writes a heap snapshot and answers its file name.
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';

const port = Number(process.env.SOAK_PROBE_PORT);
if (port) {
  const server = createServer((req, res) => {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (!gc) throw new Error('the soak probe needs --expose-gc');
    gc();
    gc(); // a second pass frees what the first one's finalizers let go
    // GET /snapshot: a heap snapshot in the temp dir, for a look at what grew. The process stops for
    // as long as it takes (tens of seconds for the worker), holding its open transactions.
    if (req.url === '/snapshot')
      return void res.end(writeHeapSnapshot(join(tmpdir(), `nectr-soak-${process.pid}-${Date.now()}.heapsnapshot`)));
    const memory = process.memoryUsage();
    const resources: Record<string, number> = {};
    for (const type of process.getActiveResourcesInfo()) resources[type] = (resources[type] ?? 0) + 1;
    res.setHeader('content-type', 'application/json');
    res.setHeader('connection', 'close');
    res.end(JSON.stringify({ heapUsed: memory.heapUsed, rss: memory.rss, external: memory.external, resources }));
  });
  server.listen(port, '127.0.0.1');
  server.unref();
}
