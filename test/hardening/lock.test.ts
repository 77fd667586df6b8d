/**
 * The store lock (loaders/lock.ts): a lock whose pid now belongs to another process is taken
 * over at once, and a build that waits on a live lock says on what and for whom.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ownerRecord, withLock } from "../../loaders/lock.js";

const work = mkdtempSync(path.join(os.tmpdir(), "atlas-lock-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function heldLock(name: string, record: string): string {
  const dir = path.join(work, name);
  mkdirSync(dir);
  writeFileSync(path.join(dir, "pid"), record);
  return dir;
}

describe("the store lock", () => {
  it("takes over a lock whose pid was reused by a live process (its start time differs)", async () => {
    // This very process is alive, but it did not start at tick 1 after boot.
    const lock = heldLock("reused", `${process.pid} 1`);
    const notices: string[] = [];
    const started = Date.now();
    expect(await withLock(lock, async () => "ran", { timeoutMs: 60_000, onWait: (m) => notices.push(m) })).toBe("ran");
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(notices).toEqual([]);
  });

  it("takes over a lock whose owner is gone", async () => {
    const lock = heldLock("gone", "999999999 1");
    expect(await withLock(lock, async () => "ran", { timeoutMs: 60_000 })).toBe("ran");
  });

  it("waits on a live owner, says so with the lock and the pid, and gives up with the same words", async () => {
    const lock = heldLock("live", ownerRecord(process.pid));
    const notices: string[] = [];
    await expect(
      withLock(lock, async () => "ran", { timeoutMs: 2_500, onWait: (m) => notices.push(m) }),
    ).rejects.toThrow(
      new RegExp(`waiting for ${lock.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}, held by process ${process.pid}`),
    );
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain(`waiting for the lock ${lock}, held by process ${process.pid}`);
  });
});
