/**
 * A lock directory so that two processes (two data loaders, or a build and a preview)
 * never prepare the same store at once. A lock whose owner process is gone is taken over.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

export async function withLock<T>(lockDir: string, work: () => Promise<T>, timeoutMs = 30 * 60_000): Promise<T> {
  const started = Date.now();
  mkdirSync(path.dirname(lockDir), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(path.join(lockDir, "pid"), String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      if (!ownerAlive(lockDir)) {
        rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() - started > timeoutMs)
        throw new Error(`timed out waiting for ${lockDir}; remove it if no build is running`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

function ownerAlive(lockDir: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(path.join(lockDir, "pid"), "utf8"));
  } catch {
    return true; // being created right now
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
