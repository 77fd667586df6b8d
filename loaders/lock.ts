/**
 * A lock directory so that two processes (two data loaders, or a build and a preview)
 * never prepare the same store at once. A lock whose owner process is gone is taken over;
 * so is one whose pid now belongs to another process (the owner's start time is recorded,
 * where the system tells it, and compared). While it waits, it says on what and for whom.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

/** How long a build waits before saying so, and how often it repeats it. */
const NOTICE_AFTER_MS = 2_000;
const NOTICE_EVERY_MS = 60_000;

export interface LockOptions {
  readonly timeoutMs?: number;
  /** Where the waiting notices go (standard error by default). */
  readonly onWait?: (message: string) => void;
}

export async function withLock<T>(lockDir: string, work: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const { timeoutMs = 30 * 60_000, onWait = (m: string) => process.stderr.write(`${m}\n`) } = options;
  const started = Date.now();
  let noticed = started - NOTICE_EVERY_MS + NOTICE_AFTER_MS;
  mkdirSync(path.dirname(lockDir), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(path.join(lockDir, "pid"), ownerRecord(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = readOwner(lockDir);
      if (owner !== null && !ownerAlive(owner)) {
        rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      const waited = Date.now() - started;
      const who = owner ? `process ${owner.pid}` : "a process that is creating it";
      if (waited > timeoutMs)
        throw new Error(
          `timed out after ${Math.round(waited / 60_000)} min waiting for ${lockDir}, held by ${who}; remove it if no build is running`,
        );
      if (Date.now() - noticed >= NOTICE_EVERY_MS) {
        noticed = Date.now();
        onWait(
          `waiting for the lock ${lockDir}, held by ${who} (another build or preview of this store); ` +
            `gives up in ${Math.ceil((timeoutMs - waited) / 60_000)} min — remove the folder if no build is running`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

interface Owner {
  readonly pid: number;
  /** The process's start time as the system counts it (Linux: clock ticks since boot), or null where unknown. */
  readonly startTime: string | null;
}

/** "pid" or "pid start-time": what the lock file holds. */
export function ownerRecord(pid: number): string {
  const start = startTimeOf(pid);
  return start === null ? String(pid) : `${pid} ${start}`;
}

function readOwner(lockDir: string): Owner | null {
  let text: string;
  try {
    text = readFileSync(path.join(lockDir, "pid"), "utf8");
  } catch {
    return null; // being created right now
  }
  const [pid, startTime] = text.trim().split(/\s+/);
  // An unreadable record (a crash between mkdir and write) has no live owner.
  return { pid: Number(pid) || 0, startTime: startTime ?? null };
}

export function ownerAlive(owner: Owner): boolean {
  if (!Number.isInteger(owner.pid) || owner.pid <= 0) return false;
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  // The pid is taken: by the owner only if it started when the owner did.
  return owner.startTime === null || startTimeOf(owner.pid) === owner.startTime;
}

/** Field 22 of /proc/<pid>/stat (after the command name, which may hold spaces), or null off Linux. */
function startTimeOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? null;
  } catch {
    return null;
  }
}
