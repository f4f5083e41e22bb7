// Starts the real pergamino server on an ephemeral port with demo data and a
// temporary database, for the browser tests.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = process.env.PERGAMINO_BIN || path.join(REPO, 'build', 'pergamino');

const ACCOUNT_RE = /^demo-account role=(\S+) username=(\S+) password=(\S+)\s*$/;
const LISTEN_RE = /^listening (http:\/\/127\.0\.0\.1:\d+)\s*$/;
const START_TIMEOUT_MS = 10000;

/**
 * Returns {baseURL, accounts: Map(username -> {role, username, password}), stop()}.
 * Waits until the "listening" line has been printed (demo-account lines come
 * before it); fails after 10 s with the output seen so far.
 */
export async function startServer() {
  if (!existsSync(BIN)) throw new Error(`no existe el binario del servidor: ${BIN} (compile o defina PERGAMINO_BIN)`);
  const dir = mkdtempSync(path.join(tmpdir(), 'pergamino-e2e-'));
  const args = ['serve', '--demo', '--db', path.join(dir, 'e2e.db'), '--port', '0', '--web', process.env.E2E_WEB || path.join(REPO, 'web')];
  const child = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });

  const accounts = new Map();
  let output = '';
  let baseURL = null;
  let buffer = '';

  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`el servidor no anunció "listening" en ${START_TIMEOUT_MS / 1000} s; salida:\n${output}`));
    }, START_TIMEOUT_MS);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      output += chunk;
      buffer += chunk;
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl).replace(/\r$/, '');
        buffer = buffer.slice(nl + 1);
        const a = ACCOUNT_RE.exec(line);
        if (a) accounts.set(a[2], { role: a[1], username: a[2], password: a[3] });
        const l = LISTEN_RE.exec(line);
        if (l && !baseURL) {
          baseURL = l[1];
          clearTimeout(timer);
          resolve();
        }
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => { output += chunk; if (process.env.E2E_VERBOSE) process.stderr.write(chunk); });
    child.on('error', (err) => { clearTimeout(timer); reject(err); });
    child.on('exit', (code, signal) => {
      if (!baseURL) {
        clearTimeout(timer);
        reject(new Error(`el servidor terminó antes de escuchar (code=${code}, signal=${signal}); salida:\n${output}`));
      }
    });
  });

  let stopping = false;
  const exited = new Promise((resolve) => child.on('exit', resolve));
  child.on('exit', (code, signal) => {
    if (baseURL && !stopping) {
      process.stderr.write(`\n[e2e] el servidor terminó inesperadamente (code=${code}, signal=${signal}); últimas líneas:\n${output.split('\n').slice(-30).join('\n')}\n`);
    }
  });

  async function stop() {
    stopping = true;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timeout = new Promise((resolve) => setTimeout(() => resolve('timeout'), 5000));
      if ((await Promise.race([exited, timeout])) === 'timeout') {
        child.kill('SIGKILL');
        await exited;
      }
    }
    rmSync(dir, { recursive: true, force: true });
  }

  try {
    await ready;
  } catch (err) {
    await stop();
    throw err;
  }

  return {
    baseURL,
    accounts,
    output: () => output,
    /** The demo account for a username, failing clearly when the server did not print it. */
    account(username) {
      const a = accounts.get(username);
      if (!a) throw new Error(`el servidor no imprimió la cuenta demo "${username}"; cuentas: ${[...accounts.keys()].join(', ') || 'ninguna'}`);
      return a;
    },
    stop,
  };
}
