// The central server for end-to-end tests of sync: a throw-away PostgreSQL
// cluster (Debian's server binaries, as the Rust tests' harness uses) and
// the real `pharmapos-server` binary built beside the app, on free ports.
// The server can be stopped and started again on its port, as a store sees
// head office's server go away and come back.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer, connect } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

import { appBinary } from "./paths";

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once("error", rej);
    s.listen(0, "127.0.0.1", () => {
      const address = s.address();
      s.close(() => (typeof address === "object" && address ? res(address.port) : rej(new Error("no port"))));
    });
  });
}

/** Whether something listens on `port` of 127.0.0.1. */
export function portOpen(port: number): Promise<boolean> {
  return new Promise((res) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      res(true);
    });
    socket.once("error", () => res(false));
  });
}

function pgBin(): string {
  if (process.env["PG_BIN"]) return process.env["PG_BIN"];
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) throw new Error("PostgreSQL is not installed (apt install postgresql); the sync e2e test needs it");
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, "bin", "initdb")))
    .sort((a, b) => Number(a) - Number(b));
  const newest = versions.at(-1);
  if (!newest) throw new Error(`no PostgreSQL server binaries under ${root}`);
  return join(root, newest, "bin");
}

/** PostgreSQL refuses to run as root: as root, the cluster is the postgres user's. */
function asPostgres(tool: string, args: string[]): void {
  const exe = join(pgBin(), tool);
  if (process.getuid?.() === 0) execFileSync("runuser", ["-u", "postgres", "--", exe, ...args], { stdio: "pipe" });
  else execFileSync(exe, args, { stdio: "pipe" });
}

export interface Central {
  /** The server's base URL, the same across restarts. */
  url: string;
  /** An admin's token (head office's API). */
  adminToken: string;
  /** Registers a store; its secret. */
  addStore: (id: string, name: string) => string;
  /** Stops the server (the database stays). */
  stop: () => Promise<void>;
  /** Starts it again on its port. */
  start: () => Promise<void>;
  /** An admin GET of `path` on the server. */
  admin: <T>(path: string) => Promise<T>;
  /** An admin PUT of `body` to `path` (head office publishing); the answer. */
  put: <T>(path: string, body: object) => Promise<T>;
  /** Stops everything and removes the cluster. */
  close: () => Promise<void>;
}

function serverBinary(): string {
  return process.env["PHARMAPOS_SERVER"] ?? join(dirname(appBinary()), "pharmapos-server");
}

async function adminRequest<T>(url: string, token: string, method: string, path: string, body?: object): Promise<T> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export async function startCentral(): Promise<Central> {
  const server = serverBinary();
  if (!existsSync(server)) throw new Error(`pharmapos-server not found at ${server}: cargo build -p pharmapos-server`);
  const dir = mkdtempSync(join(tmpdir(), "pharmapos-e2e-pg-"));
  if (process.getuid?.() === 0) execFileSync("chown", ["-R", "postgres:", dir]);
  const data = join(dir, "data");
  const pgPort = await freePort();
  asPostgres("initdb", ["-D", data, "-A", "trust", "-U", "pharmapos", "--no-sync", "-E", "UTF8"]);
  asPostgres("pg_ctl", ["-D", data, "-o", `-p ${pgPort} -k ${dir} -c listen_addresses=127.0.0.1`, "-l", join(dir, "log"), "-w", "start"]);
  const dbUrl = `host=127.0.0.1 port=${pgPort} user=pharmapos dbname=postgres`;
  const run = (args: string[]) => execFileSync(server, ["--database-url", dbUrl, ...args], { encoding: "utf8" });
  const adminToken = (JSON.parse(run(["admin", "add", "--name", "hq"])) as { token: string }).token;
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;

  const start = async () => {
    child = spawn(server, ["--database-url", dbUrl, "serve", "--listen", `127.0.0.1:${port}`], { stdio: ["ignore", "ignore", "inherit"] });
    const deadline = Date.now() + 20_000;
    while (!(await portOpen(port))) {
      if (child.exitCode !== null) throw new Error(`pharmapos-server exited with code ${child.exitCode}`);
      if (Date.now() > deadline) throw new Error("pharmapos-server did not listen within 20 s");
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const stop = async () => {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise((r) => c.once("exit", r));
    c.kill("SIGKILL");
    await exited;
  };
  await start();
  return {
    url,
    adminToken,
    addStore: (id, name) => (JSON.parse(run(["store", "add", "--id", id, "--name", name])) as { secret: string }).secret,
    stop,
    start,
    admin: <T>(path: string) => adminRequest<T>(url, adminToken, "GET", path),
    put: <T>(path: string, body: object) => adminRequest<T>(url, adminToken, "PUT", path, body),
    close: async () => {
      await stop();
      try {
        asPostgres("pg_ctl", ["-D", data, "-m", "immediate", "stop"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

