// `npm run playground`: bundles the pages (web/src/ → web/build/), then serves web/ on localhost.
//   node web/server.mjs [--port 8080] [--no-build]
// Tests import `startServer` and serve their own build directory on an ephemeral port.
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const webRoot = fileURLToPath(new URL('.', import.meta.url));

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream',
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/** The file under `dir` that `path` (already decoded, starting with '/') names, or undefined if it escapes `dir`. */
function inside(dir, path) {
  const file = normalize(join(dir, path));
  return file === dir || file.startsWith(dir.endsWith(sep) ? dir : dir + sep) ? file : undefined;
}

/**
 * Serves static files. `root` is the site (default web/); `mounts` maps URL prefixes to other directories
 * (e.g. { '/build/': someDir }). Listens on 127.0.0.1 only. Resolves to { url, port, close() }.
 */
export function startServer({ root = webRoot, mounts = {}, port = 0, host = '127.0.0.1' } = {}) {
  const server = createServer((request, response) => {
    let path;
    try {
      path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    } catch {
      response.writeHead(400).end('bad request');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/') path = '/index.html';
    const mount = Object.keys(mounts).find((prefix) => path.startsWith(prefix));
    const file = mount ? inside(mounts[mount], '/' + path.slice(mount.length)) : inside(root, path);
    let stats;
    try {
      stats = file && statSync(file);
    } catch {
      stats = undefined;
    }
    if (!file || !stats || !stats.isFile()) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end(`not found: ${path}`);
      return;
    }
    response.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': stats.size,
      'cache-control': 'no-cache',
    });
    if (request.method === 'HEAD') response.end();
    else createReadStream(file).pipe(response);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const actual = server.address().port;
      resolve({
        url: `http://${host}:${actual}/`,
        port: actual,
        close: () => new Promise((done) => {
          server.closeAllConnections?.();
          server.close(() => done());
        }),
      });
    });
  });
}

async function main(args) {
  const at = args.indexOf('--port');
  const port = at >= 0 ? Number(args[at + 1]) : Number(process.env.PORT ?? 8080);
  if (!args.includes('--no-build')) {
    const { buildBundles } = await import('../build.mjs');
    await buildBundles({ only: ['web'] });
  }
  const { url } = await startServer({ port });
  console.log(`simdnet pages on ${url}\n  ${url}playground.html\n  ${url}digits.html\n(Ctrl-C to stop)`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(error.message);
    process.exitCode = 1;
  });
}
