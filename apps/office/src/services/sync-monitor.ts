/**
 * What the operator sees about the link to the centre. Kept in memory by the sync worker of this process;
 * the time of the last success is also stored so a restart does not forget it.
 */
export class SyncMonitor {
  reachable: boolean | null = null;
  lastSuccessAt: string | null = null;
  lastAttemptAt: string | null = null;
  lastError: string | null = null;
  nextAttemptAt: string | null = null;
  consecutiveFailures = 0;

  attempt(at: Date): void {
    this.lastAttemptAt = at.toISOString();
  }

  succeeded(at: Date): void {
    this.reachable = true;
    this.lastSuccessAt = at.toISOString();
    this.lastError = null;
    this.nextAttemptAt = null;
    this.consecutiveFailures = 0;
  }

  failed(error: string, retryAt: Date): void {
    this.reachable = false;
    this.lastError = error;
    this.nextAttemptAt = retryAt.toISOString();
    this.consecutiveFailures += 1;
  }
}
