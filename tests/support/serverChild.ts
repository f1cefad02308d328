// Real ledger processes for the crash-under-load test and the load test: `ledger serve` (the API,
// with or without its in-process projectors) and `ledger projectors` (projectors without the API),
// each a child `node --import tsx services/cli.ts …` over a data directory, configured only through
// the environment (SPEC §7), exactly as an operator would start them. The parent can SIGKILL them.
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** Events in the demo data set: 400 generated + the scripted story (workload/demoStory.ts). */
export const DEMO_EVENTS = 425;
const CLI = fileURLToPath(new URL("../../services/cli.ts", import.meta.url));

export interface LedgerChild {
  readonly process: ChildProcess;
  readonly pid: number;
  /** Everything the child wrote to stdout and stderr so far (for failure messages). */
  output(): string;
  /** Resolves when the process is gone: its exit code, or the signal that ended it. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** True once the process has exited. */
  readonly done: () => boolean;
  /** SIGKILL (no cleanup, no graceful close); resolves once the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM (graceful shutdown); resolves once the process is gone. */
  stop(): Promise<void>;
}

export interface ServerChild extends LedgerChild {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
}

export interface ChildOptions {
  dataDir: string;
  /** Extra environment; overrides the defaults below. */
  env?: Record<string, string>;
  /** Node flags before the loader, e.g. `--max-old-space-size=256` as `npm start` runs the server. */
  nodeFlags?: string[];
  /** Run as this user (only a root parent may): an operator's service account, for permissions tests. */
  user?: { uid: number; gid: number };
}

function baseEnv(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TMPDIR: process.env.TMPDIR,
    LEDGER_DATA_DIR: dataDir,
    LEDGER_DEMO: "0",
    LEDGER_SCHEDULER: "0",
    LEDGER_ALLOW_OPEN: "1",
    LEDGER_LOG_LEVEL: "warn",
    HOST: "127.0.0.1",
    PORT: "0",
    ...extra,
  };
}

function launch(args: string[], env: NodeJS.ProcessEnv, nodeFlags: readonly string[] = [], user?: ChildOptions["user"]): LedgerChild {
  const child = spawn(process.execPath, [...nodeFlags, "--import", "tsx", CLI, ...args], {
    cwd: REPO_ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    ...user,
  });
  let text = "";
  const keep = (chunk: string) => {
    text += chunk;
    if (text.length > 200_000) text = text.slice(-100_000);
  };
  child.stdout!.setEncoding("utf8").on("data", keep);
  child.stderr!.setEncoding("utf8").on("data", keep);
  let finished = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => {
      finished = true;
      resolve({ code, signal });
    });
    child.once("error", () => {
      finished = true;
      resolve({ code: -1, signal: null });
    });
  });
  const signal = async (name: NodeJS.Signals) => {
    if (!finished) child.kill(name);
    await exited;
  };
  return {
    process: child,
    pid: child.pid ?? -1,
    output: () => text,
    exited,
    done: () => finished,
    kill: () => signal("SIGKILL"),
    stop: () => signal("SIGTERM"),
  };
}

const LISTENING = /Ledger listening on (http:\/\/[^\s]+)/;

/**
 * `ledger serve` on a free loopback port (demo, scheduler off, open access; projectors per
 * LEDGER_PROJECTORS, default all in-process). Resolves once it prints where it listens.
 */
export async function startServer(options: ChildOptions, timeoutMs = 20_000): Promise<ServerChild> {
  const child = launch(["serve"], baseEnv(options.dataDir, options.env), options.nodeFlags, options.user);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      void child.kill();
      reject(new Error(`server did not start within ${timeoutMs} ms:\n${child.output()}`));
    }, timeoutMs);
    const check = () => {
      const match = LISTENING.exec(child.output());
      if (match) {
        clearTimeout(timer);
        child.process.stdout!.off("data", check);
        resolve(match[1]!);
      }
    };
    child.process.stdout!.on("data", check);
    void child.exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`server exited before listening (code ${code}, signal ${signal}):\n${child.output()}`));
    });
  });
  return { ...child, url };
}

/** `ledger serve`, which must refuse to start: resolves with what it printed (one that started is stopped, and this throws). */
export async function refusedStart(options: ChildOptions): Promise<string> {
  const outcome = await startServer(options).then(
    async (server) => {
      await server.stop();
      return null;
    },
    (error: Error) => error,
  );
  if (outcome === null) throw new Error("the server started");
  return outcome.message;
}

/** `ledger projectors` (the projectors without the API) over the same data directory. */
export function startProjectors(options: ChildOptions): LedgerChild {
  return launch(["projectors"], baseEnv(options.dataDir, options.env), options.nodeFlags, options.user);
}
