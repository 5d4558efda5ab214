// Installs web/node_modules from package-lock.json (npm ci) when it is missing or older than the
// lock file. Several builds can start at once (the tests build Debug while ./sluice builds
// Release), and two npm ci runs in one folder delete each other's files, so one build installs
// while the others wait on a lock: a directory, because mkdir is atomic on every platform.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

// An install takes seconds; a lock older than this was left by a build that was killed.
const staleLockMs = 10 * 60 * 1000;

function modifiedMs(path) {
  return existsSync(path) ? statSync(path).mtimeMs : -1;
}

// npm ci writes node_modules/.package-lock.json last, so its age is the install's.
function isInstalled(root) {
  const installed = modifiedMs(join(root, "node_modules", ".package-lock.json"));
  return installed >= 0 && installed >= modifiedMs(join(root, "package-lock.json"));
}

async function acquire(lock) {
  for (let waited = 0; ; waited += 250) {
    try {
      mkdirSync(lock);
      return;
    } catch (error) {
      if (error.code !== "EEXIST") {
        throw error;
      }
    }

    if (Date.now() - modifiedMs(lock) > staleLockMs) {
      rmSync(lock, { recursive: true, force: true });
      continue;
    }

    if (waited === 2000) {
      console.log("sluice web: waiting for another build's npm ci to finish ...");
    }

    await sleep(250);
  }
}

/** Runs npm ci in root unless node_modules is current; throws with npm's exit status when it fails. */
export async function ensureInstalled(root) {
  if (isInstalled(root)) {
    return;
  }

  const lock = join(root, ".install.lock");
  await acquire(lock);
  try {
    // Another build may have installed while this one waited.
    if (isInstalled(root)) {
      return;
    }

    console.log("sluice web: installing the web app's packages (npm ci) ...");
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    const result = spawnSync(npm, ["ci", "--no-audit", "--no-fund"], { cwd: root, stdio: "inherit", shell: process.platform === "win32" });
    if (result.error?.code === "ENOENT") {
      throw new Error("npm is not installed; install Node.js 20 or later with npm");
    }

    if (result.status !== 0) {
      throw new Error(`npm ci failed (exit code ${result.status}); see its output above`);
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
